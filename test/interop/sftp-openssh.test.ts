import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, nullSink } from '../../main/core/logger';
import { refusingPrompter } from '../../main/core/prompter';
import type { ConnectOptions } from '../../main/protocols/remote-fs';
import { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import { TrustStore } from '../../main/trust/trust-store';
import { runFerry } from '../protocols/sftp/helpers/sftp-fixture';
import { PASSWORD, PASSWORD_USER, sshdAvailable, startAgent, startSshd, type SshdInstance } from './harness/sshd-harness';

const MiB = 1024 * 1024;
const available = sshdAvailable();

async function sha256File(path: string, start = 0, end?: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start, ...(end !== undefined ? { end: end - 1 } : {}) })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function writeRandom(path: string, size: number): Promise<void> {
  const fh = await open(path, 'w');
  for (let done = 0; done < size; done += 4 * MiB) await fh.write(randomBytes(Math.min(4 * MiB, size - done)));
  await fh.close();
}

describe.skipIf(!available)('SFTP against OpenSSH sshd', () => {
  let sshd: SshdInstance;
  let stateDir: string;
  const options = (over: Partial<ConnectOptions> = {}): ConnectOptions => ({
    target: { protocol: 'sftp', host: '127.0.0.1', port: sshd.port, user: 'root', auth: 'key' },
    stateDir,
    prompter: refusingPrompter,
    logger: createLogger(nullSink),
    acceptNew: true,
    timeouts: { connectMs: 10_000, loginMs: 10_000, commandMs: 30_000, idleMs: 60_000 },
    ...over,
  });
  const keyAdapter = async (): Promise<SftpRemoteFs> => {
    const fs = new SftpRemoteFs(options({ privateKey: await readFile(sshd.userKeyPath) }), { knownHostsPath: join(sshd.dir, 'none'), env: {} });
    await fs.connect();
    return fs;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    stateDir = join(sshd.dir, 'state');
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('moves 256 MiB down and up byte-exact through hundreds of re-keys (RekeyLimit 1M)', async () => {
    const remote = join(sshd.data, 'big.bin');
    await writeRandom(remote, 256 * MiB);
    const expected = await sha256File(remote);
    const fs = await keyAdapter();
    const kexBefore = sshd.kexCount();
    try {
      const local = join(sshd.dir, 'big.down');
      expect(await fs.download(remote, local)).toBe(256 * MiB);
      expect(await sha256File(local)).toBe(expected);
      const up = join(sshd.data, 'big.up');
      expect(await fs.upload(local, up)).toBe(256 * MiB);
      expect(await sha256File(up)).toBe(expected);
    } finally {
      await fs.close();
    }
    const rekeys = sshd.kexCount() - kexBefore;
    console.log(`sshd logged ${rekeys} key exchanges during 512 MiB of transfers`);
    expect(rekeys).toBeGreaterThanOrEqual(200);
    // OpenSSH itself saw no message out of place during any of them.
    expect(sshd.protocolErrors()).toBe(0);
  });

  it('reads and writes a sparse file larger than 4 GiB at offsets past 2^32', async () => {
    const G4 = 2 ** 32;
    const remote = join(sshd.data, 'sparse.bin');
    const a = randomBytes(2 * MiB);
    const b = randomBytes(3 * MiB);
    const fh = await open(remote, 'w');
    await fh.write(a, 0, a.length, G4 - MiB); // straddles 2^32
    await fh.write(b, 0, b.length, G4 + 7 * MiB + 3);
    await fh.close();
    const size = G4 + 10 * MiB + 3;
    const fs = await keyAdapter();
    try {
      const local = join(sshd.dir, 'sparse.down');
      expect(await fs.download(remote, local, { offset: G4 - 2 * MiB })).toBe(size);
      for (const [start, end] of [[G4 - MiB, G4 + MiB], [G4 + 7 * MiB + 3, size], [G4, size]] as const) {
        expect(await sha256File(local, start, end)).toBe(await sha256File(remote, start, end));
      }
      // Upload the tail back from past 2^32 onto a copy cut there.
      const copy = join(sshd.data, 'sparse.copy');
      await writeFile(copy, '');
      const ch = await open(copy, 'r+');
      await ch.truncate(G4 + MiB);
      await ch.close();
      expect(await fs.upload(local, copy, { offset: G4 + MiB })).toBe(size);
      expect(await sha256File(copy, G4 + MiB, size)).toBe(await sha256File(remote, G4 + MiB, size));
      expect(await fs.stat(copy)).toMatchObject({ type: 'file', size });
    } finally {
      await fs.close();
    }
  });

  it('logs in with a key, a password and an ssh-agent; a wrong password is auth-failed', async () => {
    const byKey = await keyAdapter();
    expect(await byKey.home()).toBe('/root');
    await byKey.close();

    const byPassword = new SftpRemoteFs(options({ target: { protocol: 'sftp', host: '127.0.0.1', port: sshd.port, user: PASSWORD_USER }, password: PASSWORD }), { knownHostsPath: join(sshd.dir, 'none'), env: {} });
    await byPassword.connect();
    expect((await byPassword.stat('/')).type).toBe('dir');
    await byPassword.close();

    const wrong = new SftpRemoteFs(options({ target: { protocol: 'sftp', host: '127.0.0.1', port: sshd.port, user: PASSWORD_USER }, password: 'not-it' }), { knownHostsPath: join(sshd.dir, 'none'), env: {} });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'auth-failed' });

    const agent = await startAgent(sshd.dir, [sshd.userKeyPath]);
    try {
      const byAgent = new SftpRemoteFs(options({ target: { protocol: 'sftp', host: '127.0.0.1', port: sshd.port, user: 'root', auth: 'agent' }, agent: agent.socket }), { knownHostsPath: join(sshd.dir, 'none'), env: {} });
      await byAgent.connect();
      expect(await byAgent.home()).toBe('/root');
      await byAgent.close();
      // SSH_AUTH_SOCK alone is enough when no other secret is given.
      const byEnv = new SftpRemoteFs(options({ target: { protocol: 'sftp', host: '127.0.0.1', port: sshd.port, user: 'root' } }), { knownHostsPath: join(sshd.dir, 'none'), env: { SSH_AUTH_SOCK: agent.socket } });
      await byEnv.connect();
      await byEnv.close();
    } finally {
      agent.stop();
    }
  });

  it('ferry get/put/ls through the CLI; a changed host key is refused with exit 4 and the store kept', async () => {
    const run = (args: string[]) => runFerry(args);
    const cliState = join(sshd.dir, 'cli-state');
    const src = join(sshd.data, 'cli.bin');
    await writeRandom(src, 3 * MiB + 5);
    const base = `sftp://root@127.0.0.1:${sshd.port}`;
    const common = ['-i', sshd.userKeyPath, '--state-dir', cliState];
    expect((await run(['ls', `${base}${sshd.data}`, ...common])).code).toBe(4);
    const got = await run(['get', `${base}${src}`, join(sshd.dir, 'cli.down'), ...common, '--accept-new']);
    expect(got.errText).toBe('');
    expect(got.code).toBe(0);
    expect(await sha256File(join(sshd.dir, 'cli.down'))).toBe(await sha256File(src));
    expect((await run(['put', join(sshd.dir, 'cli.down'), `${base}${sshd.data}/cli.put`, ...common])).code).toBe(0);
    expect(await sha256File(join(sshd.data, 'cli.put'))).toBe(await sha256File(src));
    const listed = await run(['ls', `${base}${sshd.data}`, ...common, '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.text) as { name: string }[]).map((e) => e.name)).toContain('cli.put');

    const store = new TrustStore(cliState);
    expect((await store.get('host-key', '127.0.0.1', sshd.port))?.fingerprint).toBe(sshd.hostFingerprint);
    const forged = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    await store.put({ kind: 'host-key', host: '127.0.0.1', port: sshd.port, type: 'ssh-ed25519', fingerprint: forged });
    const before = await readFile(join(cliState, 'trust.json'), 'utf8');
    const refused = await run(['ls', `${base}/`, ...common, '--accept-new']);
    expect(refused.code).toBe(4);
    expect(refused.errText).toContain('host key changed');
    expect(refused.errText).toContain(forged);
    expect(refused.errText).toContain(sshd.hostFingerprint);
    expect(await readFile(join(cliState, 'trust.json'), 'utf8')).toBe(before);
  });

  it("a server whose real host key changed (reinstalled): refused, from Ferry's store and from known_hosts", async () => {
    const reinstalled = await startSshd();
    try {
      const cliState = join(reinstalled.dir, 'state');
      // Ferry trusted the first sshd's real key for this host and port; the server now shows another.
      await new TrustStore(cliState).put({ kind: 'host-key', host: '127.0.0.1', port: reinstalled.port, type: 'ssh-ed25519', fingerprint: sshd.hostFingerprint });
      const before = await readFile(join(cliState, 'trust.json'), 'utf8');
      const refused = await runFerry(['ls', `sftp://root@127.0.0.1:${reinstalled.port}/`, '-i', reinstalled.userKeyPath, '--state-dir', cliState, '--accept-new']);
      expect(refused.code).toBe(4);
      expect(refused.errText).toContain('host key changed');
      expect(refused.errText).toContain(sshd.hostFingerprint);
      expect(refused.errText).toContain(reinstalled.hostFingerprint);
      expect(await readFile(join(cliState, 'trust.json'), 'utf8')).toBe(before);

      // Nothing in Ferry's store, but the user's known_hosts lists the old key: refused as well.
      const knownHosts = join(reinstalled.dir, 'known_hosts');
      const oldKey = (await readFile(`${sshd.hostKeyPath}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
      await writeFile(knownHosts, `[127.0.0.1]:${reinstalled.port} ${oldKey}\n`);
      const fresh = join(reinstalled.dir, 'fresh-state');
      const fs = new SftpRemoteFs({ ...options({ stateDir: fresh, privateKey: await readFile(reinstalled.userKeyPath) }), target: { protocol: 'sftp', host: '127.0.0.1', port: reinstalled.port, user: 'root', auth: 'key' } }, { knownHostsPath: knownHosts, env: {} });
      await expect(fs.connect()).rejects.toMatchObject({ code: 'host-key-changed' });
      await fs.close();
      expect(await readFile(knownHosts, 'utf8')).toBe(`[127.0.0.1]:${reinstalled.port} ${oldKey}\n`);
      expect(await new TrustStore(fresh).get('host-key', '127.0.0.1', reinstalled.port)).toBeUndefined();
    } finally {
      await reinstalled.stop();
    }
  });

  it('re-keys by itself against an sshd that never does (client-initiated, strict kex)', async () => {
    const quiet = await startSshd({ rekeyLimit: 'default none' });
    try {
      const remote = join(quiet.data, 'mid.bin');
      await writeRandom(remote, 48 * MiB);
      const fs = new SftpRemoteFs(
        { ...options({ privateKey: await readFile(quiet.userKeyPath) }), target: { protocol: 'sftp', host: '127.0.0.1', port: quiet.port, user: 'root', auth: 'key' } },
        { knownHostsPath: join(quiet.dir, 'none'), env: {}, rekeyAfterBytes: MiB, maxInFlightBytes: 512 * 1024 },
      );
      await fs.connect();
      const kexBefore = quiet.kexCount();
      const local = join(quiet.dir, 'mid.down');
      await fs.download(remote, local);
      await fs.upload(local, join(quiet.data, 'mid.up'));
      await fs.close();
      expect(await sha256File(local)).toBe(await sha256File(remote));
      expect(await sha256File(join(quiet.data, 'mid.up'))).toBe(await sha256File(remote));
      expect(fs.rekeysStarted).toBeGreaterThanOrEqual(30);
      expect(quiet.kexCount() - kexBefore).toBeGreaterThanOrEqual(fs.rekeysStarted);
    } finally {
      await quiet.stop();
    }
  });

  it('renames over an existing file with posix-rename, removes trees and lists owners', async () => {
    const fs = await keyAdapter();
    try {
      await writeFile(join(sshd.data, 'r1'), 'one');
      await writeFile(join(sshd.data, 'r2'), 'two');
      await fs.rename(join(sshd.data, 'r1'), join(sshd.data, 'r2'));
      expect(await readFile(join(sshd.data, 'r2'), 'utf8')).toBe('one');
      await fs.mkdir(join(sshd.data, 't/u/v'), { recursive: true });
      await fs.upload(join(sshd.data, 'r2'), join(sshd.data, 't/u/v/f'));
      await fs.removeDir(join(sshd.data, 't'), { recursive: true });
      await expect(fs.stat(join(sshd.data, 't'))).rejects.toMatchObject({ code: 'no-such-file' });
      // OpenSSH's long names give the Owner column its user and group names.
      expect((await fs.list(sshd.data)).find((e) => e.name === 'r2')).toMatchObject({ type: 'file', owner: 'root', group: 'root' });
    } finally {
      await fs.close();
    }
  });
});
