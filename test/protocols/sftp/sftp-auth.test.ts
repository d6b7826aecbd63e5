import { generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../../main/core/ferry-error';
import { adapterFor, makeDirs, memoryLogger, scriptedPrompter, type Dirs } from './helpers/sftp-fixture';
import { makeKeyPair, startTestServer, type TestServer } from './helpers/test-ssh-server';

const key = makeKeyPair();
const encrypted = makeKeyPair('correct horse');
// A traditional PEM key (PKCS#1 RSA, encrypted the OpenSSL way), as older tools and PuTTYgen exports make.
const pem = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem pass' },
});
const pemParsed = ssh2.utils.parseKey(pem.privateKey, 'pem pass');
if (pemParsed instanceof Error) throw pemParsed;
const pemPublic = `ssh-rsa ${pemParsed.getPublicSSH().toString('base64')}`;

describe('SFTP authentication', () => {
  let dirs: Dirs;
  let server: TestServer;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({
      root: dirs.root,
      users: {
        alice: { password: 'secret' },
        kbd: { password: 'hunter2', keyboard: true },
        keyuser: { publicKey: key.publicKey },
        enc: { publicKey: encrypted.publicKey },
        pemuser: { publicKey: pemPublic },
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await dirs.cleanup();
  });

  it('logs in with a password and lists the home folder', async () => {
    const fs = adapterFor(server.port, dirs);
    await fs.connect();
    expect(fs.connected).toBe(true);
    expect(await fs.home()).toBe('/home');
    await fs.close();
    await fs.close();
    expect(fs.connected).toBe(false);
  });

  it('refuses a wrong password with auth-failed', async () => {
    const fs = adapterFor(server.port, dirs, { password: 'wrong' });
    await expect(fs.connect()).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('asks for the password when none was given, and a null answer is auth-failed', async () => {
    const asking = scriptedPrompter((r) => (r.kind === 'secret' ? { value: 'secret' } : null));
    const fs = adapterFor(server.port, dirs, { password: undefined, prompter: asking });
    await fs.connect();
    expect(asking.asked).toEqual([{ kind: 'secret', purpose: 'password', subject: 'alice@127.0.0.1' }]);
    await fs.close();

    const declining = scriptedPrompter(() => null);
    const fs2 = adapterFor(server.port, dirs, { password: undefined, prompter: declining });
    const err = await fs2.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FerryError);
    expect((err as FerryError).code).toBe('auth-failed');
    expect(declining.asked.map((a) => a.kind)).toEqual(['secret']);
  });

  it('a stale SSH_AUTH_SOCK is skipped: the login goes on to the password (asked for)', async () => {
    const asking = scriptedPrompter((r) => (r.kind === 'secret' ? { value: 'secret' } : null));
    const logger = memoryLogger();
    const stale = { env: { SSH_AUTH_SOCK: `${dirs.base}/no-such-agent.sock` } };
    const fs = adapterFor(server.port, dirs, { password: undefined, prompter: asking, logger }, stale);
    await fs.connect();
    expect(fs.connected).toBe(true);
    expect(asking.asked.map((a) => a.kind)).toEqual(['secret']);
    expect(logger.lines.some((l) => /^warn the ssh-agent could not be used/.test(l))).toBe(true);
    await fs.close();
    // Asked to use the agent and nothing else: a clear authentication failure, not an internal error.
    const only = adapterFor(server.port, dirs, { password: undefined, target: { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'alice', auth: 'agent' } }, stale);
    await expect(only.connect()).rejects.toMatchObject({ code: 'auth-failed', message: expect.stringMatching(/ssh-agent/) });
  });

  it('answers keyboard-interactive through the prompter', async () => {
    const asking = scriptedPrompter((r) => (r.kind === 'keyboard-interactive' ? { responses: ['hunter2'] } : null));
    const fs = adapterFor(server.port, dirs, { user: 'kbd', password: undefined, prompter: asking, target: { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'kbd', auth: 'keyboard-interactive' } });
    await fs.connect();
    expect(asking.asked).toHaveLength(1);
    expect(asking.asked[0]).toMatchObject({ kind: 'keyboard-interactive', prompts: [{ prompt: 'Password: ', echo: false }] });
    await fs.close();
  });

  it('uses a given password to answer a single hidden keyboard-interactive prompt', async () => {
    const fs = adapterFor(server.port, dirs, { user: 'kbd', password: 'hunter2', target: { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'kbd', auth: 'keyboard-interactive' } });
    await fs.connect();
    await fs.close();
  });

  it('logs in with a private key', async () => {
    const fs = adapterFor(server.port, dirs, { user: 'keyuser', password: undefined, privateKey: Buffer.from(key.privateKey) });
    await fs.connect();
    await fs.close();
  });

  it('logs in with an encrypted PEM (PKCS#1 RSA) key and its passphrase', async () => {
    expect(pem.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED/);
    const fs = adapterFor(server.port, dirs, { user: 'pemuser', password: undefined, privateKey: Buffer.from(pem.privateKey), passphrase: 'pem pass' });
    await fs.connect();
    expect(await fs.home()).toBe('/home');
    await fs.close();
    const wrong = adapterFor(server.port, dirs, { user: 'pemuser', password: undefined, privateKey: Buffer.from(pem.privateKey), passphrase: 'nope' });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('asks for the passphrase of an encrypted key, and refuses a wrong one', async () => {
    const asking = scriptedPrompter((r) => (r.kind === 'secret' && r.purpose === 'passphrase' ? { value: 'correct horse' } : null));
    const target = { protocol: 'sftp' as const, host: '127.0.0.1', port: server.port, user: 'enc', auth: 'key' as const, keyFile: '/keys/id_test' };
    const fs = adapterFor(server.port, dirs, { password: undefined, privateKey: Buffer.from(encrypted.privateKey), prompter: asking, target });
    await fs.connect();
    expect(asking.asked).toEqual([{ kind: 'secret', purpose: 'passphrase', subject: '/keys/id_test' }]);
    await fs.close();

    const wrong = adapterFor(server.port, dirs, { password: undefined, privateKey: Buffer.from(encrypted.privateKey), passphrase: 'nope', target });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('refuses a key the server does not know', async () => {
    const other = makeKeyPair();
    const fs = adapterFor(server.port, dirs, { user: 'keyuser', password: undefined, privateKey: Buffer.from(other.privateKey), target: { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'keyuser', auth: 'key' } });
    await expect(fs.connect()).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('maps a closed port to connection-refused', async () => {
    const fs = adapterFor(1, dirs);
    await expect(fs.connect()).rejects.toMatchObject({ code: 'connection-refused' });
  });
});
