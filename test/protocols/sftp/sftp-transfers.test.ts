import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SftpRemoteFs } from '../../../main/protocols/sftp/sftp-adapter';
import { adapterFor, makeDirs, randomFile, type Dirs } from './helpers/sftp-fixture';
import { startTestServer, type TestServer } from './helpers/test-ssh-server';

const MiB = 1024 * 1024;
const GiB4 = 2 ** 32;

describe('SFTP transfers', () => {
  let dirs: Dirs;
  let server: TestServer;
  let fs: SftpRemoteFs;
  let data: Buffer;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    data = await randomFile(join(dirs.root, 'data.bin'), 3 * MiB + 12345);
    fs = adapterFor(server.port, dirs, {}, { maxInFlightBytes: 512 * 1024 });
    await fs.connect();
  });
  afterAll(async () => {
    await fs.close();
    await server.close();
    await dirs.cleanup();
  });

  it('downloads byte-exact with monotonic progress ending at the size', async () => {
    const seen: number[] = [];
    const size = await fs.download('/data.bin', join(dirs.local, 'a.bin'), { onProgress: (p) => seen.push(p.transferred) });
    expect(size).toBe(data.length);
    expect((await readFile(join(dirs.local, 'a.bin'))).equals(data)).toBe(true);
    expect(seen.at(-1)).toBe(data.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('uploads byte-exact and replaces a longer file', async () => {
    await writeFile(join(dirs.root, 'up.bin'), Buffer.alloc(5 * MiB, 7));
    const size = await fs.upload(join(dirs.root, 'data.bin'), '/up.bin');
    expect(size).toBe(data.length);
    expect((await readFile(join(dirs.root, 'up.bin'))).equals(data)).toBe(true);
  });

  it('handles empty files both ways', async () => {
    await writeFile(join(dirs.root, 'empty'), '');
    expect(await fs.download('/empty', join(dirs.local, 'empty'))).toBe(0);
    expect((await stat(join(dirs.local, 'empty'))).size).toBe(0);
    expect(await fs.upload(join(dirs.local, 'empty'), '/empty2')).toBe(0);
    expect((await stat(join(dirs.root, 'empty2'))).size).toBe(0);
  });

  it('resumes a download: truncates the local file to the offset and writes from there', async () => {
    const local = join(dirs.local, 'resume.bin');
    await writeFile(local, Buffer.concat([data.subarray(0, MiB), Buffer.alloc(2 * MiB, 9)]));
    const size = await fs.download('/data.bin', local, { offset: MiB });
    expect(size).toBe(data.length);
    expect((await readFile(local)).equals(data)).toBe(true);
  });

  it('resumes an upload: appends from the offset, cutting a longer remote file first', async () => {
    await writeFile(join(dirs.root, 'part.bin'), Buffer.concat([data.subarray(0, MiB), Buffer.alloc(3 * MiB, 1)]));
    const size = await fs.upload(join(dirs.root, 'data.bin'), '/part.bin', { offset: MiB });
    expect(size).toBe(data.length);
    expect((await readFile(join(dirs.root, 'part.bin'))).equals(data)).toBe(true);
  });

  it('runs overlapping downloads, uploads and listings on one connection', async () => {
    const work = [
      ...[1, 2, 3, 4].map((i) => fs.download('/data.bin', join(dirs.local, `o${i}.bin`))),
      ...[1, 2].map((i) => fs.upload(join(dirs.root, 'data.bin'), `/u${i}.bin`)),
      fs.list('/'),
      fs.stat('/data.bin'),
    ];
    await Promise.all(work);
    for (const i of [1, 2, 3, 4]) expect((await readFile(join(dirs.local, `o${i}.bin`))).equals(data)).toBe(true);
    for (const i of [1, 2]) expect((await readFile(join(dirs.root, `u${i}.bin`))).equals(data)).toBe(true);
    expect(fs.peakInFlightBytes).toBeGreaterThan(512 * 1024); // several transfers were in flight together
  });

  it('keeps the bytes in flight under the connection-wide cap however many transfers run', async () => {
    const capped = adapterFor(server.port, dirs, {}, { maxInFlightBytes: 512 * 1024, maxConnectionInFlightBytes: 256 * 1024 });
    await capped.connect();
    await Promise.all([1, 2, 3, 4].map((i) => capped.download('/data.bin', join(dirs.local, `c${i}.bin`))));
    await Promise.all([1, 2].map((i) => capped.upload(join(dirs.root, 'data.bin'), `/cu${i}.bin`)));
    await capped.close();
    for (const i of [1, 2, 3, 4]) expect((await readFile(join(dirs.local, `c${i}.bin`))).equals(data)).toBe(true);
    for (const i of [1, 2]) expect((await readFile(join(dirs.root, `cu${i}.bin`))).equals(data)).toBe(true);
    // One chunk per transfer may exceed the cap (each transfer always gets one): 256 KiB + 4 × 31952.
    expect(capped.peakInFlightBytes).toBeLessThanOrEqual(256 * 1024 + 4 * 31952);
    expect(capped.peakInFlightBytes).toBeGreaterThan(128 * 1024);
  });

  it('cancels through an AbortSignal and stays usable', async () => {
    const ac = new AbortController();
    const p = fs.download('/data.bin', join(dirs.local, 'cancel.bin'), { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(fs.connected).toBe(true);
    expect((await fs.stat('/data.bin')).size).toBe(data.length);
    const up = new AbortController();
    const q = fs.upload(join(dirs.root, 'data.bin'), '/cancelled-up.bin', { signal: up.signal, onProgress: () => up.abort() });
    await expect(q).rejects.toMatchObject({ code: 'cancelled' });
    const pre = new AbortController();
    pre.abort();
    await expect(fs.download('/data.bin', join(dirs.local, 'pre.bin'), { signal: pre.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(fs.connected).toBe(true);
  });

  it('ends a download of a shrinking file with a clear error, without spinning', async () => {
    await writeFile(join(dirs.root, 'shrink.bin'), data);
    let cut = false;
    const started = Date.now();
    const p = fs.download('/shrink.bin', join(dirs.local, 'shrink.bin'), {
      onProgress: () => {
        if (!cut) {
          cut = true;
          void truncate(join(dirs.root, 'shrink.bin'), MiB);
        }
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'protocol-error', message: expect.stringContaining('shrank') });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a missing remote file as no-such-file and a missing local file the same way', async () => {
    await expect(fs.download('/nope.bin', join(dirs.local, 'x'))).rejects.toMatchObject({ code: 'no-such-file' });
    await expect(fs.upload(join(dirs.local, 'nope'), '/x')).rejects.toMatchObject({ code: 'no-such-file' });
  });

  it('handles offsets past 4 GiB (sparse files)', async () => {
    const remote = join(dirs.root, 'huge.bin');
    const tail = data.subarray(0, MiB);
    const fh = await open(remote, 'w');
    await fh.write(tail, 0, tail.length, GiB4 + 5);
    await fh.close();
    const local = join(dirs.local, 'huge.bin');
    const size = await fs.download('/huge.bin', local, { offset: GiB4 });
    expect(size).toBe(GiB4 + 5 + tail.length);
    const got = Buffer.alloc(tail.length);
    const lh = await open(local, 'r');
    await lh.read(got, 0, tail.length, GiB4 + 5);
    await lh.close();
    expect(got.equals(tail)).toBe(true);

    // And back up, from an offset past 2^32, onto a remote file cut at that offset.
    await truncate(remote, GiB4 + 1);
    expect(await fs.upload(local, '/huge.bin', { offset: GiB4 + 1 })).toBe(size);
    const back = Buffer.alloc(tail.length);
    const rh = await open(remote, 'r');
    await rh.read(back, 0, tail.length, GiB4 + 5);
    await rh.close();
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(tail).digest('hex'));
  });
});

describe('SFTP short reads', () => {
  it('re-requests the rest of a short read and stays byte-exact', async () => {
    const dirs = await makeDirs();
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, sftp: { maxReadBytes: 10_000 } });
    try {
      const data = await randomFile(join(dirs.root, 'd.bin'), MiB + 77);
      const fs = adapterFor(server.port, dirs);
      await fs.connect();
      expect(await fs.download('/d.bin', join(dirs.local, 'd.bin'))).toBe(data.length);
      expect((await readFile(join(dirs.local, 'd.bin'))).equals(data)).toBe(true);
      await fs.close();
    } finally {
      await server.close();
      await dirs.cleanup();
    }
  });
});

describe('SFTP big downloads (direct writes past the page cache)', () => {
  it('stays byte-exact past the switch, through a short read answered out of order, with progress only for bytes in the file', async () => {
    const dirs = await makeDirs();
    // The short read falls after the switch to direct writes (8 MiB in): the pieces after it land
    // first, so the direct writer is finished and the rest goes the ordinary way.
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, sftp: { shortReadOnceAt: 10 * MiB + 4321 } });
    try {
      const data = await randomFile(join(dirs.root, 'big.bin'), 14 * MiB + 555);
      const fs = adapterFor(server.port, dirs);
      await fs.connect();
      const local = join(dirs.local, 'big.bin');
      const seen: number[] = [];
      const onDisk: number[] = [];
      const size = await fs.download('/big.bin', local, {
        onProgress: (p) => {
          seen.push(p.transferred);
          onDisk.push(statSync(local).size);
        },
      });
      expect(size).toBe(data.length);
      expect((await readFile(local)).equals(data)).toBe(true);
      expect(seen.at(-1)).toBe(data.length);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      // Never ahead of the file: a checkpoint taken at any report finds those bytes written.
      seen.forEach((t, i) => expect(onDisk[i]).toBeGreaterThanOrEqual(t));
      // A resume from an unaligned offset past the threshold is byte-exact too.
      await truncate(local, 3 * MiB + 3);
      expect(await fs.download('/big.bin', local, { offset: 3 * MiB + 3 })).toBe(data.length);
      expect((await readFile(local)).equals(data)).toBe(true);
      await fs.close();
    } finally {
      await server.close();
      await dirs.cleanup();
    }
  });
});
