import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../main/core/ferry-error';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, startQueue, tempDir, until } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('removing items and clearing tabs', () => {
  it('removes a running and a waiting item: the transfer stops, its partial file goes, the others go on', async () => {
    const server = new FakeServer({ chunk: 8 * 1024, chunkDelayMs: 3 });
    for (let i = 0; i < 4; i++) server.addFile(`/r/${i}.bin`, bytes(1024 * 1024, i));
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory, { parallel: 1, smallFileBytes: 0 });
    await queue.add({ requests: [download('/r', join(dir, 'out'))] });
    await until(() => queue.snapshot().items.some((i) => i.state === 'active' && i.transferred > 0));
    const items = queue.snapshot().items;
    const running = items.find((i) => i.state === 'active')!;
    const waiting = items.find((i) => i.state === 'queued')!;
    await queue.remove({ ids: [running.id, waiting.id] });
    // Gone once the call returns, and announced.
    expect(queue.snapshot().items.map((i) => i.id)).not.toContain(running.id);
    expect(queue.snapshot().items.map((i) => i.id)).not.toContain(waiting.id);
    expect(updates.at(-1)!.removed).toEqual(expect.arrayContaining([running.id, waiting.id]));
    await queue.whenIdle();
    const left = queue.snapshot().items;
    expect(left).toHaveLength(2);
    expect(left.every((i) => i.state === 'done')).toBe(true);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(left.map((i) => i.localPath.split('/').pop()!).sort());
    // Overall progress is the two files that stayed.
    expect(queue.snapshot().totals).toMatchObject({ bytes: 2 * 1024 * 1024, transferred: 2 * 1024 * 1024, done: 2 });
    await queue.close();
  });

  it('clear-done forgets done items only; clear-failed forgets failed and cancelled ones, and the jobs left empty', async () => {
    const server = new FakeServer({ chunk: 8 * 1024, chunkDelayMs: 1 });
    server.addFile('/c/ok.bin', bytes(1000, 1));
    server.addFile('/c/bad.bin', bytes(1000, 2));
    server.brokenPaths.set('/c/bad.bin', new FerryError('permission-denied', 'denied'));
    server.addFile('/later.bin', bytes(1000, 3));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.pause({});
    await queue.add({ requests: [download('/c', join(dir, 'out')), download('/later.bin', join(dir, 'later.bin'), { recursive: false })] });
    await until(() => queue.snapshot().items.length === 3);
    const later = queue.snapshot().items.find((i) => i.remotePath === '/later.bin')!;
    await queue.cancel({ ids: [later.id] });
    await queue.resume({});
    await queue.whenIdle();
    expect(Object.fromEntries(queue.snapshot().items.map((i) => [i.remotePath, i.state]))).toEqual({ '/c/ok.bin': 'done', '/c/bad.bin': 'failed', '/later.bin': 'cancelled' });

    await queue.clearDone();
    expect(queue.snapshot().items.map((i) => i.state).sort()).toEqual(['cancelled', 'failed']);
    await queue.clearFailed();
    expect(queue.snapshot().items).toEqual([]);
    // Jobs left empty went too: nothing is walked or restored after a restart.
    expect(queue.requests()).toEqual([]);
    await queue.close();
  });

  it('refuses nothing for unknown ids and keeps a removed item out after a restart', async () => {
    const server = new FakeServer();
    server.addFile('/k/a.txt', 'a');
    server.addFile('/k/b.txt', 'b');
    const state = join(dir, 'state');
    const first = await startQueue(state, server.factory);
    await first.queue.pause({});
    await first.queue.add({ requests: [download('/k', join(dir, 'out'))] });
    await until(() => first.queue.snapshot().items.length === 2);
    const a = first.queue.snapshot().items.find((i) => i.remotePath === '/k/a.txt')!;
    await first.queue.remove({ ids: [a.id, 'no-such-id'] });
    await first.queue.close();
    const second = await startQueue(state, server.factory);
    await second.queue.resume({});
    await second.queue.whenIdle();
    expect(second.queue.snapshot().items.map((i) => [i.remotePath, i.state])).toEqual([['/k/b.txt', 'done']]);
    expect(await readdir(join(dir, 'out'))).toEqual(['b.txt']);
    await second.queue.close();
  });
});
