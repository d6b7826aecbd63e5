import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeRequest } from '../../shared/ipc/contract';
import { REQUEST_LIMITS, REQUEST_SCHEMAS, validateRequest } from '../../shared/ipc/request-schemas';

const target = { protocol: 'sftp', host: 'example.org', port: 22, user: 'alice', auth: 'password' } as const;
const site = {
  name: 'Box', folder: 'Work/Clients', protocol: 'ftpes', host: 'ftp.example.org', port: 21, user: 'bob', auth: 'password',
  passive: true, charset: 'utf8', transferLimit: 4, secret: 'hunter2',
} as const;

/** One valid request per channel, typed against the contract so the samples cannot drift from it. */
const VALID: { [C in InvokeChannel]: InvokeRequest<C> } = {
  'fs:home': {},
  'fs:list': { path: '/home/alice', showHidden: true },
  'fs:mkdir': { path: '/tmp/x' },
  'fs:rename': { from: '/a', to: '/b' },
  'fs:delete': { paths: ['/a', '/b'] },
  'session:connect': { target, password: 'pw' },
  'session:list': { sessionId: 's1', path: '/' },
  'session:mkdir': { sessionId: 's1', path: '/x' },
  'session:rename': { sessionId: 's1', from: '/x', to: '/y' },
  'session:delete': { sessionId: 's1', paths: ['/x'] },
  'session:chmod': { sessionId: 's1', path: '/x', mode: 0o644, recurse: 'folders' },
  'session:close': { sessionId: 's1' },
  'queue:add': { requests: [{ direction: 'upload', target, localPath: '/l', remotePath: '/r', recursive: false, onExists: 'ask' }] },
  'queue:snapshot': {},
  'queue:pause': {},
  'queue:resume': { ids: ['a'] },
  'queue:cancel': { ids: [] },
  'queue:retry': {},
  'queue:reorder': { id: 'j1', toIndex: 0 },
  'queue:clear-done': {},
  'queue:clear-failed': {},
  'queue:remove': { ids: ['i1', 'j1'] },
  'prompt:answer': { id: 'p1', answer: 'trust-once' },
  'prompt:pending': {},
  'log:snapshot': { limit: 100 },
  'sites:list': {},
  'sites:save': { site },
  'sites:delete': { id: 'x' },
  'sites:duplicate': { id: 'x' },
  'sites:folders': {},
  'sites:create-folder': { path: 'Work/Clients' },
  'sites:rename-folder': { path: 'Work/Clients', name: 'Customers' },
  'sites:delete-folder': { path: 'Work' },
  'sites:connect': { id: 'x' },
  'sites:import-filezilla': { xml: '<FileZilla3/>' },
  'trust:list': {},
  'sites:export': { passphrase: 'a long passphrase' },
  'sites:clear-filezilla-passwords': { path: '/home/alice/.config/filezilla/sitemanager.xml' },
  'sites:import': { text: '{}' },
  'trust:remove': { kind: 'host-key', host: 'example.org', port: 22 },
  'trust:changes': {},
  'trust:details': { kind: 'certificate', host: 'example.org', port: 990 },
  'trust:replace': { kind: 'host-key', host: 'example.org', port: 22, fingerprint: 'SHA256:abc' },
  'secrets:status': {},
  'secrets:set-master-password': { password: 'correct horse' },
  'secrets:unlock': { password: 'pw' },
  'fs:open': { path: '/home/alice/notes.txt' },
  'settings:get': {},
  'settings:set': { settings: { theme: 'dark', layout: { paneSplit: 0.5, queueHeight: 200, columns: { size: 100, mtime: 140 }, paneColumns: { local: { size: 90 }, remote: { owner: 120 } } } } },
};

function rejects(channel: string, payload: unknown, pattern?: RegExp): void {
  const result = validateRequest(channel, payload);
  expect(result.ok, `${channel} accepted ${JSON.stringify(payload)?.slice(0, 200)}`).toBe(false);
  if (!result.ok && pattern) expect(result.message).toMatch(pattern);
}

