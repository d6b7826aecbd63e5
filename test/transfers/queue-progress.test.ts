import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../main/core/ferry-error';
import { ProgressTracker } from '../../main/transfers/progress-tracker';
import type { ItemRecord } from '../../main/transfers/queue-records';
import type { ItemState } from '../../shared/model/transfer';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, startQueue, tempDir, until } from './helpers';

/** A queue of plain records driven by hand: every state change goes through `tracker.changed` as the engine's reducer does. */
class Harness {
  readonly items: ItemRecord[] = [];
  walking = false;
  readonly tracker = new ProgressTracker(() => this.walking);

  add(id: string, size: number): ItemRecord {
    const item: ItemRecord = { id, jobId: 'j', direction: 'download', rel: id, localPath: `/l/${id}`, remotePath: `/r/${id}`, size, mtime: null, mode: null, state: 'queued', attempts: 0, transferred: 0 };
    this.items.push(item);
    this.tracker.changed(id, 0, undefined, 'queued');
    this.tracker.touch(id);
    return item;
  }

  set(item: ItemRecord, state: ItemState, transferred = item.transferred): void {
    const before = item.state;
    item.state = state;
    item.transferred = state === 'done' ? item.size : transferred;
    this.tracker.changed(item.id, item.transferred, before, state);
    this.tracker.touch(item.id);
    this.tracker.settle();
  }

  remove(item: ItemRecord): void {
    this.items.splice(this.items.indexOf(item), 1);
    this.tracker.changed(item.id, item.transferred, item.state, undefined);
    this.tracker.drop(item.id);
    this.tracker.settle();
  }

  totals(): { bytes: number; transferred: number } {
    const { bytes, transferred } = this.tracker.snapshot(this.items, false).totals;
    return { bytes, transferred };
  }
}

describe('overall progress: the current batch of activity', () => {
  it('a batch opened after the queue drained leaves the earlier finished items out', () => {
    const h = new Harness();
    const a = h.add('a', 100);
    h.set(a, 'active', 60);
    h.set(a, 'done');
    // Drained: the finished batch still reads 100 % (the last update of a run).
    expect(h.totals()).toEqual({ bytes: 100, transferred: 100 });
    h.add('b', 50);
    expect(h.totals()).toEqual({ bytes: 50, transferred: 0 });
  });

  it('items added while others run join the batch, done ones stay in it until it drains', () => {
    const h = new Harness();
    const a = h.add('a', 100);
    h.set(a, 'active', 10);
    h.set(a, 'done');
    const b = h.add('b', 100);
    h.set(b, 'active', 20);
    // b was added after a finished and the queue drained: only b.
    expect(h.totals()).toEqual({ bytes: 100, transferred: 20 });
    h.add('c', 300);
    h.set(b, 'done');
    expect(h.totals()).toEqual({ bytes: 400, transferred: 100 });
  });

  it('a failed item is no progress and no work left; retried it counts again; a cleared done one leaves', () => {
    const h = new Harness();
    const a = h.add('a', 100);
    const b = h.add('b', 100);
    const c = h.add('c', 200);
    h.set(a, 'done');
    h.set(b, 'active', 40);
    expect(h.totals()).toEqual({ bytes: 400, transferred: 140 });
    h.set(b, 'failed');
    expect(h.totals()).toEqual({ bytes: 300, transferred: 100 });
    h.set(b, 'queued', 40);
    expect(h.totals()).toEqual({ bytes: 400, transferred: 140 });
    h.remove(a);
    expect(h.totals()).toEqual({ bytes: 300, transferred: 40 });
    h.set(c, 'cancelled');
    expect(h.totals()).toEqual({ bytes: 100, transferred: 40 });
  });

  it('paused items and a job still being walked keep the batch open', () => {
    const h = new Harness();
    const a = h.add('a', 100);
    const p = h.add('p', 100);
    h.set(p, 'paused');
    h.set(a, 'done');
    h.add('b', 100);
    expect(h.totals()).toEqual({ bytes: 300, transferred: 100 });

    const w = new Harness();
    w.walking = true;
    const x = w.add('x', 100);
    w.set(x, 'done');
    w.add('y', 100);
    expect(w.totals()).toEqual({ bytes: 200, transferred: 100 });
    w.walking = false;
    w.tracker.settle();
    w.set(w.items[1]!, 'done');
    w.add('z', 10);
    expect(w.totals()).toEqual({ bytes: 10, transferred: 0 });
  });

  it('a retry after the queue drained opens a new batch of just the retried item', () => {
    const h = new Harness();
    const a = h.add('a', 100);
    const b = h.add('b', 100);
    h.set(a, 'done');
    h.set(b, 'failed', 30);
    h.set(b, 'queued', 30);
    expect(h.totals()).toEqual({ bytes: 100, transferred: 30 });
  });

  it('the overall rate counts bytes moved even while finished items are cleared from the batch', () => {
    const h = new Harness();
    const done = h.add('done', 1000);
    const a = h.add('a', 1000);
    h.set(done, 'done');
    h.set(a, 'active', 0);
    const all = (): ItemRecord[] => h.items;
    h.tracker.tick(all, [a], false, 1000);
    a.transferred = 100;
    h.tracker.tick(all, [a], false, 2000);
    a.transferred = 200;
    h.remove(done);
    const u = h.tracker.tick(all, [a], false, 3000)!;
    expect(u.totals.bytes).toBe(1000);
    expect(u.totals.transferred).toBe(200);
    expect(u.removed).toEqual(['done']);
    expect(u.totals.rate).toBeCloseTo(100, 5);
    expect(u.totals.eta).toBe(8);
  });
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('overall progress in the engine', () => {
  it('measures the work of the current run: earlier finished files, failures and cleared items out, retries in', async () => {
    const server = new FakeServer();
    server.addFile('/first.bin', bytes(4000, 1));
    server.addFile('/b/good.bin', bytes(3000, 2));
    server.addFile('/b/bad.bin', bytes(5000, 3));
    server.brokenPaths.set('/b/bad.bin', new FerryError('permission-denied', 'denied'));
    const { queue, updates } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [download('/first.bin', join(dir, 'first.bin'), { recursive: false })] });
    await queue.whenIdle();
    expect(queue.snapshot().totals).toMatchObject({ bytes: 4000, transferred: 4000, done: 1 });

    await queue.add({ requests: [download('/b', join(dir, 'b'))] });
    await queue.whenIdle();
    // first.bin finished before this run; bad.bin failed: neither is work of this run.
    expect(queue.snapshot().totals).toMatchObject({ bytes: 3000, transferred: 3000, done: 2, failed: 1 });
    await until(() => updates.at(-1)?.totals.failed === 1);
    expect(updates.at(-1)!.totals).toMatchObject({ bytes: 3000, transferred: 3000 });

    server.brokenPaths.clear();
    const bad = queue.snapshot().items.find((i) => i.remotePath === '/b/bad.bin')!;
    await queue.retry({ ids: [bad.id] });
    await queue.whenIdle();
    expect(queue.snapshot().totals).toMatchObject({ bytes: 5000, transferred: 5000, done: 3, failed: 0 });

    await queue.clearDone();
    expect(queue.snapshot().totals).toMatchObject({ bytes: 0, transferred: 0, done: 0 });
    await queue.close();
  });
});
