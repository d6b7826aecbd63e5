import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../main/core/ferry-error';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, sameBytes, startQueue, tempDir, until, upload } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('queue controls', () => {
  it('shows an item as connecting while its connection is being opened, not as moving bytes', async () => {
    const server = new FakeServer();
    await writeFile(join(dir, 'w.bin'), bytes(1000, 3));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { queue, updates } = await startQueue(join(dir, 'state'), async (target) => (await gate, server.factory(target)));
    await queue.add({ requests: [upload(join(dir, 'w.bin'), '/w.bin', { recursive: false })] });
    await until(() => queue.snapshot().items[0]?.waiting === 'connection');
    await until(() => updates.some((u) => u.items.some((i) => i.waiting === 'connection')));
    expect(queue.snapshot().items[0]).toMatchObject({ state: 'active', transferred: 0 });
    open();
    await queue.whenIdle();
    expect(queue.snapshot().items[0]).toMatchObject({ state: 'done' });
    expect(queue.snapshot().items[0]).not.toHaveProperty('waiting');
    await queue.close();
  });

  it('pauses the whole queue mid-file, keeps the partial file, and resumes from it', async () => {
    const server = new FakeServer({ chunk: 16 * 1024, chunkDelayMs: 2 });
    const data = bytes(512 * 1024, 2);
    server.addFile('/p.bin', data);
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/p.bin', join(dir, 'p.bin'), { recursive: false })] });
    await until(() => (queue.snapshot().items[0]?.transferred ?? 0) > 128 * 1024);
    await queue.pause({});
    await queue.whenIdle();
    const snap = queue.snapshot();
    expect(snap.paused).toBe(true);
    expect(snap.items[0]?.state).toBe('queued');
    expect(await readdir(dir)).toContain('.p.bin.ferry-part');
    const moved = server.bytesMoved;
    await queue.resume({});
    await until(() => queue.snapshot().items[0]?.state === 'done');
    expect(sameBytes(await readFile(join(dir, 'p.bin')), data)).toBe(true);
    expect(server.bytesMoved - moved).toBeLessThan(data.length - 100 * 1024);
    await queue.close();
  });

  it('cancels a job: unfinished items end cancelled and leave neither partial nor final files', async () => {
    const server = new FakeServer({ chunk: 8 * 1024, chunkDelayMs: 3 });
    for (let i = 0; i < 6; i++) server.addFile(`/c/${i}.bin`, bytes(2 * 1024 * 1024, i));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { parallel: 2 });
    const { jobIds } = await queue.add({ requests: [download('/c', join(dir, 'out'))] });
    await until(() => queue.snapshot().items.some((i) => i.transferred > 0));
    await queue.cancel({ ids: jobIds });
    await queue.whenIdle();
    const items = queue.snapshot().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.state === 'cancelled')).toBe(true);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    await queue.close();
  });

  it('a job cancelled mid-walk stays cancelled after a restart: nothing more is found or fetched', async () => {
    const server = new FakeServer({ listDelayMs: 30 });
    for (let d = 0; d < 30; d++) server.addFile(`/w/d${d}/f.txt`, `file ${d}`);
    const state = join(dir, 'state');
    const first = await startQueue(state, server.factory, { parallel: 1 });
    const { jobIds } = await first.queue.add({ requests: [download('/w', join(dir, 'out'))] });
    await until(() => server.lists >= 3);
    await first.queue.cancel({ ids: jobIds });
    await first.queue.whenIdle();
    const seen = first.queue.snapshot().items.length;
    expect(seen).toBeLessThan(30);
    await first.queue.close();
    const listsBefore = server.lists;
    const second = await startQueue(state, server.factory, { parallel: 1 });
    await second.queue.whenIdle();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.lists).toBe(listsBefore);
    expect(second.queue.snapshot().items.filter((i) => i.state !== 'done' && i.state !== 'cancelled')).toEqual([]);
    await second.queue.close();
  });

  it('pauses one item while the others go on; resuming it finishes it', async () => {
    const server = new FakeServer({ chunkDelayMs: 1, chunk: 16 * 1024 });
    server.addFile('/d/a.bin', bytes(256 * 1024, 1));
    server.addFile('/d/b.bin', bytes(256 * 1024, 2));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { parallel: 1, smallFileBytes: 0 });
    await queue.pause({});
    await queue.add({ requests: [download('/d', join(dir, 'out'))] });
    await until(() => queue.snapshot().items.length === 2);
    const b = queue.snapshot().items.find((i) => i.remotePath === '/d/b.bin')!;
    await queue.pause({ ids: [b.id] });
    await queue.resume({});
    await queue.whenIdle();
    const states = Object.fromEntries(queue.snapshot().items.map((i) => [i.remotePath, i.state]));
    expect(states).toEqual({ '/d/a.bin': 'done', '/d/b.bin': 'paused' });
    await queue.resume({ ids: [b.id] });
    await until(() => queue.snapshot().items.every((i) => i.state === 'done'));
    await queue.close();
  });

  it('pauses a job by id (one journal line), keeps it paused across a restart, and resumes it', async () => {
    const server = new FakeServer({ chunkDelayMs: 2, chunk: 8 * 1024 });
    for (let i = 0; i < 8; i++) server.addFile(`/j/${i}.bin`, bytes(128 * 1024, i));
    const state = join(dir, 'state');
    const first = await startQueue(state, server.factory, { parallel: 1, smallFileBytes: 0 });
    const { jobIds } = await first.queue.add({ requests: [download('/j', join(dir, 'out'))] });
    await until(() => first.queue.snapshot().items.some((i) => i.transferred > 0));
    await first.queue.pause({ ids: jobIds });
    await first.queue.whenIdle();
    const doneAtPause = first.queue.snapshot().totals.done;
    expect(doneAtPause).toBeLessThan(8);
    expect(first.queue.snapshot().items.every((i) => i.state === 'done' || i.state === 'queued')).toBe(true);
    await first.queue.close();
    const journal = await readFile(join(state, 'transfers', 'queue.jsonl'), 'utf8');
    expect(journal.split('\n').filter((l) => l.includes('"job-paused"'))).toHaveLength(1);

    const second = await startQueue(state, server.factory, { parallel: 1, smallFileBytes: 0 });
    await second.queue.whenIdle();
    expect(second.queue.snapshot().totals.done).toBe(doneAtPause);
    await second.queue.resume({ ids: jobIds });
    await until(() => second.queue.snapshot().totals.done === 8);
    for (let i = 0; i < 8; i++) expect(sameBytes(await readFile(join(dir, 'out', `${i}.bin`)), bytes(128 * 1024, i))).toBe(true);
    await second.queue.close();
  });

  it('runs the same destination queued twice one after the other, never interleaved', async () => {
    const server = new FakeServer({ chunkDelayMs: 1, chunk: 16 * 1024 });
    server.addFile('/same.bin', bytes(256 * 1024, 5));
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { parallel: 4 });
    const twice = download('/same.bin', join(dir, 'same.bin'), { recursive: false, onExists: 'overwrite' });
    await queue.add({ requests: [twice, twice] });
    let both = false;
    queue.onUpdate(() => {
      if (queue.snapshot().items.filter((i) => i.state === 'active').length > 1) both = true;
    });
    await until(() => queue.snapshot().totals.done === 2);
    expect(both).toBe(false);
    expect(sameBytes(await readFile(join(dir, 'same.bin')), bytes(256 * 1024, 5))).toBe(true);
    await queue.close();
  });

  it('retries failed items on request', async () => {
    const server = new FakeServer();
    server.addFile('/r.txt', 'now readable');
    server.brokenPaths.set('/r.txt', new FerryError('permission-denied', 'permission denied'));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/r.txt', join(dir, 'r.txt'), { recursive: false })] });
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('failed');
    server.brokenPaths.clear();
    await queue.retry({});
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('done');
    expect(await readFile(join(dir, 'r.txt'), 'utf8')).toBe('now readable');
    await queue.close();
  });

  it('runs jobs in the order given by reorder', async () => {
    const server = new FakeServer();
    for (const n of ['one', 'two', 'three']) server.addFile(`/${n}.bin`, bytes(64 * 1024, n.length));
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory, { parallel: 1, smallFileBytes: 0 });
    await queue.pause({});
    const { jobIds } = await queue.add({ requests: ['one', 'two', 'three'].map((n) => download(`/${n}.bin`, join(dir, `${n}.bin`), { recursive: false })) });
    await until(() => queue.snapshot().items.length === 3);
    await queue.reorder({ id: jobIds[2]!, toIndex: 0 });
    expect(queue.snapshot().items.map((i) => i.remotePath)).toEqual(['/three.bin', '/one.bin', '/two.bin']);
    const order: string[] = [];
    queue.onUpdate((u) => {
      for (const i of u.items) if (i.state === 'done' && !order.includes(i.remotePath)) order.push(i.remotePath);
    });
    await queue.resume({});
    await queue.whenIdle();
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['/three.bin', '/one.bin', '/two.bin']);
    expect(updates.length).toBeGreaterThan(0);
    await queue.close();
  });

  it('clear-done forgets finished items and announces their ids', async () => {
    const server = new FakeServer();
    server.addFile('/x.txt', 'x');
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/x.txt', join(dir, 'x.txt'), { recursive: false })] });
    await queue.whenIdle();
    const id = queue.snapshot().items[0]!.id;
    await queue.clearDone();
    expect(queue.snapshot().items).toEqual([]);
    await until(() => updates.some((u) => u.removed.includes(id)));
    await queue.close();
  });
});

