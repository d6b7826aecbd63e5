import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTarget } from '../../shared/model/connection';
import { createLogger, nullSink } from '../../main/core/logger';
import { refusingPrompter } from '../../main/core/prompter';
import { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import type { ConnectFn } from '../../main/transfers/connection-pool';
import { TransferQueue } from '../../main/transfers/transfer-queue';
import { startResetProxy, type ResetProxy } from '../transfers/reset-proxy';
import { sshdAvailable, startSshd, type SshdInstance } from './harness/sshd-harness';

const MiB = 1024 * 1024;
const SIZE_MIB = Number(process.env.FERRY_INTEROP_MB ?? 256);
const available = sshdAvailable();

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function writeRandom(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'w');
  for (let done = 0; done < size; done += 4 * MiB) {
    const b = randomBytes(Math.min(4 * MiB, size - done));
    hash.update(b);
    await fh.write(b);
  }
  await fh.close();
  return hash.digest('hex');
}

describe.skipIf(!available)(`transfer engine: ${SIZE_MIB} MiB through a proxy that resets the connection, against OpenSSH`, () => {
  let sshd: SshdInstance;
  let proxy: ResetProxy;
  let work: string;
  let connect: ConnectFn;
  let opened = 0;
  let target: ConnectionTarget;

  beforeAll(async () => {
    sshd = await startSshd({ rekeyLimit: '512M' });
    work = join(sshd.dir, 'work');
    await mkdir(work);
    // A 96 MiB/s link that drops every 48 MiB: a handful of resets per transfer.
    proxy = await startResetProxy(sshd.port, 48 * MiB, { bytesPerSecond: 96 * MiB });
    target = { protocol: 'sftp', host: '127.0.0.1', port: proxy.port, user: 'root', auth: 'key' };
    const privateKey = await readFile(sshd.userKeyPath);
    connect = async (t) => {
      opened++;
      const fs = new SftpRemoteFs(
        {
          target: { ...t, port: proxy.port },
          privateKey,
          stateDir: join(sshd.dir, 'state'),
          prompter: refusingPrompter,
          logger: createLogger(nullSink),
          acceptNew: true,
          timeouts: { connectMs: 10_000, loginMs: 10_000, commandMs: 30_000, idleMs: 20_000 },
        },
        { knownHostsPath: join(sshd.dir, 'none'), env: {} },
      );
      await fs.connect();
      return fs;
    };
  });
  afterAll(async () => {
    await proxy?.close();
    await sshd?.stop();
  });

  async function run(direction: 'download' | 'upload', remotePath: string, localPath: string) {
    const before = { opened, resets: proxy.resets(), bytes: proxy.bytes() };
    const queue = new TransferQueue(join(work, `state-${direction}`), connect, refusingPrompter, createLogger(nullSink), { retries: 10, backoff: { baseMs: 50, maxMs: 1000 } });
    await queue.start();
    await queue.add({ requests: [{ direction, target, remotePath, localPath, recursive: false }] });
    await queue.whenIdle();
    const item = queue.snapshot().items[0]!;
    await queue.close();
    return { item, opened: opened - before.opened, resets: proxy.resets() - before.resets, relayed: proxy.bytes() - before.bytes };
  }

  it('downloads byte-exact with a handful of reconnects, not restarts', async () => {
    const digest = await writeRandom(join(sshd.data, 'big.bin'), SIZE_MIB * MiB);
    const r = await run('download', join(sshd.data, 'big.bin'), join(work, 'big.bin'));
    expect(r.item.state, JSON.stringify(r.item.error)).toBe('done');
    expect(await sha256File(join(work, 'big.bin'))).toBe(digest);
    // No connection carries more than 48 MiB, so finishing proves resume; the bounds show it
    // resumed near where it stopped, with room for a loaded machine.
    expect(r.resets).toBeGreaterThanOrEqual(Math.floor(SIZE_MIB / 48) - 1);
    expect(r.opened).toBeLessThanOrEqual(Math.ceil(SIZE_MIB / 16) + 2);
    expect(r.relayed).toBeLessThan(SIZE_MIB * MiB * 2);
    expect((await readdir(work)).filter((n) => n.includes('ferry-part'))).toEqual([]);
    console.log(`download: ${r.resets} resets, ${r.opened} connections, ${(r.relayed / MiB).toFixed(0)} MiB relayed for ${SIZE_MIB} MiB`);
  });

  it('uploads byte-exact with a handful of reconnects, not restarts', async () => {
    const local = join(work, 'up.bin');
    const digest = await writeRandom(local, SIZE_MIB * MiB);
    const r = await run('upload', join(sshd.data, 'up.bin'), local);
    expect(r.item.state, JSON.stringify(r.item.error)).toBe('done');
    expect(await sha256File(join(sshd.data, 'up.bin'))).toBe(digest);
    expect(r.resets).toBeGreaterThanOrEqual(Math.floor(SIZE_MIB / 48) - 1);
    expect(r.relayed).toBeLessThan(SIZE_MIB * MiB * 2);
    expect((await readdir(sshd.data)).filter((n) => n.includes('ferry-part'))).toEqual([]);
    await rm(local);
    console.log(`upload: ${r.resets} resets, ${r.opened} connections, ${(r.relayed / MiB).toFixed(0)} MiB relayed for ${SIZE_MIB} MiB`);
  });
});
