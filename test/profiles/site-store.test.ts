import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../shared/model/site';
import { openProfileBackend } from '../../main/profiles/profile-backend';
import { SettingsStore } from '../../main/profiles/settings-store';
import { SiteStore } from '../../main/profiles/site-store';
import { ConsentStore } from '../../main/trust/consent-store';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

const BASE: SiteInput = {
  name: 'Web server', folder: 'Work/Clients', protocol: 'sftp', host: 'Example.ORG', port: 22, user: 'alice',
  auth: 'password', passive: true, charset: 'utf8', transferLimit: 4,
};

let dir: string;
let secrets: SecretStore;
let consents: ConsentStore;
let sites: SiteStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-profiles-'));
  secrets = new SecretStore(dir, new FakeSafeStorage(), { scrypt: { N: 1024, r: 8, p: 1 } });
  consents = new ConsentStore(dir);
  sites = new SiteStore(openProfileBackend(dir), secrets, consents);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SiteStore under conf', () => {
  it('creates a site, normalizes it, persists it in profiles.json (0600) and never returns or stores the secret in it', async () => {
    const site = await sites.save({ ...BASE, folder: ' Work//Clients/ ', secret: 's3cret-pw' });
    expect(site).toMatchObject({ name: 'Web server', folder: 'Work/Clients', host: 'example.org', hasSecret: true, allowPlain: false });
    expect(site.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(site)).not.toContain('s3cret-pw');
    expect('secret' in site).toBe(false);
    const file = await readFile(join(dir, 'profiles.json'), 'utf8');
    expect(file).toContain('"example.org"');
    expect(file).not.toContain('s3cret-pw');
    expect((await stat(join(dir, 'profiles.json'))).mode & 0o077).toBe(0);
    expect(await secrets.read(site.id)).toBe('s3cret-pw');

    const reopened = new SiteStore(openProfileBackend(dir), secrets, consents);
    expect(await reopened.list()).toEqual([site]);
  });

  it('updates a site in place, keeping, replacing or forgetting its secret', async () => {
    const created = await sites.save({ ...BASE, secret: 'one' });
    const kept = await sites.save({ ...BASE, id: created.id, name: 'Renamed' });
    expect(kept).toMatchObject({ id: created.id, name: 'Renamed', hasSecret: true });
    expect(await secrets.read(created.id)).toBe('one');
    await sites.save({ ...BASE, id: created.id, secret: 'two' });
    expect(await secrets.read(created.id)).toBe('two');
    expect(await sites.save({ ...BASE, id: created.id, secret: '' })).toMatchObject({ hasSecret: false });
    expect(await sites.list()).toHaveLength(1);
  });

  it('drops the secret when the login type no longer uses one', async () => {
    const created = await sites.save({ ...BASE, secret: 'pw' });
    expect(await sites.save({ ...BASE, id: created.id, auth: 'agent' })).toMatchObject({ hasSecret: false });
    expect(await secrets.has(created.id)).toBe(false);
  });

  it('reports hasSecret false when no keyring can keep it (asked each time instead)', async () => {
    const safe = new FakeSafeStorage();
    safe.available = false;
    const noKeyring = new SiteStore(openProfileBackend(dir), new SecretStore(dir, safe), consents);
    expect(await noKeyring.save({ ...BASE, secret: 'pw' })).toMatchObject({ hasSecret: false });
  });

  it('shows plain-FTP consent per site and withdraws it when the server changes', async () => {
    const ftp = await sites.save({ ...BASE, protocol: 'ftp', port: 21 });
    await consents.grantPlainFtp(ftp.id);
    expect((await sites.get(ftp.id)).allowPlain).toBe(true);
    expect((await sites.save({ ...BASE, protocol: 'ftp', port: 21, id: ftp.id, name: 'same server' })).allowPlain).toBe(true);
    expect((await sites.save({ ...BASE, protocol: 'ftp', port: 2121, id: ftp.id })).allowPlain).toBe(false);
  });

  it('deletes a site with its secret, consent and last paths', async () => {
    const a = await sites.save({ ...BASE, protocol: 'ftp', port: 21, secret: 'pw' });
    const b = await sites.save({ ...BASE, name: 'Other' });
    await consents.grantPlainFtp(a.id);
    sites.recordUse(a.id, { local: '/home/alice', remote: '/srv' });
    await sites.delete(a.id);
    expect((await sites.list()).map((s) => s.id)).toEqual([b.id]);
    expect(await secrets.has(a.id)).toBe(false);
    expect(await consents.hasPlainFtp(a.id)).toBe(false);
    expect(sites.lastPaths(a.id)).toBeUndefined();
    await expect(sites.delete(a.id)).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('duplicates a site with its stored secret, copied in main, leaving consent and last paths behind', async () => {
    const key = await sites.save({ ...BASE, auth: 'key', keyFile: '/home/alice/.ssh/id_ed25519', secret: 'key-passphrase' });
    const ftp = await sites.save({ ...BASE, name: 'Files', protocol: 'ftp', port: 21, secret: 'ftp-pw' });
    await consents.grantPlainFtp(ftp.id);
    sites.recordUse(ftp.id, { remote: '/srv' });

    const keyCopy = await sites.duplicate(key.id);
    expect(keyCopy).toMatchObject({ name: 'Web server (copy)', auth: 'key', keyFile: '/home/alice/.ssh/id_ed25519', folder: 'Work/Clients', hasSecret: true });
    expect(keyCopy.id).not.toBe(key.id);
    expect(await secrets.read(keyCopy.id)).toBe('key-passphrase');
    expect(JSON.stringify(keyCopy)).not.toContain('key-passphrase');

    const ftpCopy = await sites.duplicate(ftp.id);
    expect(ftpCopy).toMatchObject({ name: 'Files (copy)', hasSecret: true, allowPlain: false });
    expect(await secrets.read(ftpCopy.id)).toBe('ftp-pw');
    expect(sites.lastPaths(ftpCopy.id)).toBeUndefined();
    // The copies are independent: forgetting the copy's secret keeps the original's.
    await sites.save({ ...BASE, id: keyCopy.id, auth: 'key', keyFile: '/home/alice/.ssh/id_ed25519', secret: '' });
    expect(await secrets.read(key.id)).toBe('key-passphrase');
    expect(await sites.list()).toHaveLength(4);
    await expect(sites.duplicate('nope')).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('refuses to duplicate a site whose stored secret cannot be read now, instead of dropping it', async () => {
    const site = await sites.save({ ...BASE, secret: 'pw' });
    await secrets.setMasterPassword('master password');
    const relocked = new SiteStore(openProfileBackend(dir), new SecretStore(dir, new FakeSafeStorage(), { scrypt: { N: 1024, r: 8, p: 1 } }), consents);
    await expect(relocked.duplicate(site.id)).rejects.toMatchObject({ code: 'auth-failed', message: expect.stringMatching(/master password/) });
    expect(await relocked.list()).toHaveLength(1);
    expect((await sites.duplicate(site.id)).hasSecret).toBe(true);
  });

  it('remembers last-used folders and the last use time', async () => {
    let now = 1000;
    const clocked = new SiteStore(openProfileBackend(dir), secrets, consents, () => now);
    const site = await clocked.save(BASE);
    now = 2000;
    clocked.recordUse(site.id, { local: '/home/alice/www' });
    clocked.recordUse(site.id, { remote: '/var/www' });
    expect(clocked.lastPaths(site.id)).toEqual({ local: '/home/alice/www', remote: '/var/www', at: 2000 });
    expect(clocked.stored(site.id).lastUsed).toBe(2000);
    expect(clocked.lastPaths('__proto__')).toBeUndefined();
  });

  it('lists by folder then name', async () => {
    await sites.save({ ...BASE, name: 'b', folder: 'Z' });
    await sites.save({ ...BASE, name: 'a', folder: 'Z' });
    await sites.save({ ...BASE, name: 'c', folder: '' });
    expect((await sites.list()).map((s) => `${s.folder}/${s.name}`)).toEqual(['/c', 'Z/a', 'Z/b']);
  });

  it('refuses unknown ids for update', async () => {
    await expect(sites.save({ ...BASE, id: 'nope' })).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/no saved site/) });
  });
});

