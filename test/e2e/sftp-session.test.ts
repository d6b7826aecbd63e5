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
    await mkdir(join(home, 'album', 'day1'), { recursive: true });
    await writeFile(join(home, 'album', 'cover.jpg'), Buffer.alloc(3000, 9));
    await writeFile(join(home, 'album', 'day1', 'p1.jpg'), Buffer.alloc(5000, 3));
    await mkdir(join(root, 'home', 'locked'));
    await mkdir(join(root, 'slow'));
    await writeFile(join(root, 'slow', 'disk.iso'), Buffer.alloc(6 * 1024 * 1024, 5));
    // READs answered one at a time, 40 ms each: a download slow enough to watch in the queue.
    const sftp = { denied: ['/home/locked'], serialReads: true, readDelayMs: 40 };
    server = await startTestServer({ root, users: { alice: { password: PASSWORD } }, methods: ['password'], sftp });
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

  it('uploads a folder recursively and downloads a file dragged onto the local pane', async () => {
    const { page } = web;
    await dragRowToPane(page, 'local', 'album', 'remote');
    await row(page, 'remote', 'album').waitFor({ timeout: 30_000 });
    const pub = join(base, 'root', 'home', 'pub');
    await expect.poll(() => readFile(join(pub, 'album', 'day1', 'p1.jpg')).then((b) => b.length, () => 0), { timeout: 30_000 }).toBe(5000);
    expect((await readFile(join(pub, 'album', 'cover.jpg'))).length).toBe(3000);

    await dragRowToPane(page, 'remote', 'medium.dat', 'local');
    await row(page, 'local', 'medium.dat').waitFor({ timeout: 30_000 });
    expect((await readFile(join(base, 'home', 'medium.dat'))).length).toBe(20_000);
  });

  it('lists a failed upload with its reason in the Failed tab', async () => {
    const { page } = web;
    await row(page, 'remote', 'pub').waitFor({ state: 'detached' }).catch(() => undefined);
    await page.locator('[data-testid="remote-pane"]').getByRole('button', { name: 'Up' }).click();
    await row(page, 'remote', 'locked').waitFor();
    await row(page, 'remote', 'locked').dblclick();
    // The server refuses every request under /home/locked, listing included: the pane stays and says so.
    await page.locator('[data-testid="remote-pane"] .pane-error').waitFor();
    await page.locator('[data-testid="remote-pane"] .pane-error').getByRole('button', { name: 'Dismiss' }).click();
    // Dropped with the mouse onto the folder's row: the upload goes into that folder.
    await row(page, 'local', 'upload-me.txt').dragTo(row(page, 'remote', 'locked'), { steps: 8 });
    await openTab(page, 'Failed');
    const failed = page.locator('.queue-row[data-state="failed"]').first();
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toContain('/home/locked/upload-me.txt');
    expect(await failed.locator('.queue-error').textContent()).toMatch(/denied/i);
    expect(await page.getByRole('tab', { name: /^Failed/ }).textContent()).toBe('Failed1');
    await web.screenshot('14-sftp-failed-transfer');
  });

  it('shows the session in the log, with the password redacted', async () => {
    const { page } = web;
    // A path that holds the password reaches the log through the SFTP command lines: redacted.
    await page.getByRole('button', { name: /^Edit remote path$/i }).click();
    await page.getByRole('textbox', { name: /^remote path$/i }).fill(`/home/no-${PASSWORD}`);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="remote-pane"] .pane-error').waitFor();
    await openTab(page, 'Log');
    const log = page.getByRole('log', { name: 'Log lines' });
    await log.locator('.log-line').first().waitFor();
    await log.getByText('list /home/no-***').first().waitFor();
    const text = await log.textContent();
    expect(text).toContain('127.0.0.1');
    expect(text).toContain('list /home/no-***');
    expect(text).not.toContain(PASSWORD);
    const snapshot = await web.core.log.snapshot();
    expect(JSON.stringify(snapshot)).not.toContain(PASSWORD);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(exported).toMatch(/INFO +\[sftp alice@127\.0\.0\.1:\d+\] connected to 127\.0\.0\.1/);
    expect(exported).not.toContain(PASSWORD);
    await web.screenshot('13-sftp-log');
  });

  it('shows a download in progress: progress bar, bytes, rate and ETA, then done', async () => {
    const { page } = web;
    await page.getByRole('button', { name: /^Edit remote path$/i }).click();
    await page.getByRole('textbox', { name: /^remote path$/i }).fill('/slow');
    await page.keyboard.press('Enter');
    await row(page, 'remote', 'disk.iso').waitFor();
    await dragRowToPane(page, 'remote', 'disk.iso', 'local');
    await openTab(page, 'Queued');
    const moving = page.locator('.queue-row[data-state="active"]').filter({ hasText: 'disk.iso' });
    await moving.waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await moving.getByRole('progressbar').getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(5);
    const percent = Number(await moving.getByRole('progressbar').getAttribute('aria-valuenow'));
    expect(percent).toBeLessThan(100);
    expect(await moving.locator('.state-pill').textContent()).toBe('Transferring');
    expect(await moving.locator('.queue-numbers').textContent()).toMatch(/\/ 6\.0 MiB.*\/s/);
    await web.screenshot('15-sftp-download-in-progress');
    await openTab(page, 'Done');
    await page.locator('.queue-row[data-state="done"]').filter({ hasText: 'disk.iso' }).waitFor({ timeout: 60_000 });
    expect((await readFile(join(base, 'home', 'disk.iso'))).length).toBe(6 * 1024 * 1024);
  });
});
