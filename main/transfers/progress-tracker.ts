import type { ItemState, QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { ActivityBatch, PENDING_STATES } from './activity-batch';
import type { ItemRecord } from './queue-records';

/** Smoothing of rates: weight of the newest sample. */
const ALPHA = 0.3;

/**
 * Turns byte counters into rates and ETAs and batches changes into QueueUpdate deltas, so the
 * renderer and the CLI get a few events a second however many chunks move. The totals' bytes,
 * transferred and ETA measure the current batch of activity (see ActivityBatch); the counts of
 * queued, active, failed and done items are the whole queue's.
 */
export class ProgressTracker {
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly rates = new Map<string, { rate: number; bytes: number }>();
  private readonly batch = new ActivityBatch();
  /**
   * Bytes of each pending item already counted in `moved`. The overall rate is bytes moved per
   * second, so items joining or leaving the batch (a failure, a cleared item) do not disturb it.
   */
  private readonly counted = new Map<string, number>();
  private moved = 0;
  private movedAtTick = 0;
  private overall = 0;
  private lastTick = 0;

  /** `walking`: whether a job is being walked (its items are still to come). */
  constructor(private readonly walking: () => boolean = () => false) {}

  /** The item changed (state, bytes): it goes into the next update. */
  touch(id: string): void {
    this.dirty.add(id);
  }

  /** The item was cleared: its id goes into `removed` of the next update. */
  drop(id: string): void {
    this.dirty.delete(id);
    this.rates.delete(id);
    this.counted.delete(id);
    this.removed.add(id);
  }

  /**
   * An item's state went from `before` to `after` (undefined: not in the queue); `transferred`
   * is its byte count now. Every state change of the queue's reducer comes through here.
   */
  changed(id: string, transferred: number, before: ItemState | undefined, after: ItemState | undefined): void {
    if (this.batch.change(id, before, after, this.walking())) this.counted.set(id, transferred);
  }

  /** Drains the batch if nothing is pending any more (called after each scheduling pass). */
  settle(): void {
    this.batch.settle(this.walking());
  }

  get pending(): boolean {
    return this.dirty.size > 0 || this.removed.size > 0;
  }

  /**
   * Samples counters at `now` and returns the delta since the last call (or null when nothing
   * changed). `all` is every item in order; `active` the ones moving bytes.
   */
  tick(all: () => Iterable<ItemRecord>, active: Iterable<ItemRecord>, paused: boolean, now: number): QueueUpdate | null {
    const dt = this.lastTick === 0 ? 0 : (now - this.lastTick) / 1000;
    this.lastTick = now;
    let moving = 0;
    for (const item of active) {
      moving++;
      const r = this.rates.get(item.id) ?? { rate: 0, bytes: item.transferred };
      if (dt > 0) {
        const sample = Math.max(0, item.transferred - r.bytes) / dt;
        r.rate = r.rate === 0 ? sample : r.rate * (1 - ALPHA) + sample * ALPHA;
      }
      r.bytes = item.transferred;
      this.rates.set(item.id, r);
      this.dirty.add(item.id);
    }
    if (!this.pending) return null;
    const update = this.build(all(), paused, false);
    if (dt > 0) {
      const sample = (this.moved - this.movedAtTick) / dt;
      this.overall = moving === 0 ? 0 : this.overall === 0 ? sample : this.overall * (1 - ALPHA) + sample * ALPHA;
    }
    this.movedAtTick = this.moved;
    return this.finish(update);
  }

  /**
   * The delta of what changed since the last update, now and without sampling rates: sent right
   * after a control (pause, cancel, remove) so the window shows its effect without waiting for
   * the next tick. Null when nothing changed.
   */
  flush(all: Iterable<ItemRecord>, paused: boolean): QueueUpdate | null {
    if (!this.pending) return null;
    return this.finish(this.build(all, paused, false));
  }

  /** Every item and the totals, without disturbing the batching (queue:snapshot). */
  snapshot(all: Iterable<ItemRecord>, paused: boolean): QueueUpdate {
    return this.build(all, paused, true);
  }

  private finish(update: QueueUpdate): QueueUpdate {
    this.dirty.clear();
    this.removed.clear();
    const left = update.totals.bytes - update.totals.transferred;
    return { ...update, totals: { ...update.totals, rate: this.overall, eta: eta(left, this.overall) } };
  }

  private build(all: Iterable<ItemRecord>, paused: boolean, full: boolean): QueueUpdate {
    let bytes = 0;
    let transferred = 0;
    let queued = 0;
    let active = 0;
    let failed = 0;
    let done = 0;
    const changed: TransferItemView[] = [];
    for (const item of all) {
      const present = item.state === 'done' ? item.size : item.transferred;
      if (!full && this.dirty.has(item.id)) this.count(item, present);
      if (this.batch.counts(item.id, item.state)) {
        bytes += item.size;
        transferred += present;
      }
      if (item.state === 'queued' || item.state === 'paused') queued++;
      else if (item.state === 'active') active++;
      else if (item.state === 'failed') failed++;
      else if (item.state === 'done') done++;
      if (full || this.dirty.has(item.id)) changed.push(this.view(item));
      if (!full && item.state !== 'active') this.rates.delete(item.id);
    }
    return {
      items: changed,
      removed: full ? [] : [...this.removed],
      totals: { bytes, transferred, rate: this.overall, eta: eta(bytes - transferred, this.overall), queued, active, failed, done },
      paused,
    };
  }

  /** Adds what a changed item moved since it was last counted to `moved`. */
  private count(item: ItemRecord, present: number): void {
    const before = this.counted.get(item.id);
    if (before === undefined) return;
    if (present > before) this.moved += present - before;
    if (PENDING_STATES.has(item.state)) this.counted.set(item.id, present);
    else this.counted.delete(item.id);
  }

  /** Plain data for one item. */
  view(item: ItemRecord): TransferItemView {
    const rate = item.state === 'active' ? (this.rates.get(item.id)?.rate ?? 0) : 0;
    const base: TransferItemView = {
      id: item.id,
      jobId: item.jobId,
      direction: item.direction,
      localPath: item.localPath,
      remotePath: item.remotePath,
      size: item.size,
      transferred: item.state === 'done' ? item.size : item.transferred,
      state: item.state,
      rate,
      eta: item.state === 'active' ? eta(item.size - item.transferred, rate) : null,
      attempts: item.attempts,
    };
    return {
      ...base,
      ...(item.error ? { error: item.error } : {}),
      ...(item.verification ? { verification: item.verification } : {}),
      ...(item.waiting && item.state === 'active' ? { waiting: item.waiting } : {}),
      ...(item.stopping && item.state === 'active' ? { stopping: item.stopping } : {}),
    };
  }
}

function eta(left: number, rate: number): number | null {
  if (left <= 0) return 0;
  return rate > 0 ? Math.ceil(left / rate) : null;
}
