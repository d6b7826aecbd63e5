import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearFileZillaPasswords, decodeRemoteDir, importFileZilla, readFileZillaSites, scrubFileZillaPasswords } from '../../main/profiles/filezilla-import';
import { openProfileBackend } from '../../main/profiles/profile-backend';
import { SiteStore } from '../../main/profiles/site-store';
import { ConsentStore } from '../../main/trust/consent-store';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

const fixture = (name: string) => readFile(join(import.meta.dirname, 'fixtures', name), 'utf8');

let dir: string;
let secrets: SecretStore;
let sites: SiteStore;
let safe: FakeSafeStorage;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-fzimport-'));
  safe = new FakeSafeStorage();
  secrets = new SecretStore(dir, safe);
  sites = new SiteStore(openProfileBackend(dir), secrets, new ConsentStore(dir));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readFileZillaSites', () => {
  it('reads nested folders, protocols, logon types, ports and base64 passwords', async () => {
    const { sites: read, skipped } = readFileZillaSites(await fixture('sitemanager-nested.xml'));
    const byName = Object.fromEntries(read.map((s) => [s.input.name, s.input]));
    expect(Object.keys(byName)).toEqual(['Top FTP', 'Work SFTP', 'Implicit TLS', 'Explicit TLS', 'Key login', 'Anonymous mirror', 'Master-protected']);
    expect(byName['Top FTP']).toMatchObject({ folder: '', protocol: 'ftp', host: 'ftp.example.org', port: 21, user: 'bob', auth: 'password', secret: 'hunter2', remoteDir: '/srv/www', localDir: '/home/bob/site' });
    expect(byName['Work SFTP']).toMatchObject({ folder: 'Work', protocol: 'sftp', port: 2222, secret: 'pässwörd ✓' });
    expect(byName['Implicit TLS']).toMatchObject({ folder: 'Work/Clients', protocol: 'ftps', port: 990, auth: 'password' });
    expect(byName['Implicit TLS']).not.toHaveProperty('secret');
    expect(byName['Explicit TLS']).toMatchObject({ folder: 'Work/Clients', protocol: 'ftpes', port: 21, secret: 'd4ve' });
    expect(byName['Key login']).toMatchObject({ folder: 'Work', auth: 'key', keyFile: '/home/erin/.ssh/id_ed25519' });
    expect(byName['Anonymous mirror']).toMatchObject({ auth: 'anonymous', user: '' });
    expect(byName['Master-protected']).not.toHaveProperty('secret');
    expect(read.find((s) => s.input.name === 'Master-protected')?.notes).toEqual([expect.stringMatching(/FileZilla master password/)]);
    expect(skipped).toEqual([{ name: 'Cloud bucket', reason: 'protocol S3 is not supported' }]);
  });

  it('copes with a BOM, CRLF, entities, CDATA, legacy plain and Latin-1 passwords and odd charsets', async () => {
    const { sites: read, skipped } = readFileZillaSites(await fixture('sitemanager-odd.xml'));
    const [lab, win, bad] = read;
    expect(lab?.input).toMatchObject({ folder: 'R&D - Lab', name: 'Trailing name only', protocol: 'ftp', user: 'l<ab>', secret: 'plain&old', charset: 'iso-8859-1', passive: false, localDir: 'C:\\Users\\lab' });
    expect(lab?.input).not.toHaveProperty('remoteDir');
    expect(lab?.notes.join(' ')).toMatch(/plain FTP only.*not a Unix path/);
    expect(lab?.notes.join(' ')).not.toMatch(/active mode/);
    expect(win?.input).toMatchObject({ name: 'Win <CDATA> name', secret: 'café', charset: 'utf8' });
    expect(win?.notes.join(' ')).toMatch(/Latin-1.*EBCDIC-ZZ/);
    expect(bad?.input).toMatchObject({ auth: 'keyboard-interactive' });
    expect(bad?.input).not.toHaveProperty('secret');
    expect(bad?.notes).toEqual([expect.stringMatching(/not valid base64/)]);
    expect(skipped).toEqual([{ name: 'No host', reason: 'it has no host' }]);
  });

  it('refuses files that are not FileZilla site files, with a reason', () => {
    expect(() => readFileZillaSites('<NotFileZilla/>')).toThrow(expect.objectContaining({ code: 'invalid-request', message: expect.stringMatching(/not a FileZilla site file/) }));
    expect(() => readFileZillaSites('<FileZilla3><Servers>')).toThrow(/not a readable FileZilla site file.*never closed/);
    expect(() => readFileZillaSites('<!DOCTYPE x [<!ENTITY a "aaaa">]><FileZilla3/>')).toThrow(/DOCTYPE/);
  });

  it('decodes FileZilla safe paths', () => {
    expect(decodeRemoteDir('1 0 4 home 5 alice')).toBe('/home/alice');
    expect(decodeRemoteDir('1 0 10 with space 3 dir')).toBe('/with space/dir');
    expect(decodeRemoteDir('1 0')).toBe('/');
    expect(decodeRemoteDir('8 0 4 DISK')).toBeUndefined();
    expect(decodeRemoteDir('1 0 99 short')).toBeUndefined();
    expect(decodeRemoteDir('garbage')).toBeUndefined();
  });
});

