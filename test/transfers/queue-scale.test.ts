import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemRecord } from '../../main/transfers/queue-records';
import { QueueState } from '../../main/transfers/queue-state';
import { FakeServer } from './fake-remote-fs';
import { download, startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('large trees', () => {
  it('starts transferring while the walk is still listing folders', async () => {
    const server = new FakeServer({ listDelayMs: 25 });
    for (let d = 0; d < 60; d++) for (let f = 0; f < 5; f++) server.addFile(`/t/d${d}/f${f}.txt`, `${d}/${f}`);
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory);
    let listsAtFirstDone: number | undefined;
    queue.onUpdate((u) => {
      if (listsAtFirstDone === undefined && u.totals.done > 0) listsAtFirstDone = server.lists;
    });
    await queue.add({ requests: [download('/t', join(dir, 'out'))] });
    await queue.whenIdle();
    expect(queue.snapshot().totals.done).toBe(300);
    expect(listsAtFirstDone).toBeDefined();
    // 61 listings in all: the first file landed long before the walk ended.
    expect(listsAtFirstDone!).toBeLessThan(45);
    expect(updates.length).toBeGreaterThan(0);
    await queue.close();
  });

  it('schedules 100k items in linear time', () => {
    const state = new QueueState();
    state.apply({ t: 'job', job: { id: 'j', createdAt: 0, request: download('/r', '/tmp/r') } });
    const t0 = performance.now();
    for (let b = 0; b < 500; b++) {
      const items: ItemRecord[] = [];
      for (let i = 0; i < 200; i++) {
        const n = b * 200 + i;
        items.push({ id: `i${n}`, jobId: 'j', direction: 'download', rel: `d${b}/f${i}`, localPath: `/tmp/r/${n}`, remotePath: `/r/${n}`, size: 1, mtime: null, mode: null, state: 'queued', attempts: 0, transferred: 0 });
      }
      state.apply({ t: 'items', items });
    }
    let started = 0;
    const running: ItemRecord[] = [];
    for (;;) {
      // Keep 64 running, as the engine does, finishing the oldest each turn.
      while (running.length < 64) {
        const next = state.next(() => true);
        if (!next) break;
        next.state = 'active';
        running.push(next);
        started++;
      }
      const done = running.shift();
      if (!done) break;
      state.apply({ t: 'state', id: done.id, state: 'done' });
    }
    expect(started).toBe(100_000);
    state.apply({ t: 'remove', ids: [...state.items.keys()] });
    expect(state.items.size).toBe(0);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
