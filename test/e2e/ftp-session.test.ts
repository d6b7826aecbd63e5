import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedFtp, type EmbeddedServer } from '../protocols/ftp/helpers/embedded-ftp-server';
import { dragRowToPane, openTab, quickconnect, row, rowNames } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// Quickconnect with ftp:// to a server without TLS (ftp-srv, plain): Ferry must ask before going
// unencrypted, show the server's reason, and work after "Continue once".
describe('plain FTP session in the browser UI', () => {
  let base: string;
  let server: EmbeddedServer;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-ftp-'));
    const root = join(base, 'root');
    const home = join(base, 'home');
    await mkdir(join(root, 'incoming'), { recursive: true });
    await mkdir(home);
    await writeFile(join(root, 'readme.txt'), 'hello from ftp\n');
    await writeFile(join(home, 'report.csv'), 'a,b\n1,2\n');
    server = await startEmbeddedFtp(root, 'plain');
    web = await startFerryWeb({ home });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('asks for consent to continue without TLS, with the reason, then lists', async () => {
    const { page } = web;
    await row(page, 'local', 'report.csv').waitFor();
    await quickconnect(page, { protocol: 'ftp', host: '127.0.0.1', port: server.port, user: 'alice', password: 'secret' });
    const dialog = page.getByRole('dialog', { name: 'Continue without encryption?' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toMatch(/Server said/);
    expect(server.logins).toEqual([]);
    await web.screenshot('20-ftp-plain-consent');
    await dialog.getByRole('button', { name: 'Continue once' }).click();
    await row(page, 'remote', 'readme.txt').waitFor({ timeout: 20_000 });
    expect(await rowNames(page, 'remote')).toEqual(['incoming', 'readme.txt']);
    await web.screenshot('21-ftp-connected');
  });

  it('uploads after the consent into the folder shown', async () => {
    const { page } = web;
    await row(page, 'remote', 'incoming').dblclick();
    await page.locator('[data-testid="remote-pane"] .file-table-empty').waitFor();
    await dragRowToPane(page, 'local', 'report.csv', 'remote');
    // The transfer opens its own connection; the consent given for this session covers it: no second question.
    const consent = page.getByRole('dialog', { name: 'Continue without encryption?' });
    await row(page, 'remote', 'report.csv').waitFor({ timeout: 30_000 });
    expect(await consent.isVisible()).toBe(false);
    await openTab(page, 'Done');
    await page.locator('.queue-row[data-state="done"]').first().waitFor({ timeout: 30_000 });
    await row(page, 'remote', 'report.csv').waitFor({ timeout: 15_000 });
    expect(await readFile(join(base, 'root', 'incoming', 'report.csv'), 'utf8')).toBe('a,b\n1,2\n');
    await web.screenshot('23-ftp-upload-done');
  });

  it('logs the FTP conversation with the password redacted', async () => {
    const { page } = web;
    await openTab(page, 'Log');
    await page.getByLabel('Find in log').fill('USER');
    await page.locator('.log-line', { hasText: 'USER alice' }).first().waitFor();
    await page.getByLabel('Find in log').fill('PASS');
    const pass = page.locator('.log-line', { hasText: 'PASS' }).first();
    await pass.waitFor();
    expect(await pass.textContent()).not.toContain('secret');
    await page.getByLabel('Find in log').fill('');
    expect(JSON.stringify(web.core.log.snapshot())).not.toContain('secret');
    await web.screenshot('24-ftp-log');
  });
});
