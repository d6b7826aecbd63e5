import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FanOutSink } from '../../main/app/event-sink';
import { FerryCore } from '../../main/app/ferry-core';
import { dispatchInvoke } from '../../main/ipc/dispatch';
import { createHandlers, type Handlers } from '../../main/ipc/handlers';

let dir: string;
let core: FerryCore;
let handlers: Handlers;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-core-'));
  core = new FerryCore({ stateDir: dir, events: new FanOutSink(), home: dir });
  await core.start();
  handlers = createHandlers(core);
});

afterEach(async () => {
  await core.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const site = {
  name: 'Work', folder: 'Clients', protocol: 'sftp', host: 'example.org', port: 22, user: 'bob', auth: 'password',
  passive: true, charset: 'utf8', transferLimit: 4, secret: 'pw',
} as const;

describe('FerryCore behind the handler table', () => {
  it('saves, lists and deletes sites without ever returning the secret', async () => {
    const saved = await dispatchInvoke(handlers, 'sites:save', { site });
    expect(saved).toMatchObject({ ok: true, value: { name: 'Work', host: 'example.org' } });
    const list = await dispatchInvoke(handlers, 'sites:list', {});
    expect(JSON.stringify(list)).not.toContain('"pw"');
    const id = (saved as { value: { id: string } }).value.id;
    expect(await dispatchInvoke(handlers, 'sites:delete', { id })).toEqual({ ok: true, value: null });
    expect(await dispatchInvoke(handlers, 'sites:list', {})).toEqual({ ok: true, value: [] });
  });

  it('reads and validates settings', async () => {
    const got = await dispatchInvoke(handlers, 'settings:get', {});
    expect(got).toMatchObject({ ok: true, value: { parallel: 4 } });
    expect(await dispatchInvoke(handlers, 'settings:set', { settings: { parallel: 8 } })).toMatchObject({ ok: true, value: { parallel: 8 } });
    expect(await dispatchInvoke(handlers, 'settings:set', { settings: { parallel: 99 } })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('applies the log level at once: debug lines are kept only when asked for', async () => {
    const texts = () => core.log.snapshot().map((l) => l.text);
    core.logger.log('debug', 'first detail');
    core.logger.log('info', 'first status');
    expect(texts()).toEqual(expect.arrayContaining(['first status']));
    expect(texts()).not.toContain('first detail');
    expect(await dispatchInvoke(handlers, 'settings:set', { settings: { logLevel: 'debug' } })).toMatchObject({ ok: true });
    core.logger.child('sftp x').log('debug', 'second detail');
    expect(texts()).toContain('second detail');
    await dispatchInvoke(handlers, 'settings:set', { settings: { logLevel: 'info' } });
    core.logger.log('debug', 'third detail');
    expect(texts()).not.toContain('third detail');
  });

  it('hands a new parallel setting to the running queue', async () => {
    const spy = vi.spyOn(core.queue, 'setParallel');
    await dispatchInvoke(handlers, 'settings:set', { settings: { parallel: 2 } });
    expect(spy).toHaveBeenCalledWith(2);
  });

  it('serves the transfer queue and the trust list', async () => {
    expect(await dispatchInvoke(handlers, 'queue:snapshot', {})).toMatchObject({ ok: true, value: { items: [], paused: false } });
    expect(await dispatchInvoke(handlers, 'trust:list', {})).toEqual({ ok: true, value: [] });
    expect(await dispatchInvoke(handlers, 'trust:remove', { kind: 'host-key', host: 'nowhere', port: 22 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('imports FileZilla sites', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><FileZilla3><Servers><Folder>Team<Server><Host>ftp.example.org</Host><Port>21</Port><Protocol>0</Protocol><Type>0</Type><User>ann</User><Logontype>1</Logontype><Name>Docs</Name></Server></Folder></Servers></FileZilla3>`;
    expect(await dispatchInvoke(handlers, 'sites:import-filezilla', { xml })).toMatchObject({ ok: true, value: { imported: 1 } });
    expect(await dispatchInvoke(handlers, 'sites:list', {})).toMatchObject({ ok: true, value: [{ name: 'Docs', folder: 'Team', host: 'ftp.example.org' }] });
  });
});

describe('secrets and trust changes behind the handler table', () => {
  it('stores nothing without a keyring until a master password is set', async () => {
    expect(await dispatchInvoke(handlers, 'secrets:status', {})).toEqual({ ok: true, value: { backend: 'none', locked: false } });
    expect(await dispatchInvoke(handlers, 'secrets:set-master-password', { password: 'short' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatchInvoke(handlers, 'secrets:set-master-password', { password: 'a long master password' })).toEqual({ ok: true, value: null });
    expect(await dispatchInvoke(handlers, 'secrets:status', {})).toEqual({ ok: true, value: { backend: 'master-password', locked: false } });
  });

  it('replaces only a changed key that a connection reported', async () => {
    expect(await dispatchInvoke(handlers, 'trust:changes', {})).toEqual({ ok: true, value: [] });
    const replace = { kind: 'host-key', host: 'h', port: 22, fingerprint: 'SHA256:new' };
    expect(await dispatchInvoke(handlers, 'trust:replace', replace)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await core.trust.put({ kind: 'host-key', host: 'h', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:old' });
    core.trustCenter.noteChanged({ kind: 'host-key', host: 'h', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:new', previousFingerprint: 'SHA256:old' });
    expect(await dispatchInvoke(handlers, 'trust:changes', {})).toMatchObject({ ok: true, value: [{ host: 'h', fingerprint: 'SHA256:new', previousFingerprint: 'SHA256:old' }] });
    expect(await dispatchInvoke(handlers, 'trust:replace', replace)).toMatchObject({ ok: true, value: { fingerprint: 'SHA256:new' } });
  });

  it('shows what was recorded with a trusted certificate', async () => {
    await core.trust.put({ kind: 'certificate', host: 'c', port: 990, type: 'x509', fingerprint: 'AB', details: { subject: 'CN=c', pem: 'PEM' } });
    expect(await dispatchInvoke(handlers, 'trust:details', { kind: 'certificate', host: 'c', port: 990 })).toEqual({ ok: true, value: { subject: 'CN=c', pem: 'PEM' } });
    expect(await dispatchInvoke(handlers, 'trust:details', { kind: 'certificate', host: 'c', port: 991 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatchInvoke(handlers, 'trust:details', { kind: 'cert', host: 'c', port: 990 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('has no OS shell in plain Node', async () => {
    expect(await dispatchInvoke(handlers, 'fs:open', { path: dir })).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });
});

describe('connection failures', () => {
  it('are logged in plain language, not only returned', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const result = await dispatchInvoke(handlers, 'session:connect', { target: { protocol: 'sftp', host: '127.0.0.1', port, user: 'bob' }, password: 'pw' });
    expect(result).toMatchObject({ ok: false, error: { code: 'connection-refused' } });
    const lines = core.log.snapshot().map((l) => l.text);
    expect(lines.some((l) => l.includes(`cannot connect to 127.0.0.1:${port}`))).toBe(true);
    expect(lines.join('\n')).not.toContain('pw');
  });
});

describe('site export and import', () => {
  it('round-trips sites; the plain export holds no secret, the sealed one needs its passphrase', async () => {
    await core.secrets.setMasterPassword('a long master password');
    await dispatchInvoke(handlers, 'sites:save', { site });
    const plain = await dispatchInvoke(handlers, 'sites:export', {});
    expect(plain).toMatchObject({ ok: true, value: { count: 1 } });
    const plainText = (plain as { value: { text: string } }).value.text;
    expect(plainText).not.toContain('"pw"');
    const sealed = (await dispatchInvoke(handlers, 'sites:export', { passphrase: 'export passphrase' })) as { value: { text: string } };
    expect(sealed.value.text).not.toContain('"pw"');
    const other = new FerryCore({ stateDir: join(dir, 'other'), events: new FanOutSink() });
    const otherHandlers = createHandlers(other);
    await other.secrets.setMasterPassword('another master password');
    expect(await dispatchInvoke(otherHandlers, 'sites:import', { text: sealed.value.text, passphrase: 'wrong passphrase' })).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    expect(await dispatchInvoke(otherHandlers, 'sites:import', { text: sealed.value.text, passphrase: 'export passphrase' })).toEqual({ ok: true, value: { imported: 1 } });
    const list = (await dispatchInvoke(otherHandlers, 'sites:list', {})) as { value: { name: string; hasSecret: boolean }[] };
    expect(list.value).toMatchObject([{ name: 'Work', hasSecret: true }]);
    expect(await dispatchInvoke(otherHandlers, 'sites:import', { text: 'not json' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await other.close();
  });

  it('carries empty folders along, and refuses a folder list that is not one', async () => {
    await dispatchInvoke(handlers, 'sites:save', { site });
    await dispatchInvoke(handlers, 'sites:create-folder', { path: 'Archive/2025' });
    const text = ((await dispatchInvoke(handlers, 'sites:export', {})) as { value: { text: string } }).value.text;
    const other = new FerryCore({ stateDir: join(dir, 'other2'), events: new FanOutSink() });
    const otherHandlers = createHandlers(other);
    expect(await dispatchInvoke(otherHandlers, 'sites:import', { text })).toEqual({ ok: true, value: { imported: 1 } });
    expect(await dispatchInvoke(otherHandlers, 'sites:folders', {})).toEqual({ ok: true, value: ['Archive/2025', 'Clients'] });
    const bad = JSON.stringify({ ...JSON.parse(text), folders: [1, 2] });
    expect(await dispatchInvoke(otherHandlers, 'sites:import', { text: bad })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await other.close();
  });
});

describe('FileZilla password clean-up', () => {
  it('removes the passwords from the imported sitemanager.xml on request', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const path = join(dir, 'sitemanager.xml');
    const xml = `<?xml version="1.0" encoding="UTF-8"?><FileZilla3><Servers><Server><Host>h</Host><Port>21</Port><Protocol>0</Protocol><User>u</User><Pass encoding="base64">c2VjcmV0</Pass><Logontype>1</Logontype><Name>S</Name></Server></Servers></FileZilla3>`;
    await writeFile(path, xml);
    expect(await dispatchInvoke(handlers, 'sites:import-filezilla', { xml })).toMatchObject({ ok: true, value: { imported: 1, passwords: 1 } });
    expect(await dispatchInvoke(handlers, 'sites:clear-filezilla-passwords', { path })).toEqual({ ok: true, value: { removed: 1 } });
    const after = await readFile(path, 'utf8');
    expect(after).not.toContain('c2VjcmV0');
    expect(after).toContain('<Host>h</Host>');
  });
});
