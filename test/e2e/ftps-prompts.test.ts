import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedFtp, type EmbeddedServer } from '../protocols/ftp/helpers/embedded-ftp-server';
import { makeSelfSignedCert } from '../protocols/ftp/helpers/temp-dir';
import { dragRowToPane, openTab, quickconnect, row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// FTPES (explicit TLS) to a server with a self-signed certificate: the certificate prompt with
// its details, then an upload onto an existing file: the file-exists prompt and "Overwrite";
// then implicit TLS (ftps://) on another port.
describe('FTPES certificate and file-exists prompts', () => {
  let base: string;
  let server: EmbeddedServer;
  let implicit: EmbeddedServer;
  let web: FerryWeb;
  let tls: ReturnType<typeof makeSelfSignedCert>;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-ftps-'));
    const root = join(base, 'root');
    const home = join(base, 'home');
    await mkdir(root);
    await mkdir(home);
    await writeFile(join(root, 'same.txt'), 'old remote\n');
    await writeFile(join(home, 'same.txt'), 'new local version\n');
    tls = makeSelfSignedCert(base);
    server = await startEmbeddedFtp(root, 'explicit', tls);
    implicit = await startEmbeddedFtp(root, 'implicit', tls);
    web = await startFerryWeb({ home });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await implicit?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('asks to trust the self-signed certificate, showing subject and fingerprint', async () => {
    const { page } = web;
    await row(page, 'local', 'same.txt').waitFor();
    await quickconnect(page, { protocol: 'ftpes', host: '127.0.0.1', port: server.port, user: 'alice', password: 'secret' });
    const dialog = page.getByRole('dialog', { name: 'Untrusted certificate' });
    await dialog.waitFor({ timeout: 20_000 });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('ferry-test');
    expect(text).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    await web.screenshot('60-ftps-certificate-prompt');
    await dialog.getByRole('button', { name: 'Trust always' }).click();
    await row(page, 'remote', 'same.txt').waitFor({ timeout: 20_000 });
  });

  it('shows the trusted certificate in the trust center: subject, issuer, validity and PEM', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Trust center' }).click();
    const center = page.getByRole('dialog', { name: 'Trust center' });
    const show = center.getByRole('button', { name: `Show the certificate of 127.0.0.1:${server.port}` });
    await show.waitFor({ timeout: 10_000 });
    await web.screenshot('62-trust-center-with-certificate');
    await show.click();
    const details = page.getByRole('dialog', { name: `Certificate of 127.0.0.1:${server.port}` });
    await details.getByLabel('Certificate (PEM)').waitFor({ timeout: 10_000 });
    expect(await details.textContent()).toContain('ferry-test');
    const pem = await details.getByLabel('Certificate (PEM)').inputValue();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/);
    expect(pem.replace(/\s+/g, '')).toBe(tls.cert.toString().replace(/\s+/g, ''));
    await web.screenshot('63-trust-center-certificate-details');
    await details.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog', { name: 'Trust center' }).getByRole('button', { name: 'Close' }).click();
  });

  it('asks what to do with an existing file and overwrites it', async () => {
    const { page } = web;
    await dragRowToPane(page, 'local', 'same.txt', 'remote');
    const exists = page.getByRole('dialog', { name: 'The file already exists' });
    await exists.waitFor({ timeout: 20_000 });
    expect(await exists.textContent()).toContain('same.txt');
    // The queue says the item waits for this answer, not that it is transferring.
    expect(await page.locator('.queue-row[data-waiting="answer"] .state-pill').textContent()).toBe('Waiting for your answer');
    await web.screenshot('61-file-exists-prompt');
    await exists.getByRole('button', { name: 'Overwrite', exact: true }).click();
    await openTab(page, 'Done');
    await page.locator('.queue-row[data-state="done"]').first().waitFor({ timeout: 30_000 });
    expect(await readFile(join(base, 'root', 'same.txt'), 'utf8')).toBe('new local version\n');
  });

  it('connects with implicit TLS (ftps://), asking for the certificate again since trust is per port', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await quickconnect(page, { protocol: 'ftps', host: '127.0.0.1', port: implicit.port, user: 'alice', password: 'secret' });
    const certificate = page.getByRole('dialog', { name: 'Untrusted certificate' });
    await certificate.waitFor({ timeout: 20_000 });
    expect(await certificate.textContent()).toContain(`127.0.0.1:${implicit.port}`);
    await certificate.getByRole('button', { name: 'Trust once' }).click();
    await row(page, 'remote', 'same.txt').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="remote-pane"] .conn-badge').textContent()).toContain(`ftps://alice@127.0.0.1:${implicit.port}`);
  });
});
