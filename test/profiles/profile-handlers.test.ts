import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../shared/ipc/prompts';
import { createProfileServices, profileHandlers, type ProfileServices } from '../../main/profiles/profile-handlers';
import { TrustStore } from '../../main/trust/trust-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

let dir: string;
let services: ProfileServices;
let connects: unknown[];
let asked: PromptRequest[];
let answers: string[];
let handlers: ReturnType<typeof profileHandlers>;

const SITE = { name: 'Box', folder: 'W', protocol: 'sftp', host: 'box.example', port: 22, user: 'alice', auth: 'password', passive: true, charset: 'utf8', transferLimit: 4 } as const;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-handlers-'));
  services = createProfileServices(dir, new FakeSafeStorage(), new TrustStore(dir));
  connects = [];
  asked = [];
  answers = [];
  handlers = profileHandlers(services, {
    connect: async (creds) => (connects.push(creds), { sessionId: 's1', home: '/home/alice' }),
    prompter: { ask: async (r) => (asked.push(r), (answers.length ? { value: answers.shift() } : null) as never) },
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profile handlers', () => {
  it('saves and lists sites; the secret goes in and never comes back out', async () => {
    const saved = await handlers['sites:save']({ site: { ...SITE, secret: 'pw-123' } });
    expect(saved).toMatchObject({ name: 'Box', hasSecret: true });
    const listed = await handlers['sites:list']({});
    expect(listed).toEqual([saved]);
    expect(JSON.stringify(listed)).not.toContain('pw-123');
  });

  it('connects a site with its stored secret in main and records the use', async () => {
    const { id } = await handlers['sites:save']({ site: { ...SITE, secret: 'pw-123' } });
    expect(await handlers['sites:connect']({ id })).toEqual({ sessionId: 's1', home: '/home/alice' });
    expect(connects).toEqual([{ target: { protocol: 'sftp', host: 'box.example', port: 22, user: 'alice', auth: 'password', passive: true, charset: 'utf8', siteId: id }, password: 'pw-123' }]);
    expect(services.sites.stored(id).lastUsed).toBeGreaterThan(0);
    expect(asked).toEqual([]);
  });

  it('asks for the password when none is stored, and passes a key passphrase as passphrase', async () => {
    const plain = await handlers['sites:save']({ site: SITE });
    answers.push('typed-pw');
    await handlers['sites:connect']({ id: plain.id });
    expect(connects.at(-1)).toMatchObject({ password: 'typed-pw' });
    expect(asked).toEqual([{ kind: 'secret', purpose: 'password', subject: 'alice@box.example' }]);
    const key = await handlers['sites:save']({ site: { ...SITE, name: 'K', auth: 'key', keyFile: '/k/id', secret: 'phrase' } });
    await handlers['sites:connect']({ id: key.id });
    expect(connects.at(-1)).toMatchObject({ passphrase: 'phrase', target: { keyFile: '/k/id' } });
    expect(connects.at(-1)).not.toHaveProperty('password');
  });

  it('imports FileZilla sites and reports counts only', async () => {
    const xml = await readFile(join(import.meta.dirname, 'fixtures', 'sitemanager-nested.xml'), 'utf8');
    expect(await handlers['sites:import-filezilla']({ xml })).toEqual({ imported: 7, skipped: 1 });
    await expect(handlers['sites:import-filezilla']({ xml: '<html/>' })).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('gets and sets settings, refusing bad values', async () => {
    expect((await handlers['settings:set']({ settings: { parallel: 6 } })).parallel).toBe(6);
    expect((await handlers['settings:get']({})).parallel).toBe(6);
    await expect(handlers['settings:set']({ settings: { parallel: 60 } })).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('lists and removes trust entries', async () => {
    await new TrustStore(dir).put({ kind: 'host-key', host: 'box.example', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:x' });
    expect(await handlers['trust:list']({})).toMatchObject([{ host: 'box.example', fingerprint: 'SHA256:x' }]);
    expect(await handlers['trust:remove']({ kind: 'host-key', host: 'box.example', port: 22 })).toBeNull();
    expect(await handlers['trust:list']({})).toEqual([]);
  });

  it('deletes a site with its secret', async () => {
    const { id } = await handlers['sites:save']({ site: { ...SITE, secret: 'pw' } });
    await handlers['sites:delete']({ id });
    expect(await handlers['sites:list']({})).toEqual([]);
    expect(await services.secrets.has(id)).toBe(false);
  });
});
