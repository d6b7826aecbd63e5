import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveKey, open, seal } from '../../main/trust/secret-crypto';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from './fake-safe-storage';

/** Cheap scrypt for most tests; one test below runs the production parameters. */
const FAST = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };
const SECRET = 'correct horse battery staple';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fileText = () => readFile(join(dir, 'secrets.json'), 'utf8');

describe('SecretStore with the OS keyring', () => {
  it('round-trips a secret and never writes it in clear text', async () => {
    const safe = new FakeSafeStorage();
    const store = new SecretStore(dir, safe, FAST);
    expect(await store.status()).toEqual({ backend: 'safe-storage', locked: false });
    expect(await store.save('site-1', SECRET)).toBe(true);
    expect(await store.read('site-1')).toBe(SECRET);
    expect(await store.has('site-1')).toBe(true);
    const text = await fileText();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(text).toMatch(/"site-1": "v1:safe:[A-Za-z0-9+/=]+"/);
    if (process.platform !== 'win32') expect((await stat(join(dir, 'secrets.json'))).mode & 0o077).toBe(0);
  });

  it('reads secrets back through a new instance with the same keyring, not with another one', async () => {
    const safe = new FakeSafeStorage();
    await new SecretStore(dir, safe, FAST).save('a', SECRET);
    expect(await new SecretStore(dir, safe, FAST).read('a')).toBe(SECRET);
    expect(await new SecretStore(dir, new FakeSafeStorage(), FAST).read('a')).toBeUndefined();
  });

  it('forgets a secret on remove and on an empty save', async () => {
    const store = new SecretStore(dir, new FakeSafeStorage(), FAST);
    await store.save('a', 'x');
    await store.save('b', 'y');
    await store.remove('a');
    await store.save('b', '');
    expect(await store.has('a')).toBe(false);
    expect(await store.has('b')).toBe(false);
    expect(await store.read('a')).toBeUndefined();
  });

  it('serializes concurrent saves without losing any', async () => {
    const store = new SecretStore(dir, new FakeSafeStorage(), FAST);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(`s${i}`, `secret-${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.read(`s${i}`)).toBe(`secret-${i}`);
  });

  it('refuses ids that could pollute the file object', async () => {
    const store = new SecretStore(dir, new FakeSafeStorage(), FAST);
    await expect(store.save('__proto__', 'x')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(store.save('', 'x')).rejects.toMatchObject({ code: 'invalid-request' });
    expect(await store.read('__proto__')).toBeUndefined();
    expect(await store.read('toString')).toBeUndefined();
  });

  it('rejects a file it does not understand instead of overwriting it', async () => {
    await writeFile(join(dir, 'secrets.json'), '{"version": 9, "entries": {}}');
    const store = new SecretStore(dir, new FakeSafeStorage(), FAST);
    await expect(store.save('a', 'x')).rejects.toMatchObject({ code: 'internal' });
    expect(await fileText()).toContain('"version": 9');
  });
});

describe('SecretStore without a keyring', () => {
  it('stores nothing, so callers ask each time', async () => {
    const safe = new FakeSafeStorage();
    safe.available = false;
    const store = new SecretStore(dir, safe, FAST);
    expect(await store.status()).toEqual({ backend: 'none', locked: false });
    expect(await store.save('a', SECRET)).toBe(false);
    expect(await store.has('a')).toBe(false);
    expect(safe.encrypted).toEqual([]);
    await expect(readFile(join(dir, 'secrets.json'), 'utf8').then((t) => t.includes(SECRET))).resolves.toBe(false);
  });

  it('treats a missing safeStorage and one that throws as unavailable', async () => {
    expect(await new SecretStore(dir, null, FAST).save('a', 'x')).toBe(false);
    const throwing = { isEncryptionAvailable: () => { throw new Error('not ready'); }, encryptString: () => Buffer.alloc(0), decryptString: () => '' };
    expect(await new SecretStore(dir, throwing, FAST).status()).toEqual({ backend: 'none', locked: false });
  });

  it('cannot read keyring secrets once the keyring is gone', async () => {
    const safe = new FakeSafeStorage();
    const store = new SecretStore(dir, safe, FAST);
    await store.save('a', SECRET);
    safe.available = false;
    expect(await store.read('a')).toBeUndefined();
    expect(await store.has('a')).toBe(true);
  });
});

describe('SecretStore with a master password', () => {
  it('stores secrets sealed with the master key when no keyring exists, and needs unlocking in a new session', async () => {
    const store = new SecretStore(dir, null, FAST);
    await store.setMasterPassword('master-pass-1');
    expect(await store.status()).toEqual({ backend: 'master-password', locked: false });
    expect(await store.save('site', SECRET)).toBe(true);
    const text = await fileText();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('master-pass-1');
    expect(text).toMatch(/"site": "v1:master:/);

    const next = new SecretStore(dir, null, FAST);
    expect(await next.status()).toEqual({ backend: 'master-password', locked: true });
    expect(await next.read('site')).toBeUndefined();
    expect(await next.save('other', 'x')).toBe(false);
    expect(await next.unlock('wrong password')).toBe(false);
    expect(await next.read('site')).toBeUndefined();
    expect(await next.unlock('master-pass-1')).toBe(true);
    expect(await next.read('site')).toBe(SECRET);
    next.lock();
    expect(await next.read('site')).toBeUndefined();
  });

  it('moves keyring secrets under the master password and back when it is cleared', async () => {
    const safe = new FakeSafeStorage();
    const store = new SecretStore(dir, safe, FAST);
    await store.save('a', 'alpha');
    await store.setMasterPassword('master-pass-1');
    expect(await fileText()).toMatch(/"a": "v1:master:/);
    expect(await store.read('a')).toBe('alpha');
    expect(await store.clearMasterPassword()).toEqual({ kept: 1, dropped: 0 });
    expect(await fileText()).toMatch(/"a": "v1:safe:/);
    expect(await store.read('a')).toBe('alpha');
  });

  it('drops secrets when the master password is cleared and no keyring can take them', async () => {
    const store = new SecretStore(dir, null, FAST);
    await store.setMasterPassword('master-pass-1');
    await store.save('a', 'alpha');
    expect(await store.clearMasterPassword()).toEqual({ kept: 0, dropped: 1 });
    expect(await store.has('a')).toBe(false);
    expect(await store.status()).toEqual({ backend: 'none', locked: false });
  });

  it('changes the master password only when unlocked, re-sealing every secret', async () => {
    await (async () => {
      const s = new SecretStore(dir, null, FAST);
      await s.setMasterPassword('first-password');
      await s.save('a', 'alpha');
    })();
    const locked = new SecretStore(dir, null, FAST);
    await expect(locked.setMasterPassword('second-password')).rejects.toMatchObject({ code: 'auth-failed' });
    await expect(locked.clearMasterPassword()).rejects.toMatchObject({ code: 'auth-failed' });
    expect(await locked.unlock('first-password')).toBe(true);
    await locked.setMasterPassword('second-password');
    const again = new SecretStore(dir, null, FAST);
    expect(await again.unlock('first-password')).toBe(false);
    expect(await again.unlock('second-password')).toBe(true);
    expect(await again.read('a')).toBe('alpha');
  });

  it('refuses a short master password', async () => {
    await expect(new SecretStore(dir, null, FAST).setMasterPassword('short')).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('detects entries swapped between ids (the id is bound as associated data)', async () => {
    const store = new SecretStore(dir, null, FAST);
    await store.setMasterPassword('master-pass-1');
    await store.save('a', 'alpha');
    await store.save('b', 'beta');
    const file = JSON.parse(await fileText()) as { entries: Record<string, string> };
    [file.entries.a, file.entries.b] = [file.entries.b!, file.entries.a!];
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(file));
    expect(await store.read('a')).toBeUndefined();
    expect(await store.read('b')).toBeUndefined();
  });

  it('uses the production scrypt cost by default', async () => {
    const store = new SecretStore(dir, null);
    await store.setMasterPassword('master-pass-1');
    const header = (JSON.parse(await fileText()) as { master: { N: number; r: number; p: number } }).master;
    expect(header).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(await new SecretStore(dir, null).unlock('master-pass-1')).toBe(true);
  });
});

describe('secret crypto', () => {
  it('fails closed on tampering, a wrong key or malformed input', async () => {
    const key = await deriveKey('pw', Buffer.alloc(16, 1), { N: 1024, r: 8, p: 1 });
    const other = await deriveKey('pw2', Buffer.alloc(16, 1), { N: 1024, r: 8, p: 1 });
    const sealed = seal(key, 'hello', 'ctx');
    expect(open(key, sealed, 'ctx')).toBe('hello');
    expect(open(other, sealed, 'ctx')).toBeNull();
    expect(open(key, sealed, 'other-ctx')).toBeNull();
    const [iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(open(key, `${iv}.${tag}.${flipped.toString('base64')}`, 'ctx')).toBeNull();
    expect(open(key, 'garbage', 'ctx')).toBeNull();
    expect(open(key, '..', 'ctx')).toBeNull();
    await expect(deriveKey('pw', Buffer.alloc(16), { N: 1000, r: 8, p: 1 })).rejects.toThrow(/power of two/);
  });
});