describe('hostile listings', () => {
  it('skips names that would escape the target, refuses symlinks, and lands honest files', async () => {
    const server = new FakeServer();
    server.addFile('/h/honest.txt', 'honest');
    server.addFile('/h/sub/deep.txt', 'deep');
    server.addSymlink('/h/link', '/etc');
    const evil = { type: 'file' as const, size: 4, mtime: null, mode: 0o644 };
    server.injected.set('/h', ['../x', 'a/../../x', '/abs/x', '..\\x', '..', 'C:x'].map((name) => ({ ...evil, name })));
    server.injected.set('/h/sub', [{ ...evil, name: '../../escape' }]);
    const out = join(dir, 'nest', 'out');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/h', out)] });
    await queue.whenIdle();
    const items = queue.snapshot().items;
    expect(items.filter((i) => i.state === 'done').map((i) => i.remotePath).sort()).toEqual(['/h/honest.txt', '/h/sub/deep.txt']);
    const skipped = items.filter((i) => i.state === 'skipped');
    expect(skipped.filter((i) => i.error?.code === 'unsafe-path')).toHaveLength(7);
    expect(skipped.filter((i) => i.error?.code === 'not-supported')).toHaveLength(1);
    expect(await readdir(join(dir, 'nest'))).toEqual(['out']);
    expect((await readdir(out)).sort()).toEqual(['honest.txt', 'sub']);
    expect(await readdir(join(out, 'sub'))).toEqual(['deep.txt']);
    await queue.close();
  });

  it('never writes through a symlink planted under the partial file name', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'the real content');
    await writeFile(join(dir, 'victim.txt'), 'keep me');
    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'victim.txt'), join(dir, 'out', '.f.txt.ferry-part'));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/f.txt', join(dir, 'out', 'f.txt'), { recursive: false })] });
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('done');
    expect(await readFile(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
    expect(await readFile(join(dir, 'out', 'f.txt'), 'utf8')).toBe('the real content');
    await queue.close();
  });

  it('refuses requests whose local path climbs or ends in a name no remote entry may have', async () => {
    const server = new FakeServer();
    server.addFile('/ok.txt', 'ok');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    const bad = [
      download('/x', join(dir, 'out') + '/../escape', { recursive: false }),
      download('/x', `${dir}/bell\x07`, { recursive: false }),
      download('/x', 'relative/path', { recursive: false }),
      { ...download('/x', join(dir, 'x')), remotePath: 'no-slash' },
    ];
    for (const request of bad) {
      await expect(queue.add({ requests: [download('/ok.txt', join(dir, 'fine.txt'), { recursive: false }), request] })).rejects.toMatchObject({ code: expect.stringMatching(/unsafe-path|invalid-request/) });
    }
    // All or nothing: the good request in each refused batch was not queued either.
    expect(queue.snapshot().items).toEqual([]);
    await queue.close();
  });
});