describe('site validation', () => {
  const bad: [Partial<SiteInput> & Record<string, unknown>, RegExp][] = [
    [{ name: '   ' }, /site name must not be empty/],
    [{ name: 'x'.repeat(129) }, /site name is too long/],
    [{ name: 'a\u0000b' }, /control characters/],
    [{ host: 'exa mple.org' }, /not a valid host/],
    [{ host: 'a/b' }, /not a valid host/],
    [{ host: 'user@host' }, /not a valid host/],
    [{ host: 'host:22' }, /not a valid host/],
    [{ host: 'h?x' }, /not a valid host/],
    [{ host: 'h#x' }, /not a valid host/],
    [{ host: '-bad.example' }, /not a valid host/],
    [{ host: '' }, /host must not be empty/],
    [{ port: 0 }, /port must be a whole number from 1 to 65535/],
    [{ port: 22.5 }, /port/],
    [{ port: '22' as unknown as number }, /port/],
    [{ protocol: 'http' as never }, /protocol must be one of/],
    [{ auth: 'anonymous' }, /SFTP has no anonymous login/],
    [{ protocol: 'ftp', auth: 'key' }, /needs SFTP/],
    [{ auth: 'key' }, /needs a key file/],
    [{ auth: 'key', keyFile: 'relative/id_ed25519' }, /key file must be an absolute path/],
    [{ user: '' }, /user name must not be empty/],
    [{ charset: 'klingon-8' }, /not a character set/],
    [{ transferLimit: 17 }, /transfer limit must be a whole number from 1 to 16/],
    [{ remoteDir: 'srv/www' }, /remote folder must be an absolute path/],
    [{ localDir: 'Documents' }, /local folder must be an absolute path/],
    [{ folder: 'a/../b' }, /cannot be "\." or "\.\."/],
    [{ passive: 'yes' as unknown as boolean }, /Passive mode/],
  ];
  it.each(bad)('refuses %j', async (patch, message) => {
    await expect(sites.save({ ...BASE, ...patch } as SiteInput)).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(message) });
    expect(await sites.list()).toEqual([]);
  });

  it('accepts IP addresses, IDN hosts, anonymous FTP and other charsets', async () => {
    expect((await sites.save({ ...BASE, host: '[2001:DB8::1]' })).host).toBe('2001:db8::1');
    expect((await sites.save({ ...BASE, host: '192.0.2.7' })).host).toBe('192.0.2.7');
    expect((await sites.save({ ...BASE, host: 'bücher.example' })).host).toBe('xn--bcher-kva.example');
    expect(await sites.save({ ...BASE, protocol: 'ftp', auth: 'anonymous', user: '', charset: 'ISO-8859-1' })).toMatchObject({ user: '', charset: 'iso-8859-1' });
    expect(await sites.save({ ...BASE, auth: 'key', keyFile: '/home/alice/.ssh/id_ed25519' })).toMatchObject({ keyFile: '/home/alice/.ssh/id_ed25519' });
    expect(await sites.save({ ...BASE, auth: 'key', keyFile: '~/.ssh/id_ed25519', localDir: '~' })).toMatchObject({ keyFile: join(homedir(), '.ssh/id_ed25519'), localDir: homedir() });
    await expect(sites.save({ ...BASE, remoteDir: '~/www' })).rejects.toMatchObject({ code: 'invalid-request' });
  });
});

