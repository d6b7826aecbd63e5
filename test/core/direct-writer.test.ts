import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, rmSync, write, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIRECT_BLOCK, DirectWriter, directWritesPossibleAt, freeDirectStages, type PositionalWrite } from '../../main/core/direct-writer';

const MiB = 1024 * 1024;

/** Appends `data` in pieces of random sizes, waiting whenever the writer is full. */
async function feed(w: DirectWriter, data: Buffer): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const piece = data.subarray(at, Math.min(data.length, at + 1 + Math.floor(Math.random() * 300_000)));
    let rest = piece;
    while (rest.length > 0) {
      const n = w.append(rest);
      rest = rest.subarray(n);
      if (rest.length > 0) await w.ready();
    }
    at += piece.length;
  }
}

describe.runIf(directWritesPossibleAt(tmpdir()))('DirectWriter (O_DIRECT appends)', () => {
  let dir: string;
  let path: string;
  let fd: number;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-direct-'));
    path = join(dir, 'f.bin');
  });
  afterEach(async () => {
    try {
      closeSync(fd);
    } catch {
      // closed by the test
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every byte in order, the partial last block included, and reports durable ends', async () => {
    fd = openSync(path, 'w');
    const data = randomBytes(9 * MiB + 1234);
    const ends: number[] = [];
    const w = DirectWriter.open(fd, 0, { onDurable: (end) => ends.push(end) })!;
    expect(w).toBeDefined();
    expect(freeDirectStages()).toBe(6);
    await feed(w, data);
    expect(w.position).toBe(data.length);
    await w.finish();
    expect(readFileSync(path).equals(data)).toBe(true);
    expect(w.durable).toBe(data.length);
    expect(ends.at(-1)).toBe(data.length);
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);
    // Full buffers landed before the end: progress moved during the transfer, not only at finish.
    expect(ends.length).toBeGreaterThan(1);
    expect(freeDirectStages()).toBe(8);
  });

  it('appends after an existing prefix at an aligned offset and leaves the prefix alone', async () => {
    const prefix = randomBytes(2 * DIRECT_BLOCK);
    writeFileSync(path, prefix);
    fd = openSync(path, 'r+');
    const data = randomBytes(5 * MiB + 7);
    const w = DirectWriter.open(fd, prefix.length)!;
    await feed(w, data);
    await w.finish();
    expect(readFileSync(path).equals(Buffer.concat([prefix, data]))).toBe(true);
  });

  it('writes whole blocks that waited longer than flushEveryMs, so a slow transfer still shows progress', async () => {
    fd = openSync(path, 'w');
    const ends: number[] = [];
    let landed: (() => void) | undefined;
    const w = DirectWriter.open(fd, 0, { flushEveryMs: 0, onDurable: (end) => (ends.push(end), landed?.()) })!;
    const data = randomBytes(3 * DIRECT_BLOCK + 100);
    const first = new Promise<void>((r) => (landed = r));
    expect(w.append(data.subarray(0, 2 * DIRECT_BLOCK + 50))).toBe(2 * DIRECT_BLOCK + 50);
    await first;
    // Only whole blocks go out early; the rest waits for more bytes or the end.
    expect(ends).toEqual([2 * DIRECT_BLOCK]);
    expect(fstatSync(fd).size).toBe(2 * DIRECT_BLOCK);
    expect(w.append(data.subarray(2 * DIRECT_BLOCK + 50))).toBe(DIRECT_BLOCK + 50);
    await w.finish();
    expect(readFileSync(path).equals(data)).toBe(true);
    expect(ends.at(-1)).toBe(data.length);
  });

  it('writes to the file the caller opened even when its path now names another file', async () => {
    fd = openSync(path, 'w');
    renameSync(path, join(dir, 'moved.bin'));
    writeFileSync(path, 'planted');
    const data = randomBytes(4 * MiB + 9);
    const w = DirectWriter.open(fd, 0)!;
    await feed(w, data);
    await w.finish();
    expect(readFileSync(join(dir, 'moved.bin')).equals(data)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('planted');
  });

  it('is not offered at an unaligned offset, or when FERRY_NO_DIRECT_IO=1', () => {
    fd = openSync(path, 'w');
    expect(DirectWriter.open(fd, 100)).toBeUndefined();
    process.env.FERRY_NO_DIRECT_IO = '1';
    try {
      expect(DirectWriter.open(fd, 0)).toBeUndefined();
    } finally {
      delete process.env.FERRY_NO_DIRECT_IO;
    }
    expect(freeDirectStages()).toBe(8);
  });

  it.runIf(existsSync('/dev/shm'))('is not offered on a file system without a local disk (tmpfs)', async () => {
    const shm = join('/dev/shm', `ferry-direct-${process.pid}`);
    const shmFd = openSync(shm, 'w');
    try {
      expect(DirectWriter.open(shmFd, 0)).toBeUndefined();
    } finally {
      closeSync(shmFd);
      rmSync(shm, { force: true });
    }
    fd = openSync(path, 'w');
    const w = DirectWriter.open(fd, 0);
    expect(w).toBeDefined();
    await w!.finish();
  });

  it('falls back to ordinary writes when the file system refuses a direct write', async () => {
    fd = openSync(path, 'w');
    const used: number[] = [];
    const refusing: PositionalWrite = (wfd, buf, off, len, pos, cb) => {
      used.push(wfd);
      if (wfd !== fd) return cb(Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL' }), 0);
      write(wfd, buf, off, len, pos, cb);
    };
    const data = randomBytes(10 * MiB + 99);
    const w = DirectWriter.open(fd, 0, { write: refusing })!;
    await feed(w, data);
    await w.finish();
    expect(readFileSync(path).equals(data)).toBe(true);
    // One refused attempt, then the ordinary descriptor only.
    expect(used.filter((f) => f !== fd)).toHaveLength(1);
  });

  it('reports a failed write from append, ready and finish, and frees its buffers', async () => {
    fd = openSync(path, 'w');
    const failing: PositionalWrite = (_fd, _buf, _off, _len, _pos, cb) => setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }), 0));
    const w = DirectWriter.open(fd, 0, { write: failing })!;
    const err = await feed(w, randomBytes(12 * MiB)).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EIO');
    expect(w.healthy).toBe(false);
    expect(() => w.append(Buffer.alloc(1))).toThrow(/EIO/);
    await expect(w.finish()).rejects.toThrow(/EIO/);
    expect(fstatSync(fd).size).toBe(0);
    expect(freeDirectStages()).toBe(8);
  });

  it('takes no more than its two buffers while a write is slow, and goes on once it lands', async () => {
    fd = openSync(path, 'w');
    let release: (() => void) | undefined;
    const slow: PositionalWrite = (wfd, buf, off, len, pos, cb) => {
      release = () => write(wfd, buf, off, len, pos, cb);
    };
    const w = DirectWriter.open(fd, 0, { write: slow })!;
    const big = randomBytes(12 * MiB);
    // One buffer is being written, the other fills up: 8 MiB taken, then it stops.
    expect(w.append(big)).toBe(8 * MiB);
    let ready = false;
    const waiting = w.ready().then(() => (ready = true));
    await new Promise((r) => setImmediate(r));
    expect(ready).toBe(false);
    release!();
    await waiting;
    expect(w.append(big.subarray(8 * MiB))).toBe(4 * MiB);
    const finishing = w.finish();
    // Each later write is released as it comes.
    const pump = setInterval(() => release?.(), 1);
    await finishing;
    clearInterval(pump);
    expect(readFileSync(path).equals(big)).toBe(true);
  });
});
