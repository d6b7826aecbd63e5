import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteBuffers } from '../../../main/protocols/sftp/sftp-write-buffers';
import { adapterFor, makeDirs, randomFile } from './helpers/sftp-fixture';
import { startTestServer } from './helpers/test-ssh-server';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

type WriteCb = (err: Error | undefined) => void;

/**
 * Stands in for ssh2's SFTP write(): allocates `extraFirst` bytes (when set), then the packet,
 * copies the data in, and keeps the callback for the test to answer.
 */
function fakeSftp(extraFirst?: number): { sftp: SFTPWrapper; packets: Buffer[]; answer: (i: number) => void } {
  const packets: Buffer[] = [];
  const cbs: WriteCb[] = [];
  const sftp = {
    write(handle: Buffer, buf: Buffer, off: number, len: number, _pos: number, cb: WriteCb) {
      if (extraFirst !== undefined) Buffer.allocUnsafe(extraFirst);
      const out = Buffer.allocUnsafe(4 + 1 + 4 + 4 + handle.length + 8 + 4 + len);
      buf.copy(out, out.length - len, off, off + len);
      packets.push(out);
      cbs.push(cb);
    },
  };
  return { sftp: sftp as unknown as SFTPWrapper, packets, answer: (i) => cbs[i]!(undefined) };
}

describe('SFTP WRITE packet buffers', () => {
  it('lends a packet buffer for the call and takes it back only when the server has answered', () => {
    const pool = new WriteBuffers();
    const { sftp, packets, answer } = fakeSftp();
    const handle = Buffer.from('h1');
    const data = Buffer.alloc(10_000, 7);
    const done: number[] = [];
    pool.write(sftp, handle, data, 0, 10_000, 0, () => done.push(0));
    pool.write(sftp, handle, data, 0, 10_000, 10_000, () => done.push(1));
    // Both in flight: two different buffers.
    expect(packets[0]).not.toBe(packets[1]);
    answer(0);
    expect(done).toEqual([0]);
    pool.write(sftp, handle, data, 0, 10_000, 20_000, () => done.push(2));
    // The answered request's buffer is the one reused; the one still in flight is left alone.
    expect(packets[2]).toBe(packets[0]);
    expect(packets[2]).not.toBe(packets[1]);
    expect(pool.pooled).toBe(3);
    // The global allocator is back to normal after each call.
    const outside = Buffer.allocUnsafe(4 + 1 + 4 + 4 + 2 + 8 + 4 + 10_000);
    expect(outside).not.toBe(packets[1]);
    expect(outside).not.toBe(packets[0]);
  });

  it('leaves any allocation of another size to Node, and restores the allocator even when write throws', () => {
    const pool = new WriteBuffers();
    const { sftp, packets, answer } = fakeSftp(64);
    pool.write(sftp, Buffer.from('h'), Buffer.alloc(10), 0, 10, 0, () => undefined);
    answer(0);
    pool.write(sftp, Buffer.from('h'), Buffer.alloc(10), 0, 10, 10, () => undefined);
    // The first allocation in the call was not the packet: the pool stays out of it.
    expect(pool.pooled).toBe(0);
    expect(packets[1]).not.toBe(packets[0]);
    const original = Buffer.allocUnsafe;
    const throwing = { write: () => { throw new Error('handle is not a Buffer'); } } as unknown as SFTPWrapper;
    expect(() => pool.write(throwing, Buffer.from('h'), Buffer.alloc(1), 0, 1, 0, () => undefined)).toThrow(/handle/);
    expect(Buffer.allocUnsafe).toBe(original);
  });
});

describe('SFTP uploads on reused buffers, end to end', () => {
  it('stays byte-exact through re-keys, with several uploads sharing the connection and its pools', async () => {
    const dirs = await makeDirs();
    cleanup.push(() => dirs.cleanup());
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, rekeyEveryBytes: 300 * 1024 });
    cleanup.push(() => server.close());
    const files = await Promise.all([0, 1, 2].map((i) => randomFile(join(dirs.local, `u${i}.bin`), 2 * 1024 * 1024 + 777 * i)));
    const fs = adapterFor(server.port, dirs, {}, { maxInFlightBytes: 1024 * 1024, rekeyAfterBytes: 700 * 1024 });
    await fs.connect();
    cleanup.push(() => fs.close());
    await Promise.all(files.map((_, i) => fs.upload(join(dirs.local, `u${i}.bin`), `/u${i}.bin`)));
    for (const [i, data] of files.entries()) expect((await readFile(join(dirs.root, `u${i}.bin`))).equals(data)).toBe(true);
    const pooled = fs.pooledPackets;
    // 6 MiB in 32 KiB SSH packets and 124 KiB WRITE requests: nearly all built in reused buffers.
    expect(pooled.ssh).toBeGreaterThan(150);
    expect(pooled.writes).toBeGreaterThan(20);
    expect(server.rekeys() + fs.rekeysStarted).toBeGreaterThanOrEqual(5);
    await fs.close();
  });
});
