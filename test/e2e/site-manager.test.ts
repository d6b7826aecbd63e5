import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// The site manager against the real profile store: import FileZilla's sitemanager.xml from a
// chosen file, create a site in the form, create a folder and a site in it, and connect one (asking for the password if no
// keyring keeps it).
describe('site manager', () => {
  let base: string;
  let server: TestServer;
  let web: FerryWeb;
  let xmlPath: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-sites-'));
    const root = join(base, 'root');
    await mkdir(join(root, 'home', 'site-files'), { recursive: true });
    await mkdir(join(base, 'home', '.ssh'), { recursive: true });
    await writeFile(join(base, 'home', '.ssh', 'id_ed25519'), 'not a real key\n', { mode: 0o600 });
    await writeFile(join(base, 'home', '.ssh', 'id_ed25519.pub'), 'ssh-ed25519 AAAA test\n');
    server = await startTestServer({ root, users: { bob: { password: 'bobs-pw' } }, methods: ['password'] });
    xmlPath = join(base, 'sitemanager.xml');
    await writeFile(
      xmlPath,
      `<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.0" platform="*nix">
  <Servers>
    <Folder expanded="1">Clients
      <Server>
        <Host>127.0.0.1</Host><Port>${server.port}</Port><Protocol>1</Protocol><Type>0</Type>
        <User>bob</User><Pass encoding="base64">${Buffer.from('bobs-pw').toString('base64')}</Pass>
        <Logontype>1</Logontype><RemoteDir>1 0 4 home</RemoteDir><Name>Staging box</Name>
      </Server>
    </Folder>
    <Server><Host>cloud.example</Host><Protocol>7</Protocol><Logontype>6</Logontype><Name>Cloud</Name></Server>
  </Servers>
</FileZilla3>`,
    );
    web = await startFerryWeb({ home: join(base, 'home') });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('opens with focus on a visible control, keeps Tab inside among visible ones, and closes on Escape', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Sites', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Site manager' });
    await dialog.getByRole('list', { name: 'Saved sites' }).waitFor();
    const focused = (): Promise<{ inside: boolean; visible: boolean; label: string }> =>
      dialog.evaluate((d) => {
        const el = document.activeElement as HTMLElement;
        return { inside: d.contains(el), visible: el.checkVisibility({ visibilityProperty: true }), label: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '' };
      });
    expect(await focused()).toMatchObject({ inside: true, visible: true });
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      const now = await focused();
      expect(now).toMatchObject({ inside: true, visible: true });
      seen.push(now.label);
    }
    expect(seen).not.toContain('FileZilla sitemanager.xml');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('imports sitemanager.xml chosen in a file picker', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Sites', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Site manager' });
    await dialog.getByLabel('FileZilla sitemanager.xml').setInputFiles(xmlPath);
    await page.getByText(/Imported 1 site, skipped 1/).waitFor({ timeout: 15_000 });
    const tree = dialog.getByRole('list', { name: 'Saved sites' });
    await tree.getByText('Clients').waitFor();
    await tree.getByRole('button', { name: /Staging box/ }).click();
    expect(await dialog.getByLabel('Host').inputValue()).toBe('127.0.0.1');
    expect(await dialog.getByLabel('Default remote folder').inputValue()).toBe('/home');
    await web.screenshot('50-site-manager-imported');
  });

  it('creates a site from the form', async () => {
    const { page } = web;
    const dialog = page.getByRole('dialog', { name: 'Site manager' });
    await dialog.getByRole('button', { name: 'New site' }).click();
    await dialog.getByLabel('Name').fill('Backup FTP');
    await dialog.getByLabel('Protocol').selectOption('ftp');
    await dialog.getByLabel('Encryption').selectOption({ label: 'Require explicit FTP over TLS' });
    await web.screenshot('55-site-manager-ftp-encryption');
    await dialog.getByLabel('Host').fill('backup.example');
    await dialog.getByLabel('User').fill('carol');
    // This browser run has no OS keyring: the typed password cannot be stored, and the form says so.
    await dialog.getByLabel('Password', { exact: true }).fill('carols-pw');
    await dialog.getByText(/No system keyring is available, so this password will not be saved/).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('list', { name: 'Saved sites' }).getByRole('button', { name: /Backup FTP/ }).waitFor();
    await dialog.getByText('Saved “Backup FTP” without its password: no system keyring is available.', { exact: false }).waitFor();
    expect(await dialog.getByLabel('Data connection').count()).toBe(1);
    expect(await dialog.getByLabel('Encryption').inputValue()).toBe('ftpes');
  });

  it('chooses a private key file with Browse…, starting in ~/.ssh (listed through the bridge)', async () => {
    const { page } = web;
    const dialog = page.getByRole('dialog', { name: 'Site manager' });
    await dialog.getByRole('button', { name: 'New site' }).click();
    await dialog.getByLabel('Name').fill('Key login');
    await dialog.getByLabel('Host').fill('keys.example');
    await dialog.getByLabel('User').fill('erin');
    await dialog.getByLabel('Authentication').selectOption('key');
    await dialog.getByRole('button', { name: 'Browse…' }).click();
    const chooser = page.getByRole('dialog', { name: 'Choose a private key file' });
    await chooser.getByLabel('Folder shown').filter({ hasText: join(base, 'home', '.ssh') }).waitFor();
    await web.screenshot('54-key-file-chooser');
    await chooser.getByRole('button', { name: /^id_ed25519$/ }).dblclick();
    await chooser.waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('Private key file').inputValue()).toBe(join(base, 'home', '.ssh', 'id_ed25519'));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('list', { name: 'Saved sites' }).getByRole('button', { name: /Key login/ }).waitFor();
  });

  it('creates a folder and a site in it, both kept after a reload', async () => {
    const { page } = web;
    let dialog = page.getByRole('dialog', { name: 'Site manager' });
    let tree = dialog.getByRole('list', { name: 'Saved sites' });
    await tree.getByRole('button', { name: 'My sites (top folder)' }).click();
    await dialog.getByRole('button', { name: 'New folder' }).click();
    const ask = page.getByRole('dialog', { name: 'New folder' });
    await ask.getByRole('textbox').fill('Backups');
    await ask.getByRole('button', { name: 'Create' }).click();
    await tree.getByRole('button', { name: 'Folder Backups' }).and(page.locator('[aria-current="true"]')).waitFor();
    await dialog.getByRole('button', { name: 'New folder' }).click();
    await ask.getByRole('textbox').fill('Empty');
    await ask.getByRole('button', { name: 'Create' }).click();
    await tree.getByRole('button', { name: 'Folder Backups/Empty' }).waitFor();
    await tree.getByRole('button', { name: 'Folder Backups', exact: true }).click();
    await dialog.getByRole('button', { name: 'New site' }).click();
    expect(await dialog.getByLabel('Folder', { exact: true }).inputValue()).toBe('Backups');
    await dialog.getByLabel('Name').fill('Nightly');
    await dialog.getByLabel('Host').fill('nightly.example');
    await dialog.getByLabel('User').fill('dave');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await tree.getByRole('button', { name: /Nightly/ }).waitFor();
    await web.screenshot('53-site-manager-folders');

    await page.reload();
    await page.getByRole('button', { name: 'Sites', exact: true }).click();
    dialog = page.getByRole('dialog', { name: 'Site manager' });
    tree = dialog.getByRole('list', { name: 'Saved sites' });
    await tree.getByRole('button', { name: 'Folder Backups/Empty' }).waitFor();
    await tree.getByRole('button', { name: /Nightly/ }).click();
    expect(await dialog.getByLabel('Folder', { exact: true }).inputValue()).toBe('Backups');
    // The tree lists the site right under its folder (Backups, Backups/Empty, Nightly).
    const labels = await tree.getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent?.trim()));
    const at = labels.indexOf('Folder Backups');
    expect(labels.slice(at, at + 3).map((l) => l?.replace(/\s*sftp$/, ''))).toEqual(['Folder Backups', 'Folder Backups/Empty', 'Nightly']);
  });

  it('connects the imported site and lands in its remote folder', async () => {
    const { page } = web;
    const dialog = page.getByRole('dialog', { name: 'Site manager' });
    await dialog.getByRole('list', { name: 'Saved sites' }).getByRole('button', { name: /Staging box/ }).click();
    await dialog.getByRole('button', { name: 'Connect' }).click();
    // Main asks for the host key and, without a keyring in this browser run, for the password
    // (in whichever order it needs them); answer each until the listing shows.
    const hostKey = page.getByRole('dialog', { name: 'Unknown host key' });
    const password = page.getByRole('dialog', { name: 'Password required' });
    const listed = row(page, 'remote', 'site-files');
    const asked: string[] = [];
    for (let i = 0; i < 4 && !(await listed.isVisible()); i++) {
      await Promise.race([hostKey.waitFor({ timeout: 20_000 }), password.waitFor({ timeout: 20_000 }), listed.waitFor({ timeout: 20_000 })]);
      if (await hostKey.isVisible()) {
        asked.push('host-key');
        await hostKey.getByRole('button', { name: 'Trust always' }).click();
      } else if (await password.isVisible()) {
        asked.push('password');
        await web.screenshot('51-site-password-prompt');
        await password.locator('input[type="password"]').fill('bobs-pw');
        await password.getByRole('button', { name: 'OK' }).click();
      }
    }
    expect(asked).toContain('host-key');
    await listed.waitFor({ timeout: 20_000 });
    await web.screenshot('52-site-connected');
  });
});
