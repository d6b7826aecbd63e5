import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { openTab, quickconnect, row, rowNames } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// File actions on the remote pane against a real SFTP session: new folder, rename (F2), chmod,
// download from the context menu, delete with confirmation; and the dark theme.
describe('remote file actions', () => {
  let base: string;
  let root: string;
  let home: string;
  let server: TestServer;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-actions-'));
    root = join(base, 'root');
    home = join(base, 'home');
    await mkdir(join(root, 'home'), { recursive: true });
    await mkdir(home);
    await writeFile(join(root, 'home', 'data.csv'), 'x,y\n');
    server = await startTestServer({ root, users: { alice: { password: 'pw' } }, methods: ['password'] });
    web = await startFerryWeb({ home });
    const { page } = web;
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'alice', password: 'pw' });
    // "Trust once" covers this session's transfer connections too: the download below asks nothing.
    await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust once' }).click();
    await row(page, 'remote', 'data.csv').waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  const remoteGrid = () => web.page.getByRole('grid', { name: 'Remote files' });

  it('creates a folder and renames a file with F2', async () => {
    const { page } = web;
    await page.locator('[data-testid="remote-pane"]').getByRole('button', { name: 'New folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder' });
    await dialog.getByRole('textbox').fill('reports');
    await web.screenshot('40-new-folder-dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await row(page, 'remote', 'reports').waitFor();
    expect((await stat(join(root, 'home', 'reports'))).isDirectory()).toBe(true);

    await row(page, 'remote', 'data.csv').click();
    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename' });
    await rename.getByRole('textbox').fill('data-2026.csv');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await row(page, 'remote', 'data-2026.csv').waitFor();
    expect(await rowNames(page, 'remote')).toEqual(['reports', 'data-2026.csv']);
  });

  it('says a failed rename once, with the server-side reason', async () => {
    const { page } = web;
    await row(page, 'remote', 'data-2026.csv').click();
    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename' });
    await rename.getByRole('textbox').fill('reports');
    await rename.getByRole('button', { name: 'Rename' }).click();
    const notice = page.locator('.notice-error');
    await notice.waitFor({ timeout: 10_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/^Could not rename "data-2026\.csv": \S/);
    expect(text.match(/rename/gi)).toHaveLength(1);
    expect(await notice.count()).toBe(1);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await rowNames(page, 'remote')).toEqual(['reports', 'data-2026.csv']);
  });

  it('sets permissions from the context menu', async () => {
    const { page } = web;
    await row(page, 'remote', 'data-2026.csv').click({ button: 'right' });
    await web.screenshot('41-context-menu');
    await page.getByRole('menuitem', { name: /Permissions/ }).click();
    const dialog = page.getByRole('dialog', { name: /Permissions of/ });
    await dialog.getByLabel('Numeric value').fill('600');
    await web.screenshot('42-chmod-dialog');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.locator('[data-testid="remote-pane"] [role="row"][data-name="data-2026.csv"]', { hasText: '-rw-------' }).waitFor();
    expect((await stat(join(root, 'home', 'data-2026.csv'))).mode & 0o777).toBe(0o600);
  });

  it('sets permissions on a folder tree, files only, from the same dialog', async () => {
    const { page } = web;
    const reports = join(root, 'home', 'reports');
    await mkdir(join(reports, 'sub'), { recursive: true });
    await writeFile(join(reports, 'q1.csv'), '1');
    await writeFile(join(reports, 'sub', 'q2.csv'), '2');
    await row(page, 'remote', 'reports').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Permissions/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Permissions of "reports"' });
    const filesOnly = dialog.getByRole('radio', { name: 'Apply to files only' });
    expect(await filesOnly.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'Recurse into subfolders' }).check();
    await filesOnly.check();
    await dialog.getByLabel('Numeric value').fill('640');
    await web.screenshot('43-chmod-recursive');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.notice', { hasText: 'Set 640 on 2 items.' }).waitFor({ timeout: 10_000 });
    expect((await stat(join(reports, 'q1.csv'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(reports, 'sub', 'q2.csv'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(reports, 'sub'))).mode & 0o777).toBe(0o755);
    expect((await stat(reports)).mode & 0o777).toBe(0o755);
  });

  it('downloads with Enter into the local folder', async () => {
    const { page } = web;
    await row(page, 'remote', 'data-2026.csv').click();
    await remoteGrid().press('Enter');
    await row(page, 'local', 'data-2026.csv').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await readFile(join(home, 'data-2026.csv'), 'utf8')).toBe('x,y\n');
    await openTab(page, 'Done');
    await page.locator('.queue-row[data-state="done"]').first().waitFor();
  });

  it('deletes after confirmation, and looks right in the dark theme', async () => {
    const { page } = web;
    await row(page, 'remote', 'reports').click();
    await row(page, 'remote', 'data-2026.csv').click({ modifiers: ['Control'] });
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete on the server' });
    expect(await confirm.textContent()).toContain('2 items');
    await page.emulateMedia({ colorScheme: 'dark' });
    await web.screenshot('43-delete-confirm-dark');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-testid="remote-pane"] .file-table-empty').waitFor();
    await openTab(page, 'Log');
    await web.screenshot('44-dark-theme-log');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