describe('importFileZilla', () => {
  it('saves the sites, re-encrypts passwords in the secret store and reports, never leaking a password', async () => {
    const report = await importFileZilla(await fixture('sitemanager-nested.xml'), sites);
    expect(report).toMatchObject({ imported: 7, skipped: 1, secretsStored: 3, secretsNotStored: 1 });
    const text = JSON.stringify(report);
    for (const pw of ['hunter2', 'pässwörd', 'd4ve', 'c2VjcmV0']) expect(text).not.toContain(pw);
    const saved = await sites.list();
    expect(saved.map((s) => `${s.folder}|${s.name}|${s.hasSecret}`).sort()).toEqual([
      '|Anonymous mirror|false', '|Master-protected|false', '|Top FTP|true',
      'Work/Clients|Explicit TLS|true', 'Work/Clients|Implicit TLS|false', 'Work|Key login|false', 'Work|Work SFTP|true',
    ].sort());
    const top = saved.find((s) => s.name === 'Top FTP')!;
    expect(await secrets.read(top.id)).toBe('hunter2');
    const files = (await readFile(join(dir, 'profiles.json'), 'utf8')) + (await readFile(join(dir, 'secrets.json'), 'utf8'));
    expect(files).not.toContain('hunter2');
    expect(files).not.toContain(Buffer.from('hunter2').toString('base64'));
  });

  it('is harmless to run twice', async () => {
    const xml = await fixture('sitemanager-nested.xml');
    await importFileZilla(xml, sites);
    const again = await importFileZilla(xml, sites);
    expect(again).toMatchObject({ imported: 0, skipped: 8 });
    expect(await sites.list()).toHaveLength(7);
  });

  it('keeps sites whose local folder is from another OS, and skips invalid ones with the reason', async () => {
    const report = await importFileZilla(await fixture('sitemanager-odd.xml'), sites);
    expect(report).toMatchObject({ imported: 3, skipped: 2 });
    expect(report.messages).toContain('Skipped "No host": it has no host.');
    expect(report.messages.join('\n')).toMatch(/Skipped "R&D - Lab\/Invalid host": "bad host name!" is not a valid host/);
    expect(report.messages.join('\n')).toMatch(/local folder is not a path on this computer/);
    expect(report.messages.join('\n')).not.toContain('plain&old');
  });

  it('warns when the file was decoded with replacement characters', async () => {
    const xml = (await fixture('sitemanager-nested.xml')).replace('Top FTP', 'Caf\uFFFD server');
    const report = await importFileZilla(xml, sites);
    expect(report.messages[0]).toMatch(/not read as UTF-8/);
    expect(report.imported).toBe(7);
  });

  it('stores no password without a keyring, and says so', async () => {
    safe.available = false;
    const report = await importFileZilla(await fixture('sitemanager-nested.xml'), sites);
    expect(report).toMatchObject({ imported: 7, secretsStored: 0, secretsNotStored: 4 });
    expect(report.messages.at(-1)).toMatch(/no keyring.*Ferry will ask/);
    expect(safe.encrypted).toEqual([]);
  });
});

describe('scrubFileZillaPasswords', () => {
  it('removes every stored password and keeps the rest of the file as it was', async () => {
    const xml = await fixture('sitemanager-nested.xml');
    const { xml: clean, removed } = scrubFileZillaPasswords(xml);
    expect(removed).toBe(4);
    expect(clean).not.toMatch(/<Pass/);
    expect(clean).toContain('<Host>ftp.example.org</Host>');
    const { sites: read } = readFileZillaSites(clean);
    expect(read).toHaveLength(7);
    expect(read.every((s) => s.input.secret === undefined)).toBe(true);
    expect(clean.match(/<Logontype>2<\/Logontype>/g)?.length).toBe(5);
    expect(scrubFileZillaPasswords(clean)).toEqual({ xml: clean, removed: 0 });
  });
});

describe('clearFileZillaPasswords', () => {
  it('rewrites the file without passwords, keeping its permissions and leaving no copy behind', async () => {
    const path = join(dir, 'sitemanager.xml');
    await writeFile(path, await fixture('sitemanager-nested.xml'));
    await chmod(path, 0o600);
    expect(await clearFileZillaPasswords(path)).toEqual({ removed: 4 });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('<Pass');
    expect(text).not.toContain(Buffer.from('hunter2').toString('base64'));
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.includes('sitemanager'))).toEqual(['sitemanager.xml']);
    expect(await clearFileZillaPasswords(path)).toEqual({ removed: 0 });
  });

  it('refuses files that are not FileZilla site files and leaves them alone', async () => {
    const path = join(dir, 'other.xml');
    await writeFile(path, '<html><Pass>x</Pass></html>');
    await expect(clearFileZillaPasswords(path)).rejects.toMatchObject({ code: 'invalid-request' });
    expect(await readFile(path, 'utf8')).toBe('<html><Pass>x</Pass></html>');
    await expect(clearFileZillaPasswords(dir)).rejects.toMatchObject({ code: 'invalid-request' });
  });
});
