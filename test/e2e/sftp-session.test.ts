import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { dragRowToPane, openTab, quickconnect, row, rowNames } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

const PASSWORD = 'Pw-e2e-7q!zr';

// Quickconnect to an SFTP server (ssh2's in-process server over a temp folder) through the real
// core: the unknown host key prompt, browsing, sorting, filtering, a drag-and-drop upload that
// completes in the queue and shows up in the listing, and the log without the password.
describe('SFTP session in the browser UI', () => {
  let base: string;
  let server: TestServer;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-sftp-'));
    const root = join(base, 'root');
    const home = join(base, 'home');
    // The test server's home (realpath '.') is /home.
    const pub = join(root, 'home', 'pub');
    await mkdir(join(pub, 'deep'), { recursive: true });
    await mkdir(home);
    await writeFile(join(pub, 'small.txt'), 'small');
    await writeFile(join(pub, 'large.bin'), Buffer.alloc(200_000, 7));
    await writeFile(join(pub, 'medium.dat'), Buffer.alloc(20_000, 1));
    await writeFile(join(home, 'upload-me.txt'), 'uploaded through drag and drop\n');
    server = await startTestServer({ root, users: { alice: { password: PASSWORD } }, methods: ['password'] });
    web = await startFerryWeb({ home });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('asks to trust the unknown host key, then lists the remote home', async () => {
    const { page } = web;
    await row(page, 'local', 'upload-me.txt').waitFor();
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'alice', password: PASSWORD });
    const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toContain(server.fingerprint);
    await web.screenshot('10-sftp-host-key-prompt');
    await dialog.getByRole('button', { name: 'Trust always' }).click();
    await row(page, 'remote', 'pub').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Password').inputValue()).toBe('');
  });

  it('browses into a folder, sorts by size and filters', async () => {
    const { page } = web;
    await row(page, 'remote', 'pub').dblclick();
    await row(page, 'remote', 'small.txt').waitFor();
    expect(await rowNames(page, 'remote')).toEqual(['deep', 'large.bin', 'medium.dat', 'small.txt']);
    const pane = page.locator('[data-testid="remote-pane"]');
    await pane.getByRole('columnheader', { name: /Size/ }).click();
    expect(await rowNames(page, 'remote')).toEqual(['deep', 'small.txt', 'medium.dat', 'large.bin']);
    await pane.getByRole('columnheader', { name: /Size/ }).click();
    expect(await rowNames(page, 'remote')).toEqual(['deep', 'large.bin', 'medium.dat', 'small.txt']);
    await web.screenshot('11-sftp-remote-sorted');
    await pane.getByLabel('Filter remote files').fill('.d');
    expect(await rowNames(page, 'remote')).toEqual(['medium.dat']);
    await pane.getByLabel('Filter remote files').fill('');
    await pane.getByRole('columnheader', { name: /Name/ }).click();
  });

  it('uploads a local file dragged onto the remote pane and lists it when done', async () => {
    const { page } = web;
    await dragRowToPane(page, 'local', 'upload-me.txt', 'remote');
    await openTab(page, 'Done');
    await page.locator('.queue-row[data-state="done"]').first().waitFor({ timeout: 30_000 });
    await row(page, 'remote', 'upload-me.txt').waitFor({ timeout: 15_000 });
    expect(await readFile(join(base, 'root', 'home', 'pub', 'upload-me.txt'), 'utf8')).toBe('uploaded through drag and drop\n');
    await web.screenshot('12-sftp-upload-done');
  });

  it('shows the session in the log, with the password redacted', async () => {
    const { page } = web;
    await openTab(page, 'Log');
    const log = page.getByRole('log', { name: 'Log lines' });
    await log.locator('.log-line').first().waitFor();
    const text = await log.textContent();
    expect(text).toContain('127.0.0.1');
    expect(text).not.toContain(PASSWORD);
    const snapshot = await web.core.log.snapshot();
    expect(JSON.stringify(snapshot)).not.toContain(PASSWORD);
    await web.screenshot('13-sftp-log');
  });
});
