import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterFor, makeDirs, randomFile, type Dirs } from './helpers/sftp-fixture';
import { startTestServer } from './helpers/test-ssh-server';

describe('SFTP failures map to contract codes', () => {
  let dirs: Dirs;
  let silent: Server | undefined;
  beforeEach(async () => {
    dirs = await makeDirs();
  });
  afterEach(async () => {
    silent?.close();
    silent = undefined;
    await dirs.cleanup();
  });

  const silentServer = async (): Promise<number> => {
    silent = createServer(() => undefined); // accepts, never says a word
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
    return (silent.address() as AddressInfo).port;
  };

  it('a server that never greets is a timeout after connectMs', async () => {
    const port = await silentServer();
    const fs = adapterFor(port, dirs, { timeouts: { connectMs: 300, loginMs: 1000, commandMs: 1000, idleMs: 1000 } });
    const started = Date.now();
    await expect(fs.connect()).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('connect() can be cancelled', async () => {
    const port = await silentServer();
    const ac = new AbortController();
    const fs = adapterFor(port, dirs);
    const p = fs.connect(ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('close() during connect() cancels it', async () => {
    const port = await silentServer();
    const fs = adapterFor(port, dirs);
    const p = fs.connect();
    await new Promise((r) => setTimeout(r, 50));
    await fs.close();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(fs.connected).toBe(false);
  });

  it('a connection that drops mid-transfer is connection-lost, and so is every later call', async () => {
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    try {
      await randomFile(join(dirs.root, 'f.bin'), 4 * 1024 * 1024);
      const fs = adapterFor(server.port, dirs, {}, { maxInFlightBytes: 64 * 1024 });
      await fs.connect();
      let dropped = false;
      const p = fs.download('/f.bin', join(dirs.local, 'f.bin'), {
        onProgress: () => {
          if (!dropped) {
            dropped = true;
            void server.close();
          }
        },
      });
      const t0 = Date.now();
      await expect(p).rejects.toMatchObject({ code: 'connection-lost' });
      expect(Date.now() - t0).toBeLessThan(2000); // not after the 5 s command or idle timeouts
      expect(fs.connected).toBe(false);
      await expect(fs.stat('/f.bin')).rejects.toMatchObject({ code: 'connection-lost' });
      await fs.close();
    } finally {
      await server.close();
    }
  });

  it('a failed upload reports every byte the server confirmed, which a retry may resume from', async () => {
    const MiB = 1024 * 1024;
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, sftp: { failWritesFrom: 24 * MiB } });
    try {
      await randomFile(join(dirs.local, 'up.bin'), 32 * MiB);
      const fs = adapterFor(server.port, dirs, {}, { chunkSize: 32 * 1024 });
      await fs.connect();
      let last = 0;
      const p = fs.upload(join(dirs.local, 'up.bin'), '/up.bin', { onProgress: (x) => (last = x.transferred) });
      await expect(p).rejects.toMatchObject({ code: 'protocol-error' });
      // Every WRITE starting below 24 MiB was confirmed before the upload gave up: the last report
      // is all the server holds, not merely the last throttled report (every 100 ms).
      expect(last).toBeGreaterThanOrEqual(24 * MiB);
      expect(last).toBe(statSync(join(dirs.root, 'up.bin')).size);
      await fs.close();
    } finally {
      await server.close();
    }
  });
});
