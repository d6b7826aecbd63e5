import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterFor, makeDirs, randomFile, scriptedPrompter, type Dirs } from './helpers/sftp-fixture';
import { startTestServer, type TestServer } from './helpers/test-ssh-server';

const MiB = 1024 * 1024;
const users = { alice: { password: 'secret' } };

describe('SFTP re-key safety', () => {
  let dirs: Dirs;
  let server: TestServer | undefined;
  beforeEach(async () => {
    dirs = await makeDirs();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await dirs.cleanup();
  });

  it('moves files byte-exact while the server re-keys every 256 KiB, sending only KEX messages during each exchange', async () => {
    server = await startTestServer({ root: dirs.root, users, rekeyEveryBytes: 256 * 1024 });
    const data = await randomFile(join(dirs.root, 'big.bin'), 3 * MiB);
    const prompter = scriptedPrompter((r) => (r.kind === 'host-key' ? 'trust-once' : null));
    const fs = adapterFor(server.port, dirs, { acceptNew: false, prompter }, { maxInFlightBytes: 256 * 1024 });
    await fs.connect();
    await fs.download('/big.bin', join(dirs.local, 'big.bin'));
    expect((await readFile(join(dirs.local, 'big.bin'))).equals(data)).toBe(true);
    await fs.upload(join(dirs.local, 'big.bin'), '/up.bin');
    expect((await readFile(join(dirs.root, 'up.bin'))).equals(data)).toBe(true);
    await fs.close();
    expect(server.rekeys()).toBeGreaterThanOrEqual(6);
    expect(server.observer.exchanges).toBeGreaterThanOrEqual(server.rekeys());
    expect(server.observer.violations).toEqual([]);
    // The workload really had channel data and window adjusts to hold back.
    expect(server.observer.seen.get(94)).toBeGreaterThan(50);
    expect(server.observer.seen.get(93)).toBeGreaterThanOrEqual(2);
    // The verifier ran on every exchange but asked once: the decision is cached per connection.
    expect(prompter.asked.filter((a) => a.kind === 'host-key')).toHaveLength(1);
  });

  it('re-keys by itself when the server never does, and still sends only KEX messages during the exchange', async () => {
    server = await startTestServer({ root: dirs.root, users });
    const data = await randomFile(join(dirs.root, 'f.bin'), 2 * MiB);
    const fs = adapterFor(server.port, dirs, {}, { rekeyAfterBytes: 256 * 1024, maxInFlightBytes: 128 * 1024 });
    await fs.connect();
    await fs.download('/f.bin', join(dirs.local, 'f.bin'));
    await fs.upload(join(dirs.local, 'f.bin'), '/g.bin');
    await fs.close();
    expect((await readFile(join(dirs.root, 'g.bin'))).equals(data)).toBe(true);
    expect(fs.rekeysStarted).toBeGreaterThanOrEqual(4);
    expect(server.observer.exchanges).toBeGreaterThanOrEqual(fs.rekeysStarted + 1);
    expect(server.observer.violations).toEqual([]);
  });

  it('survives a strict server that sends IGNORE during server- and client-initiated re-keys', async () => {
    server = await startTestServer({ root: dirs.root, users, rekeyEveryBytes: 300 * 1024, kex: { ignoreDuringRekey: true } });
    const data = await randomFile(join(dirs.root, 'f.bin'), 2 * MiB);
    const fs = adapterFor(server.port, dirs, {}, { rekeyAfterBytes: 200 * 1024, maxInFlightBytes: 128 * 1024 });
    await fs.connect();
    await fs.download('/f.bin', join(dirs.local, 'f.bin'));
    await fs.upload(join(dirs.local, 'f.bin'), '/g.bin');
    await fs.close();
    expect((await readFile(join(dirs.root, 'g.bin'))).equals(data)).toBe(true);
    expect(server.observer.ignoresSent).toBeGreaterThanOrEqual(3);
    // Both kinds of re-key had an IGNORE in them, and the connection lived through each.
    expect(server.observer.ignoresInto.serverInitiated).toBeGreaterThan(0);
    expect(server.observer.ignoresInto.clientInitiated).toBeGreaterThan(0);
    expect(fs.rekeysStarted).toBeGreaterThan(0);
    expect(server.rekeys()).toBeGreaterThan(0);
    expect(server.observer.violations).toEqual([]);
  });

  it('keeps strict kex for the initial exchange: an IGNORE there still ends the connection (Terrapin)', async () => {
    server = await startTestServer({ root: dirs.root, users, kex: { ignoreDuringInitialKex: true } });
    const fs = adapterFor(server.port, dirs);
    await expect(fs.connect()).rejects.toMatchObject({ code: 'protocol-error' });
    expect(server.observer.ignoresSent).toBe(1);
  });

  it('control: plain ssh2 drops the connection on that IGNORE (what the patch fixes)', async () => {
    server = await startTestServer({ root: dirs.root, users, rekeyEveryBytes: 32 * 1024, kex: { ignoreDuringRekey: true } });
    await randomFile(join(dirs.root, 'f.bin'), 8 * MiB); // large enough that a re-key starts before the end
    const client = new ssh2.Client();
    const failure = await new Promise<string>((resolve) => {
      client.on('error', (err) => resolve(err.message));
      client.on('close', () => resolve('closed'));
      client.on('ready', () =>
        client.sftp((err, sftp) => {
          if (err) return resolve(err.message);
          sftp.fastGet('/f.bin', join(dirs.local, 'plain.bin'), (e) => resolve(e ? e.message : 'completed'));
        }),
      );
      client.connect({ host: '127.0.0.1', port: server!.port, username: 'alice', password: 'secret' });
    });
    client.destroy();
    expect(failure).toMatch(/unexpected packet type 2/);
  });

  it('control: the observer catches a non-KEX message sent during a key exchange', async () => {
    server = await startTestServer({ root: dirs.root, users });
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.on('ready', resolve).on('error', reject);
      client.connect({ host: '127.0.0.1', port: server!.port, username: 'alice', password: 'secret' });
    });
    client.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    const proto = (client as unknown as { _protocol: { rekey(): void } })._protocol;
    proto.rekey();
    server.observer.sendIgnore(proto as never); // from the client, bypassing ssh2's queue
    await closed;
    expect(server.observer.violations).toEqual([{ type: 2, exchange: 1 }]);
  });

  it('a slow re-key outlasts the idle timeout, keepalives wait, and a dead server is still detected', async () => {
    server = await startTestServer({ root: dirs.root, users, rekeyEveryBytes: 700 * 1024, kex: { slowRekeyMs: 2000 } });
    const data = await randomFile(join(dirs.root, 'f.bin'), 1 * MiB);
    const timeouts = { connectMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 900 };
    const tuning = { keepaliveMs: 50, maxInFlightBytes: 128 * 1024 };
    const fs = adapterFor(server.port, dirs, { timeouts }, { ...tuning, deadDuringKexMs: 5000 });
    await fs.connect();
    await new Promise((r) => setTimeout(r, 300)); // idle: keepalive pings flow
    await fs.download('/f.bin', join(dirs.local, 'f.bin'));
    expect((await readFile(join(dirs.local, 'f.bin'))).equals(data)).toBe(true);
    expect(fs.connected).toBe(true);
    await fs.close();
    expect(server.rekeys()).toBeGreaterThan(0);
    expect(server.observer.seen.get(80)).toBeGreaterThan(1); // keepalive@openssh.com global requests
    expect(server.observer.violations).toEqual([]);

    // Without the longer tolerance during a key exchange, the same slow re-key looks like a dead server.
    const impatient = adapterFor(server.port, dirs, { timeouts }, { ...tuning, deadDuringKexMs: 0 });
    await impatient.connect();
    await expect(impatient.download('/f.bin', join(dirs.local, 'g.bin'))).rejects.toMatchObject({ code: 'connection-lost' });
    expect(impatient.connected).toBe(false);
    await impatient.close();
  });

  it('a slow re-key stretches the deadline of listings, stats and opens instead of timing them out', async () => {
    server = await startTestServer({ root: dirs.root, users, kex: { slowRekeyMs: 2500 } });
    const data = await randomFile(join(dirs.root, 'f.bin'), 1024);
    const timeouts = { connectMs: 5000, loginMs: 5000, commandMs: 1000, idleMs: 1000 };
    const fs = adapterFor(server.port, dirs, { timeouts }, { keepaliveMs: 200, deadDuringKexMs: 10_000 });
    await fs.connect();
    server.rekeyAll();
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    expect((await fs.list('/')).map((e) => e.name)).toContain('f.bin');
    // The answer could only come after the slow exchange: well past the 1 s command deadline.
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(await fs.stat('/f.bin')).toMatchObject({ type: 'file', size: 1024 });
    await fs.download('/f.bin', join(dirs.local, 'f.bin'));
    expect((await readFile(join(dirs.local, 'f.bin'))).equals(data)).toBe(true);
    expect(fs.connected).toBe(true);
    expect(server.observer.violations).toEqual([]);
    await fs.close();
  });

  it('a server that does not answer outside a key exchange still times out at the command deadline', async () => {
    server = await startTestServer({ root: dirs.root, users, sftp: { silent: ['/hang'] } });
    const timeouts = { connectMs: 5000, loginMs: 5000, commandMs: 800, idleMs: 60_000 };
    const fs = adapterFor(server.port, dirs, { timeouts });
    await fs.connect();
    const started = Date.now();
    await expect(fs.stat('/hang/x')).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    expect(Date.now() - started).toBeLessThan(2500);
    await fs.close();
  });
});
