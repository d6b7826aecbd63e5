import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../shared/model/site';
import { openProfileBackend } from '../../main/profiles/profile-backend';
import { SiteStore } from '../../main/profiles/site-store';
import { ConsentStore } from '../../main/trust/consent-store';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

const BASE: SiteInput = {
  name: 'Web', folder: '', protocol: 'sftp', host: 'example.org', port: 22, user: 'alice',
  auth: 'password', passive: true, charset: 'utf8', transferLimit: 4,
};

let dir: string;
let secrets: SecretStore;
let consents: ConsentStore;
let sites: SiteStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-folders-'));
  secrets = new SecretStore(dir, new FakeSafeStorage(), { scrypt: { N: 1024, r: 8, p: 1 } });
  consents = new ConsentStore(dir);
  sites = new SiteStore(openProfileBackend(dir), secrets, consents);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reopen = (): SiteStore => new SiteStore(openProfileBackend(dir), secrets, consents);

// Folders of the site tree: created empty and kept, renamed and deleted with what they hold.
describe('site folders', () => {
  it('creates empty folders, persists them and lists them with the folders sites name', async () => {
    expect(sites.createFolder(' Work // Clients ')).toBe('Work/Clients');
    sites.createFolder('Home');
    sites.createFolder('Home');
    await sites.save({ ...BASE, folder: 'Lab' });
    expect(reopen().folders()).toEqual(['Home', 'Lab', 'Work/Clients']);
    expect(JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')).folders).toEqual(['Work/Clients', 'Home']);
    expect(() => sites.createFolder(' / ')).toThrow(/needs a name/);
    expect(() => sites.createFolder('a/../b')).toThrow(/cannot be "\." or "\.\."/);
  });

  it('keeps a folder when its last site moves out or is deleted', async () => {
    const a = await sites.save({ ...BASE, folder: 'Old' });
    const b = await sites.save({ ...BASE, folder: 'Gone' });
    await sites.save({ ...BASE, id: a.id, folder: 'New' });
    await sites.delete(b.id);
    expect(reopen().folders()).toEqual(['Gone', 'New', 'Old']);
  });

  it('renames a folder with its subfolders and sites, refusing a name already there', async () => {
    sites.createFolder('Work/Empty');
    const deep = await sites.save({ ...BASE, name: 'Deep', folder: 'Work/Clients/Acme' });
    const top = await sites.save({ ...BASE, name: 'Top', folder: 'Workshop' });
    expect(sites.renameFolder('Work', 'Jobs')).toBe('Jobs');
    expect(reopen().folders()).toEqual(['Jobs/Clients/Acme', 'Jobs/Empty', 'Workshop']);
    expect((await sites.get(deep.id)).folder).toBe('Jobs/Clients/Acme');
    expect((await sites.get(top.id)).folder).toBe('Workshop');
    expect(sites.renameFolder('Jobs/Clients', 'Customers')).toBe('Jobs/Customers');
    expect((await sites.get(deep.id)).folder).toBe('Jobs/Customers/Acme');
    expect(() => sites.renameFolder('Jobs/Empty', 'Customers')).toThrow(expect.objectContaining({ code: 'already-exists' }));
    expect(() => sites.renameFolder('Jobs', 'a/b')).toThrow(/must not be empty or contain "\/"/);
    expect(() => sites.renameFolder('Nowhere', 'x')).toThrow(/no folder "Nowhere"/);
    expect(reopen().folders()).toEqual(['Jobs/Customers/Acme', 'Jobs/Empty', 'Workshop']);
  });

  it('deletes a folder with its subfolders and every site in them, with their secrets, consents and last paths', async () => {
    sites.createFolder('Work/Empty');
    const a = await sites.save({ ...BASE, name: 'A', folder: 'Work', secret: 'pw-a' });
    const b = await sites.save({ ...BASE, name: 'B', folder: 'Work/Clients', protocol: 'ftp', port: 21, secret: 'pw-b' });
    const keep = await sites.save({ ...BASE, name: 'Keep', folder: 'Workshop', secret: 'pw-keep' });
    await consents.grantPlainFtp(b.id);
    sites.recordUse(a.id, { remote: '/srv' });
    expect(await sites.deleteFolder('Work')).toEqual({ deleted: 2 });
    const after = reopen();
    expect((await after.list()).map((s) => s.id)).toEqual([keep.id]);
    expect(after.folders()).toEqual(['Workshop']);
    expect(await secrets.has(a.id)).toBe(false);
    expect(await secrets.has(b.id)).toBe(false);
    expect(await secrets.read(keep.id)).toBe('pw-keep');
    expect(await consents.hasPlainFtp(b.id)).toBe(false);
    expect(after.lastPaths(a.id)).toBeUndefined();
    sites.createFolder('Empty');
    expect(await sites.deleteFolder('Empty')).toEqual({ deleted: 0 });
    await expect(sites.deleteFolder('Work')).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('reads a profiles file written before folders were kept', async () => {
    await sites.save({ ...BASE, folder: 'Lab' });
    const file = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as Record<string, unknown>;
    delete file.folders;
    await writeFile(join(dir, 'profiles.json'), JSON.stringify(file));
    const old = reopen();
    expect(old.folders()).toEqual(['Lab']);
    old.createFolder('New');
    expect(reopen().folders()).toEqual(['Lab', 'New']);
  });
});