describe('SettingsStore under conf', () => {
  it('starts with defaults, validates updates and persists them', () => {
    const settings = new SettingsStore(openProfileBackend(dir));
    expect(settings.get()).toMatchObject({ theme: 'system', parallel: 4, onExists: 'ask' });
    expect(settings.set({ theme: 'dark', parallel: 8, layout: { paneSplit: 0.3, queueHeight: 300 } })).toMatchObject({ theme: 'dark', parallel: 8 });
    expect(new SettingsStore(openProfileBackend(dir)).get()).toMatchObject({ theme: 'dark', parallel: 8, layout: { paneSplit: 0.3, queueHeight: 300 } });
  });

  it('keeps resized column widths: known columns, whole pixels in bounds, untouched by other layout changes', () => {
    const settings = new SettingsStore(openProfileBackend(dir));
    expect(settings.get().layout.columns).toBeUndefined();
    settings.set({ layout: { paneSplit: 0.5, queueHeight: 240, columns: { size: 120, mode: 90 } } });
    // A later split change without columns leaves them as they were.
    settings.set({ layout: { paneSplit: 0.4, queueHeight: 240 } });
    expect(new SettingsStore(openProfileBackend(dir)).get().layout).toEqual({ paneSplit: 0.4, queueHeight: 240, columns: { size: 120, mode: 90 } });
    const before = settings.get();
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, columns: { name: 300 } as never } })).toThrow(/"name" is not a resizable column/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, columns: { size: 10 } } })).toThrow(/column width must be a whole number from 48 to 2000/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, columns: { owner: 80.5 } } })).toThrow(/column width/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, columns: [] as never } })).toThrow(/column widths must be an object/);
    expect(settings.get()).toEqual(before);
  });

  it('keeps each pane\'s column widths apart, next to the shared ones of earlier versions, and checks them the same way', () => {
    const settings = new SettingsStore(openProfileBackend(dir));
    settings.set({ layout: { paneSplit: 0.5, queueHeight: 240, columns: { size: 120 } } });
    settings.set({ layout: { paneSplit: 0.5, queueHeight: 240, paneColumns: { local: { mtime: 150 }, remote: { size: 70, owner: 200 } } } });
    settings.set({ layout: { paneSplit: 0.45, queueHeight: 240 } });
    expect(new SettingsStore(openProfileBackend(dir)).get().layout).toEqual({
      paneSplit: 0.45,
      queueHeight: 240,
      columns: { size: 120 },
      paneColumns: { local: { mtime: 150 }, remote: { size: 70, owner: 200 } },
    });
    const before = settings.get();
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, paneColumns: { middle: { size: 90 } } as never } })).toThrow(/"middle" is not a pane/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, paneColumns: { local: { name: 300 } } as never } })).toThrow(/"name" is not a resizable column/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, paneColumns: { remote: { size: 5000 } } } })).toThrow(/column width must be a whole number/);
    expect(() => settings.set({ layout: { paneSplit: 0.4, queueHeight: 240, paneColumns: [] as never } })).toThrow(/pane column widths must be an object/);
    expect(settings.get()).toEqual(before);
  });

  it('maps the timeout setting onto every connection phase', () => {
    const settings = new SettingsStore(openProfileBackend(dir));
    settings.set({ timeoutSec: 5 });
    expect(settings.timeouts()).toEqual({ connectMs: 5000, tlsMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 10_000 });
    settings.set({ timeoutSec: 120 });
    expect(settings.timeouts().idleMs).toBe(120_000);
  });

  it('refuses bad values by name and changes nothing', () => {
    const settings = new SettingsStore(openProfileBackend(dir));
    const before = settings.get();
    expect(() => settings.set({ parallel: 0 })).toThrow(/Parallel transfers must be a whole number from 1 to 16/);
    expect(() => settings.set({ theme: 'neon' as never })).toThrow(/theme must be one of/);
    expect(() => settings.set({ timeoutSec: 1.5 })).toThrow(/timeout/);
    expect(() => settings.set({ layout: { paneSplit: 2, queueHeight: 1 } })).toThrow(/pane split/);
    expect(() => settings.set({ theme: 'dark', bogus: 1 } as never)).toThrow(/"bogus" is not a setting/);
    expect(settings.get()).toEqual(before);
  });
});
