import { beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/model/log-line';
import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { LogRing } from '../../renderer/stores/log-ring';
import { filterLog, LOG_CAPACITY, logToText, useLogStore } from '../../renderer/stores/log-store';
import { onItemsFinished, resetQueueStore, useQueueStore } from '../../renderer/stores/queue-store';

const line = (seq: number, level: LogLine['level'] = 'info', source = 'app', text = `line ${seq}`): LogLine => ({ seq, time: 0, level, source, text });

describe('log ring buffer', () => {
  it('keeps the newest `capacity` entries in order', () => {
    const ring = new LogRing<number>(3);
    ring.push([1, 2]);
    ring.push([3, 4, 5]);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.at(0)).toBe(3);
    expect(ring.size).toBe(3);
  });

  it('holds 250k lines in the 200k ring quickly and filters them', () => {
    useLogStore.getState().clear();
    const t0 = performance.now();
    for (let b = 0; b < 25; b++) {
      useLogStore.getState().append(Array.from({ length: 10_000 }, (_, i) => line(b * 10_000 + i + 1, i % 10 === 0 ? 'error' : 'info', i % 2 ? 'sftp a@h:22' : 'app')));
    }
    const { ring } = useLogStore.getState();
    expect(ring.size).toBe(LOG_CAPACITY);
    expect(ring.at(0)?.seq).toBe(50_001);
    const errors = filterLog(ring, { levels: new Set(['error']), source: '', text: '' });
    expect(errors.length).toBe(20_000);
    const found = filterLog(ring, { levels: new Set(['info', 'error']), source: 'sftp a@h:22', text: 'LINE 2499' });
    expect(found.length).toBe(50);
    expect(found.every((l) => l.source === 'sftp a@h:22' && l.text.startsWith('line 2499'))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('drops lines it already has (snapshot overlapping live events)', () => {
    useLogStore.getState().clear();
    useLogStore.getState().append([line(1), line(2)]);
    useLogStore.getState().append([line(2), line(3)]);
    expect(useLogStore.getState().ring.toArray().map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(logToText([line(3, 'command', 'ftp h:21', 'USER bob')])).toMatch(/COMMAND +\[ftp h:21\] USER bob$/);
  });
});

const item = (id: string, state: TransferItemView['state'], extra: Partial<TransferItemView> = {}): TransferItemView => ({
  id,
  jobId: 'j',
  direction: 'upload',
  localPath: `/l/${id}`,
  remotePath: `/r/${id}`,
  size: 100,
  transferred: 0,
  state,
  rate: 0,
  eta: null,
  attempts: 1,
  ...extra,
});
const update = (items: TransferItemView[], removed: string[] = []): QueueUpdate => ({
  items,
  removed,
  totals: { bytes: 0, transferred: 0, rate: 0, eta: null, queued: 0, active: 0, failed: 0, done: 0 },
  paused: false,
});

describe('queue store', () => {
  beforeEach(() => resetQueueStore());

  it('merges deltas, drops removed items and counts per tab', () => {
    useQueueStore.getState().apply(update([item('a', 'queued'), item('b', 'active'), item('c', 'failed')]));
    useQueueStore.getState().apply(update([item('b', 'done', { transferred: 100 }), item('d', 'cancelled')], ['a']));
    const s = useQueueStore.getState();
    expect(s.items.map((i) => `${i.id}:${i.state}`)).toEqual(['b:done', 'c:failed', 'd:cancelled']);
    expect(s.counts).toEqual({ queued: 0, failed: 2, done: 1 });
  });

  it('tells listeners once when an item reaches done', () => {
    const seen: string[] = [];
    const off = onItemsFinished((items) => seen.push(...items.map((i) => i.id)));
    useQueueStore.getState().apply(update([item('a', 'active')]));
    useQueueStore.getState().apply(update([item('a', 'done')]));
    useQueueStore.getState().apply(update([item('a', 'done')]));
    off();
    expect(seen).toEqual(['a']);
  });
});
