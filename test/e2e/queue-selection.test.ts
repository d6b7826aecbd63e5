import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { openTab, quickconnect, row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// The transfer queue's selection against the real core: five downloads land in Done, some are
// selected with Shift/Ctrl+click and removed from the context menu, the rest with Ctrl+A and Delete.
describe('queue multi-select and remove', () => {
  let base: string;
  let server: TestServer;
  let web: FerryWeb;
  const names = ['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt'];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-queue-'));
    const root = join(base, 'root');
    const home = join(base, 'home');
    await mkdir(join(root, 'home'), { recursive: true });
    await mkdir(home);
    for (const n of names) await writeFile(join(root, 'home', n), `${n}\n`);
    server = await startTestServer({ root, users: { alice: { password: 'pw' } }, methods: ['password'] });
    web = await startFerryWeb({ home });
    const { page } = web;
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'alice', password: 'pw' });
    await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust once' }).click();
    await row(page, 'remote', 'f5.txt').waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('selects finished items with Shift/Ctrl+click and Ctrl+A and removes them from the context menu and with Delete', async () => {
    const { page } = web;
    await row(page, 'remote', 'f1.txt').click();
    await row(page, 'remote', 'f5.txt').click({ modifiers: ['Shift'] });
    await row(page, 'remote', 'f5.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download' }).click();
    await openTab(page, 'Done');
    const list = page.getByRole('listbox', { name: 'done items' });
    const options = list.getByRole('option');
    await page.locator('.queue-row[data-state="done"]').nth(4).waitFor({ timeout: 30_000 });
    expect(await options.count()).toBe(5);

    await options.nth(0).click();
    await options.nth(2).click({ modifiers: ['Shift'] });
    await options.nth(1).click({ modifiers: ['Control'] });
    const selected = list.locator('[role="option"][aria-selected="true"]');
    expect(await selected.count()).toBe(2);
    await options.nth(2).click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    await web.screenshot('60-queue-multi-select-menu');
    await menu.getByRole('menuitem', { name: /Remove/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="done items"] [role="option"]').length === 3);
    const left = await options.evaluateAll((rows) => rows.map((r) => r.querySelector('.queue-path bdi')?.textContent ?? ''));
    expect(left.map((p) => p.split('/').pop())).toEqual(['f2.txt', 'f4.txt', 'f5.txt']);
    expect(await page.getByRole('tab', { name: /^Done/ }).textContent()).toBe('Done3');

    await list.focus();
    await page.keyboard.press('Control+a');
    expect(await selected.count()).toBe(3);
    await web.screenshot('61-queue-select-all');
    await page.keyboard.press('Delete');
    await list.getByText('No finished transfers.').waitFor();
    expect(await page.getByRole('tab', { name: /^Done/ }).textContent()).toBe('Done0');
  });
});
