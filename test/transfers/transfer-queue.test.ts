import { readFile, readdir, writeFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../main/core/ferry-error';
import { CONNECTION_CAPACITY } from '../../main/transfers/connection-pool';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, sameBytes, startQueue, tempDir, until, upload } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('TransferQueue with a fake server', () => {
  it('downloads a tree byte-exact, creating empty folders and no leftovers', async () => {
    const server = new FakeServer();
    for (let d = 0; d < 3; d++) for (let f = 0; f < 5; f++) server.addFile(`/data/d${d}/f${f}.bin`, bytes(1000 + d * 100 + f, d * 10 + f));
    server.addFile('/data/big.bin', bytes(3 * 1024 * 1024, 99));
    server.mkdirp('/data/empty');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/data', join(dir, 'out'))] });
    await queue.whenIdle();
    const snap = queue.snapshot();
    expect(snap.items.filter((i) => i.state === 'done')).toHaveLength(16);
    expect(snap.totals.done).toBe(16);
    for (let d = 0; d < 3; d++) for (let f = 0; f < 5; f++) expect(sameBytes(await readFile(join(dir, 'out', `d${d}`, `f${f}.bin`)), server.file(`/data/d${d}/f${f}.bin`))).toBe(true);
    expect(sameBytes(await readFile(join(dir, 'out', 'big.bin')), server.file('/data/big.bin'))).toBe(true);
    expect((await stat(join(dir, 'out', 'empty'))).isDirectory()).toBe(true);
    expect((await readdir(join(dir, 'out', 'd0'))).filter((n) => n.includes('ferry-part'))).toEqual([]);
    expect(server.connects).toBeLessThanOrEqual(4);
    await queue.close();
  });

  it('uploads a tree byte-exact through temporary names', async () => {
    const server = new FakeServer();
    await mkdir(join(dir, 'src', 'sub'), { recursive: true });
    await writeFile(join(dir, 'src', 'a.txt'), 'alpha');
    await writeFile(join(dir, 'src', 'sub', 'b.bin'), bytes(200_000, 3));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [upload(join(dir, 'src'), '/up/src')] });
    await queue.whenIdle();
    expect(server.file('/up/src/a.txt')?.toString()).toBe('alpha');
    expect(sameBytes(server.file('/up/src/sub/b.bin'), bytes(200_000, 3))).toBe(true);
    expect([...server.nodes.keys()].filter((p) => p.includes('ferry-part'))).toEqual([]);
    await queue.close();
  });

  it('survives a connection reset every 256 KiB: resumes, never restarts', async () => {
    const server = new FakeServer({ resetEveryBytes: 256 * 1024, chunk: 32 * 1024 });
    const data = bytes(2 * 1024 * 1024, 5);
    server.addFile('/big.bin', data);
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { retries: 3 });
    await queue.add({ requests: [download('/big.bin', join(dir, 'big.bin'), { recursive: false })] });
    await queue.whenIdle();
    const [item] = queue.snapshot().items;
    expect(item?.state).toBe('done');
    expect(sameBytes(await readFile(join(dir, 'big.bin')), data)).toBe(true);
    // 8 segments of 256 KiB: about 8 connections, far beyond 3 retries were it not for progress resets.
    expect(server.connects).toBeGreaterThanOrEqual(8);
    expect(server.connects).toBeLessThanOrEqual(12);
    await queue.close();
  });

  it('fails an item after the retries run out without progress, and the rest go on', async () => {
    const server = new FakeServer();
    server.addFile('/d/ok.txt', 'fine');
    server.addFile('/d/denied.txt', 'secret');
    server.addFile('/d/flaky.txt', 'x');
    server.brokenPaths.set('/d/denied.txt', new FerryError('permission-denied', 'permission denied'));
    server.brokenPaths.set('/d/flaky.txt', new FerryError('connection-lost', 'the connection was reset'));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { retries: 2 });
    await queue.add({ requests: [download('/d', join(dir, 'out'))] });
    await queue.whenIdle();
    const byName = Object.fromEntries(queue.snapshot().items.map((i) => [i.remotePath, i]));
    expect(byName['/d/ok.txt']?.state).toBe('done');
    expect(byName['/d/denied.txt']?.state).toBe('failed');
    expect(byName['/d/denied.txt']?.error?.code).toBe('permission-denied');
    expect(byName['/d/denied.txt']?.attempts).toBe(1);
    expect(byName['/d/flaky.txt']?.state).toBe('failed');
    expect(byName['/d/flaky.txt']?.error?.code).toBe('connection-lost');
    expect(byName['/d/flaky.txt']?.attempts).toBe(3);
    expect(await readdir(join(dir, 'out'))).toEqual(['ok.txt']);
    await queue.close();
  });

  it('reconnects with backoff when connects are refused, then finishes', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'hello');
    server.failConnects = { count: 3, error: new FerryError('connection-refused', 'refused') };
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { retries: 5 });
    await queue.add({ requests: [download('/f.txt', join(dir, 'f.txt'), { recursive: false })] });
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('done');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('hello');
    await queue.close();
  });

  it('reports a permanent connect failure once per item without hammering the server', async () => {
    const server = new FakeServer();
    for (let i = 0; i < 20; i++) server.addFile(`/d/${i}.txt`, 'x');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    server.failConnects = { count: 1000, error: new FerryError('auth-failed', 'authentication failed') };
    await queue.add({ requests: [download('/d', join(dir, 'out'))] });
    await queue.whenIdle();
    const items = queue.snapshot().items;
    expect(items).toHaveLength(1);
    expect(items[0]?.error?.code).toBe('auth-failed');
    expect(server.connects).toBe(1);
    await queue.close();
  });

  it('keeps several small files in flight per connection and caps connections at parallel', async () => {
    const server = new FakeServer({ chunkDelayMs: 2 });
    for (let i = 0; i < 100; i++) server.addFile(`/s/${i}.txt`, bytes(4096, i));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { parallel: 2 });
    await queue.add({ requests: [download('/s', join(dir, 'out'))] });
    await queue.whenIdle();
    expect(queue.snapshot().totals.done).toBe(100);
    expect(server.connects).toBeLessThanOrEqual(2);
    expect(server.maxConcurrentCalls).toBeGreaterThan(2);
    expect(server.maxConcurrentCalls).toBeLessThanOrEqual(2 * CONNECTION_CAPACITY);
    await queue.close();
  });

  it("keeps to a saved site's own lower transfer limit, and applies a new parallel setting at once", async () => {
    const server = new FakeServer({ chunk: 16 * 1024, chunkDelayMs: 2 });
    for (let i = 0; i < 8; i++) server.addFile(`/big/${i}.bin`, bytes(2 * 1024 * 1024, i));
    let live = 0;
    let most = 0;
    const connect = async (target: Parameters<typeof server.factory>[0]) => {
      const fs = await server.factory(target);
      most = Math.max(most, ++live);
      const close = fs.close.bind(fs);
      fs.close = async () => (live--, close());
      return fs;
    };
    const limits: Record<string, number> = { one: 1 };
    const { queue } = await startQueue(join(dir, 'state'), connect, { parallel: 4, siteLimit: (t) => (t.siteId ? limits[t.siteId] : undefined) });
    const siteTarget = { ...download('/x', '/x').target, siteId: 'one' };
    await queue.add({ requests: [download('/big', join(dir, 'one'), { target: siteTarget })] });
    await until(() => queue.snapshot().items.filter((i) => i.transferred > 0).length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(queue.snapshot().items.filter((i) => i.state === 'active')).toHaveLength(1);
    expect(server.connects).toBe(1);
    // A higher site limit, then a lower global setting: the smaller of the two wins at once.
    limits.one = 8;
    queue.setParallel(3);
    await until(() => queue.snapshot().items.filter((i) => i.state === 'active').length === 3);
    await queue.whenIdle();
    expect(queue.snapshot().totals.done).toBe(8);
    expect(server.connects).toBeLessThanOrEqual(3);
    expect(most).toBeLessThanOrEqual(3);
    await queue.close();
  });

  it('logs each finished file with its size, time and how it was checked', async () => {
    const server = new FakeServer();
    server.addFile('/one.bin', bytes(3 * 1024 * 1024, 5));
    await writeFile(join(dir, 'up.txt'), 'hello');
    const { queue, lines } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/one.bin', join(dir, 'one.bin'), { recursive: false }), upload(join(dir, 'up.txt'), '/up.txt', { recursive: false })] });
    await queue.whenIdle();
    const done = lines.filter((l) => l.level === 'info').map((l) => l.text);
    expect(done).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^downloaded /one\\.bin to ${join(dir, 'one.bin').replace(/[.]/g, '\\.')}: 3\\.0 MiB in \\d+\\.\\d s`)),
        expect.stringMatching(/^uploaded .*up\.txt to \/up\.txt: 5 B in \d+\.\d s/),
      ]),
    );
    await queue.close();
  });

  it('emits batched updates with totals, a few per second', async () => {
    const server = new FakeServer({ chunkDelayMs: 5, chunk: 16 * 1024 });
    server.addFile('/a.bin', bytes(1024 * 1024, 1));
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory, { updateIntervalMs: 50 });
    const t0 = Date.now();
    await queue.add({ requests: [download('/a.bin', join(dir, 'a.bin'), { recursive: false })] });
    await queue.whenIdle();
    const elapsed = Date.now() - t0;
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.length).toBeLessThanOrEqual(elapsed / 50 + 3);
    const last = updates.at(-1)!;
    expect(last.totals.done).toBe(1);
    expect(last.totals.transferred).toBe(1024 * 1024);
    expect(updates.some((u) => u.items.some((i) => i.state === 'active' && i.rate > 0))).toBe(true);
    await queue.close();
  });
});

describe('connection storms', () => {
  it('finishes 200 files byte-exact while every connection is dropped every 30 ms', async () => {
    const server = new FakeServer({ chunkDelayMs: 1, chunk: 4 * 1024 });
    for (let i = 0; i < 200; i++) server.addFile(`/storm/d${i % 7}/f${i}.bin`, bytes(8 * 1024 + i * 97, i));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { retries: 50 });
    const timer = setInterval(() => server.dropAll(), 30);
    try {
      await queue.add({ requests: [download('/storm', join(dir, 'out'))] });
      await queue.whenIdle();
    } finally {
      clearInterval(timer);
    }
    const items = queue.snapshot().items;
    expect(items.filter((i) => i.state !== 'done').map((i) => [i.remotePath, i.state, i.error?.message])).toEqual([]);
    for (let i = 0; i < 200; i++) expect(sameBytes(await readFile(join(dir, 'out', `d${i % 7}`, `f${i}.bin`)), server.file(`/storm/d${i % 7}/f${i}.bin`))).toBe(true);
    const leftovers = (await readdir(join(dir, 'out'), { recursive: true })).filter((p) => p.includes('ferry-part'));
    expect(leftovers).toEqual([]);
    expect(server.connects).toBeGreaterThan(5);
    await queue.close();
  });
});