describe('validateRequest', () => {
  it('has a schema for every invoke channel and accepts a valid request on each', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...INVOKE_CHANNELS].sort());
    for (const channel of INVOKE_CHANNELS) expect(validateRequest(channel, VALID[channel]), channel).toEqual({ ok: true });
  });

  it('accepts every prompt answer shape and null', () => {
    for (const answer of [null, 'reject', 'always', { action: 'resume', applyToAll: true }, { value: 's' }, { responses: ['a', 'b'] }]) {
      expect(validateRequest('prompt:answer', { id: 'p', answer })).toEqual({ ok: true });
    }
    rejects('prompt:answer', { id: 'p', answer: 'yes-please' });
    rejects('prompt:answer', { id: 'p', answer: { action: 'explode', applyToAll: true } });
    rejects('prompt:answer', { id: 'p' }, /answer is required/);
  });

  it('refuses unknown channels', () => {
    rejects('fs:format-disk', {}, /unknown channel/);
    rejects('__proto__', {}, /unknown channel/);
    rejects(42 as unknown as string, {});
  });

  it('refuses non-objects for every channel', () => {
    for (const channel of INVOKE_CHANNELS) {
      for (const payload of [null, undefined, 'x', 3, true, [], [VALID[channel]], new Date(), new Map()]) rejects(channel, payload);
    }
  });

  it('refuses wrong types', () => {
    rejects('fs:list', { path: 42 }, /path must be a string/);
    rejects('fs:list', { path: '/', showHidden: 'yes' }, /showHidden must be true or false/);
    rejects('fs:delete', { paths: '/a' }, /must be a list/);
    rejects('fs:delete', { paths: [1] }, /paths\[0\] must be a string/);
    rejects('session:chmod', { sessionId: 's', path: '/x', mode: '777' });
    rejects('session:chmod', { sessionId: 's', path: '/x', mode: 0.5 }, /whole number/);
    rejects('session:chmod', { sessionId: 's', path: '/x', mode: Number.NaN }, /finite/);
    rejects('session:chmod', { sessionId: 's', path: '/x', mode: 0o644, recurse: 'links' }, /one of/);
    rejects('session:chmod', { sessionId: 's', path: '/x', mode: 0o644, recurse: true }, /one of/);
    rejects('session:connect', { target: { ...target, port: 70000 } }, /between 1 and 65535/);
    rejects('session:connect', { target: { ...target, protocol: 'http' } }, /one of/);
    rejects('session:connect', { target: [target] }, /target must be an object/);
    rejects('sites:save', { site: { ...site, transferLimit: 99 } });
    rejects('settings:set', { settings: { layout: { paneSplit: 2, queueHeight: 1 } } });
    rejects('settings:set', { settings: { layout: { paneSplit: 0.5, queueHeight: 1, columns: { name: 100 } } } });
    rejects('settings:set', { settings: { layout: { paneSplit: 0.5, queueHeight: 1, columns: { size: 1e9 } } } });
    rejects('settings:set', { settings: { layout: { paneSplit: 0.5, queueHeight: 1, paneColumns: { middle: { size: 100 } } } } });
    rejects('settings:set', { settings: { layout: { paneSplit: 0.5, queueHeight: 1, paneColumns: { remote: { size: 10 } } } } });
  });

  it('refuses missing required fields and empty ids', () => {
    rejects('fs:rename', { from: '/a' }, /to is required/);
    rejects('sites:delete', { id: '' }, /must not be empty/);
    rejects('sites:save', { site: { ...site, host: undefined } }, /host is required/);
  });

  it('refuses oversize strings and lists', () => {
    rejects('fs:list', { path: 'a'.repeat(REQUEST_LIMITS.path + 1) }, /too long/);
    rejects('session:connect', { target, password: 'p'.repeat(REQUEST_LIMITS.secret + 1) }, /too long/);
    rejects('sites:import-filezilla', { xml: 'x'.repeat(REQUEST_LIMITS.xml + 1) }, /too long/);
    rejects('fs:delete', { paths: new Array<string>(REQUEST_LIMITS.paths + 1).fill('/a') }, /too many/);
    const sparse = new Array<string>(3);
    rejects('fs:delete', { paths: sparse }, /missing/);
  });

  it('refuses unknown and prototype-polluting keys at every depth', () => {
    rejects('fs:home', { extra: 1 }, /unknown field "extra"/);
    rejects('fs:list', JSON.parse('{"path":"/","__proto__":{"polluted":true}}'), /forbidden key "__proto__"/);
    rejects('session:connect', { target: JSON.parse(`{"protocol":"sftp","host":"h","port":22,"__proto__":{"x":1}}`) }, /forbidden/);
    rejects('settings:set', { settings: { constructor: { prototype: { admin: true } } } }, /forbidden key "constructor"/);
    rejects('queue:add', { requests: [{ ...VALID['queue:add'].requests[0], prototype: 1 }] }, /forbidden/);
    rejects('fs:list', { path: '/', [Symbol('s')]: 1 }, /symbol/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses class instances and objects with a foreign prototype', () => {
    class Sneaky { path = '/'; }
    rejects('fs:list', new Sneaky(), /must be an object/);
    rejects('fs:list', Object.create({ path: '/' }), /must be an object/);
    const bare = Object.assign(Object.create(null), { path: '/' }) as unknown;
    expect(validateRequest('fs:list', bare)).toEqual({ ok: true });
  });

  it('never echoes a value in its message (a secret may be the bad value)', () => {
    const secret = 'hunter2-'.repeat(600);
    for (const [channel, payload] of [
      ['session:connect', { target, password: secret }],
      ['session:connect', { target, password: 42, note: secret }],
      ['prompt:answer', { id: 'p', answer: { value: secret } }],
      ['sites:save', { site: { ...site, secret, port: 'x' } }],
    ] as const) {
      const result = validateRequest(channel, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).not.toContain('hunter2');
    }
  });

  it('never throws, whatever it is given', () => {
    const hostile: unknown[] = [
      { get path() { throw new Error('boom'); } },
      new Proxy({}, { ownKeys: () => ['path'], getOwnPropertyDescriptor: () => ({ value: '/', enumerable: true, configurable: true }) }),
      Object.freeze({ path: '/' }),
    ];
    for (const payload of hostile) expect(() => validateRequest('fs:list', payload)).not.toThrow();
  });

  it('bounds nested lists: queue:add items, keyboard-interactive responses', () => {
    const many = new Array(65).fill('x');
    rejects('prompt:answer', { id: 'p', answer: { responses: many } });
    rejects('queue:add', { requests: [{ ...VALID['queue:add'].requests[0], target: { ...target, host: 'h'.repeat(300) } }] }, /host is too long/);
  });
});
