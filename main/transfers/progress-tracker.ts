import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import type { ItemRecord } from './queue-records';

/** Smoothing of rates: weight of the newest sample. */
const ALPHA = 0.3;

/**
 * Turns byte counters into rates and ETAs and batches changes into QueueUpdate deltas, so the
 * renderer and the CLI get a few events a second however many chunks move.
 */
export class ProgressTracker {
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly rates = new Map<string, { rate: number; bytes: number }>();
  private overall = 0;
  private lastTick = 0;
  private lastTotal = 0;

  /** The item changed (state, bytes): it goes into the next update. */
  touch(id: string): void {
    this.dirty.add(id);
  }

  /** The item was cleared: its id goes into `removed` of the next update. */
  drop(id: string): void {
    this.dirty.delete(id);
    this.rates.delete(id);
    this.removed.add(id);
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
      const sample = Math.max(0, update.totals.transferred - this.lastTotal) / dt;
      this.overall = moving === 0 ? 0 : this.overall === 0 ? sample : this.overall * (1 - ALPHA) + sample * ALPHA;
    }
    this.lastTotal = update.totals.transferred;
    const left = update.totals.bytes - update.totals.transferred;
    this.dirty.clear();
    this.removed.clear();
    return { ...update, totals: { ...update.totals, rate: this.overall, eta: eta(left, this.overall) } };
  }

  /** Every item and the totals, without disturbing the batching (queue:snapshot). */
  snapshot(all: Iterable<ItemRecord>, paused: boolean): QueueUpdate {
    return this.build(all, paused, true);
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
      if (item.state !== 'skipped' && item.state !== 'cancelled') {
        bytes += item.size;
        transferred += item.state === 'done' ? item.size : item.transferred;
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
    };
  }
}

function eta(left: number, rate: number): number | null {
  if (left <= 0) return 0;
  return rate > 0 ? Math.ceil(left / rate) : null;
}
