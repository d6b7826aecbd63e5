import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, startQueue, tempDir, until } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Every view of item `id` the listeners were sent, in order. */
function viewsOf(updates: readonly QueueUpdate[], id: string): TransferItemView[] {
  return updates.flatMap((u) => u.items.filter((i) => i.id === id));
}

/** A folder of four slow files moving one at a time, the first of them under way. */
async function slowDownload() {
  const server = new FakeServer({ chunk: 8 * 1024, chunkDelayMs: 3 });
  for (let i = 0; i < 4; i++) server.addFile(`/s/${i}.bin`, bytes(2 * 1024 * 1024, i));
  const started = await startQueue(join(dir, 'state'), server.factory, { parallel: 1, smallFileBytes: 0, updateIntervalMs: 1000 });
  await started.queue.add({ requests: [download('/s', join(dir, 'out'))] });
  await until(() => started.queue.snapshot().items.some((i) => i.state === 'active' && i.transferred > 0));
  const active = started.queue.snapshot().items.find((i) => i.state === 'active')!;
  return { ...started, active };
}

describe('pause and cancel report that they are under way', () => {
  it('a paused running item is reported as pausing at once, then paused without the mark', async () => {
    const { queue, updates, active } = await slowDownload();
    const sent = updates.length;
    await queue.pause({ ids: [active.id] });
    // Sent by the control itself, not a tick later (ticks are 1 s apart here).
    expect(updates.length).toBeGreaterThan(sent);
    expect(viewsOf(updates.slice(sent), active.id)[0]).toMatchObject({ state: 'active', stopping: 'pausing' });
    await until(() => queue.snapshot().items.find((i) => i.id === active.id)?.state === 'paused');
    expect(queue.snapshot().items.find((i) => i.id === active.id)).not.toHaveProperty('stopping');
    await until(() => viewsOf(updates, active.id).at(-1)?.state === 'paused');
    expect(viewsOf(updates, active.id).at(-1)).not.toHaveProperty('stopping');
    await queue.close();
  });

  it('a cancelled running item is reported as cancelling until it is cancelled; pausing the whole queue marks running items pausing', async () => {
    const { queue, updates, active } = await slowDownload();
    const sent = updates.length;
    await queue.cancel({ ids: [active.id] });
    expect(viewsOf(updates.slice(sent), active.id)[0]).toMatchObject({ state: 'active', stopping: 'cancelling' });
    await until(() => viewsOf(updates, active.id).at(-1)?.state === 'cancelled');
    expect(viewsOf(updates, active.id).at(-1)).not.toHaveProperty('stopping');

    await until(() => queue.snapshot().items.some((i) => i.state === 'active' && i.id !== active.id && i.transferred > 0));
    const other = queue.snapshot().items.find((i) => i.state === 'active' && i.id !== active.id)!;
    const before = updates.length;
    await queue.pause({});
    const immediate = updates.slice(before);
    expect(immediate.at(-1)?.paused).toBe(true);
    expect(viewsOf(immediate, other.id)[0]).toMatchObject({ state: 'active', stopping: 'pausing' });
    await queue.whenIdle();
    expect(queue.snapshot().items.find((i) => i.id === other.id)).toMatchObject({ state: 'queued' });
    expect(queue.snapshot().items.some((i) => i.stopping !== undefined)).toBe(false);
    await queue.close();
  });
});
