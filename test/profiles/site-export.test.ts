import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProfileBackend } from '../../main/profiles/profile-backend';
import { exportSites, readSiteExport } from '../../main/profiles/site-export';
import { SiteStore } from '../../main/profiles/site-store';
import { ConsentStore } from '../../main/trust/consent-store';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

const FAST = { N: 1024, r: 8, p: 1 };
let dir: string;
let secrets: SecretStore;
let sites: SiteStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-export-'));
  secrets = new SecretStore(dir, new FakeSafeStorage());
  sites = new SiteStore(openProfileBackend(dir), secrets, new ConsentStore(dir));
  await sites.save({ name: 'A', folder: 'X', protocol: 'sftp', host: 'a.example', port: 22, user: 'u', auth: 'password', passive: true, charset: 'utf8', transferLimit: 2, secret: 'alpha-secret' });
  await sites.save({ name: 'B', folder: '', protocol: 'ftp', host: 'b.example', port: 21, user: '', auth: 'anonymous', passive: true, charset: 'utf8', transferLimit: 4 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stored = async () => Promise.all((await sites.list()).map((s) => sites.stored(s.id)));

describe('site export', () => {
  it('exports without any secret when no passphrase is given', async () => {
    const text = await exportSites(await stored(), { readSecret: (id) => secrets.read(id) });
    expect(text).not.toContain('alpha-secret');
    expect(text).not.toContain('"secrets"');
    expect(text).not.toMatch(/"id"|createdAt/);
    const back = await readSiteExport(text, 'whatever-passphrase');
    expect(back.map((s) => s.name)).toEqual(['B', 'A']);
    expect(back.every((s) => s.secret === undefined)).toBe(true);
  });

  it('seals secrets with a passphrase and restores them only with it', async () => {
    const text = await exportSites(await stored(), { passphrase: 'export-pass', readSecret: (id) => secrets.read(id), scrypt: FAST });
    expect(text).not.toContain('alpha-secret');
    expect(text).not.toContain(Buffer.from('alpha-secret').toString('base64'));
    expect((await readSiteExport(text, 'export-pass')).find((s) => s.name === 'A')?.secret).toBe('alpha-secret');
    await expect(readSiteExport(text, 'wrong-pass')).rejects.toMatchObject({ code: 'auth-failed' });
    expect((await readSiteExport(text)).every((s) => s.secret === undefined)).toBe(true);

    // Re-imported on a fresh machine, the sites save cleanly with their secret.
    const other = await mkdtemp(join(tmpdir(), 'ferry-export-b-'));
    try {
      const otherSecrets = new SecretStore(other, new FakeSafeStorage());
      const otherSites = new SiteStore(openProfileBackend(other), otherSecrets, new ConsentStore(other));
      for (const input of await readSiteExport(text, 'export-pass')) await otherSites.save(input);
      const a = (await otherSites.list()).find((s) => s.name === 'A')!;
      expect(a).toMatchObject({ folder: 'X', host: 'a.example', hasSecret: true });
      expect(await otherSecrets.read(a.id)).toBe('alpha-secret');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('does not let sealed secrets move between sites', async () => {
    const text = await exportSites(await stored(), { passphrase: 'export-pass', readSecret: async () => 'same', scrypt: FAST });
    const file = JSON.parse(text) as { secrets: { entries: Record<string, string> } };
    [file.secrets.entries['0'], file.secrets.entries['1']] = [file.secrets.entries['1']!, file.secrets.entries['0']!];
    expect((await readSiteExport(JSON.stringify(file), 'export-pass')).every((s) => s.secret === undefined)).toBe(true);
  });

  it('refuses short passphrases and foreign files', async () => {
    await expect(exportSites(await stored(), { passphrase: 'short', readSecret: async () => undefined })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(readSiteExport('{"format":"other"}')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(readSiteExport('not json')).rejects.toMatchObject({ code: 'invalid-request' });
  });
});
