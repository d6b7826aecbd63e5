import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProfileBackend, profileStoreOptions } from '../../main/profiles/profile-backend';
import { PROFILE_SCHEMA_VERSION } from '../../main/profiles/profile-migrations';
import { DEFAULT_SETTINGS } from '../../main/profiles/profile-schema';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-migrate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const profilesFile = () => join(dir, 'profiles.json');
const readDoc = async () => JSON.parse(await readFile(profilesFile(), 'utf8')) as Record<string, unknown> & { __internal__: { migrations: { version: string } } };

describe('profiles.json migrations', () => {
  it('creates a fresh v1 document with defaults and the version recorded', async () => {
    const backend = openProfileBackend(dir);
    expect(backend.get('sites')).toEqual([]);
    expect(backend.get('settings')).toEqual(DEFAULT_SETTINGS);
    expect((await readDoc()).__internal__.migrations.version).toBe(PROFILE_SCHEMA_VERSION);
  });

  it('brings an unversioned document to v1: id->site maps, missing fields, invalid sites kept aside, old settings merged', async () => {
    await writeFile(profilesFile(), JSON.stringify({
      sites: {
        abc: { name: 'Old box', protocol: 'ftp', host: 'FTP.Example.org', port: 21, user: 'bob' },
        def: { name: 'Broken', protocol: 'sftp', host: 'no such host!', port: 22, user: 'x' },
        ghi: { protocol: 'sftp', host: 'keys.example', port: 2222, user: 'kim', auth: 'agent', extra: 'dropped' },
      },
      settings: { theme: 'dark', parallel: 99, obsolete: true },
    }));
    const backend = openProfileBackend(dir);
    const sites = backend.get('sites');
    expect(sites).toHaveLength(2);
    expect(sites[0]).toMatchObject({ id: 'abc', name: 'Old box', host: 'ftp.example.org', auth: 'password', passive: true, charset: 'utf8', transferLimit: 4, folder: '' });
    expect(sites[1]).toMatchObject({ id: 'ghi', name: 'keys.example', auth: 'agent', port: 2222 });
    expect(sites[1]).not.toHaveProperty('extra');
    expect(backend.get('settings')).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    const doc = await readDoc();
    expect(doc.invalidSites).toEqual([{ id: 'def', name: 'Broken', protocol: 'sftp', host: 'no such host!', port: 22, user: 'x' }]);
    expect(doc.__internal__.migrations.version).toBe('1.0.0');
  });

  it('runs a migration once: a v1 file is read as is', async () => {
    openProfileBackend(dir).set('sites', []);
    const doc = await readDoc();
    doc.sites = [{ id: 'k', name: 'Kept', folder: '', protocol: 'sftp', host: 'h.example', port: 22, user: 'u', auth: 'password', passive: true, charset: 'utf8', transferLimit: 2, createdAt: 5, updatedAt: 6 }];
    await writeFile(profilesFile(), JSON.stringify(doc));
    expect(openProfileBackend(dir).get('sites')).toEqual(doc.sites);
  });

  it('refuses a damaged v1 file by naming the problem, and leaves it untouched', async () => {
    openProfileBackend(dir);
    const doc = await readDoc();
    doc.sites = [{ id: 'k', name: 'x', protocol: 'sftp', host: 'h', port: 'twenty-two' }];
    const text = JSON.stringify(doc);
    await writeFile(profilesFile(), text);
    expect(() => openProfileBackend(dir).get('sites')).toThrow(expect.objectContaining({ code: 'internal', detail: expect.stringMatching(/schema violation/) }));
    expect(await readFile(profilesFile(), 'utf8')).toBe(text);
    await writeFile(profilesFile(), '{ not json');
    expect(() => openProfileBackend(dir)).toThrow(/could not be used/);
  });

  it('refuses writes that break the schema', () => {
    const backend = openProfileBackend(dir);
    expect(() => backend.set('sites', [{ id: 'x' } as never])).toThrow(/could not be used/);
    expect(backend.get('sites')).toEqual([]);
  });

  it('restores the file when a later migration fails (conf keeps a backup)', async () => {
    openProfileBackend(dir).set('settings', { ...DEFAULT_SETTINGS, theme: 'light' });
    const open = () => new Conf({
      ...profileStoreOptions(),
      cwd: dir,
      projectVersion: '2.0.0',
      migrations: {
        ...profileStoreOptions().migrations,
        '2.0.0': (store: { set(k: string, v: unknown): void }) => {
          store.set('settings', { ...DEFAULT_SETTINGS, theme: 'dark' });
          throw new Error('disk on fire');
        },
      },
    });
    expect(open).toThrow(/migration.*disk on fire/);
    const doc = await readDoc();
    expect(doc.settings).toMatchObject({ theme: 'light' });
    expect(doc.__internal__.migrations.version).toBe('1.0.0');
  }, 10_000);
});
