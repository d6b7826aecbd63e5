import type { ItemState } from '../../shared/model/transfer';
import type { ConnectionPool } from './connection-pool';
import { FINISHED_STATES, type ItemRecord, type QueueRecord } from './queue-records';
import type { QueueScheduler } from './queue-scheduler';
import type { QueueState } from './queue-state';
import { cleanupPart } from './queue-support';
import type { TransferJournal } from './transfer-journal';

/** What the controls share with the queue that owns them. */
export interface ControlDeps {
  readonly state: QueueState;
  readonly scheduler: QueueScheduler;
  readonly pool: ConnectionPool;
  readonly journal: TransferJournal;
  record(rec: QueueRecord, sync?: boolean): Promise<void>;
  /** After a control: schedule and tell listeners at once. */
  changed(): void;
}

/** What the Done tab holds, and what `queue:clear-done` forgets. */
const DONE_TAB: ReadonlySet<ItemState> = new Set<ItemState>(['done', 'skipped']);
/** What the Failed tab holds, and what `queue:clear-failed` forgets. */
const FAILED_TAB: ReadonlySet<ItemState> = new Set<ItemState>(['failed', 'cancelled']);

/**
 * The user's controls over the queue, one method per `queue:*` channel that changes it: pause,
 * resume, cancel, retry, reorder, remove and clear. Each applies its records and returns once
 * they are journaled; running transfers it stops settle afterwards (reported as `stopping`).
 */
export class QueueControls {
  constructor(private readonly d: ControlDeps) {}

  /** The whole queue, jobs or items. Running transfers stop and keep their partial file. */
  async pause(ids: readonly string[] | undefined): Promise<void> {
    const { state, scheduler } = this.d;
    if (!ids) {
      await this.d.record({ t: 'paused', paused: true });
      for (const r of scheduler.running.values()) scheduler.abortRun(r, 'requeue');
      return this.d.changed();
    }
    for (const id of ids) {
      const job = state.jobs.get(id);
      if (job) {
        // One record pauses the whole job, however many items it has; its running ones go back in line.
        await this.d.record({ t: 'job-paused', jobId: id, paused: true });
        for (const item of job.items) {
          const r = scheduler.running.get(item.id);
          if (r) scheduler.abortRun(r, 'requeue');
        }
        continue;
      }
      const item = state.items.get(id);
      if (!item) continue;
      if (item.state === 'queued') await this.d.record({ t: 'state', id: item.id, state: 'paused' });
      const r = scheduler.running.get(item.id);
      if (r) scheduler.abortRun(r, 'pause');
    }
    this.d.changed();
  }

  /** Undoes pause for the queue (without ids), or for the given jobs and items. */
  async resume(ids: readonly string[] | undefined): Promise<void> {
    const { state } = this.d;
    if (!ids) {
      // The queue-wide switch only: jobs and items paused one by one stay paused.
      if (state.paused) await this.d.record({ t: 'paused', paused: false });
    } else {
      for (const id of ids) if (state.jobs.get(id)?.paused) await this.d.record({ t: 'job-paused', jobId: id, paused: false });
      const writes: Promise<void>[] = [];
      for (const item of state.resolve(ids)) if (item.state === 'paused') writes.push(this.d.record({ t: 'state', id: item.id, state: 'queued' }));
      await Promise.all(writes);
    }
    this.d.changed();
  }

  /** Unfinished items end cancelled; their partial files are removed. */
  async cancel(ids: readonly string[] | undefined): Promise<void> {
    const { state, scheduler } = this.d;
    const writes: Promise<void>[] = [];
    for (const id of ids ?? [...state.jobs.keys()]) {
      const job = state.jobs.get(id);
      if (!job) continue;
      scheduler.expanding.get(id)?.abort();
      // A cancelled job is not walked again after a restart.
      if (!job.walked) writes.push(this.d.record({ t: 'walked', jobId: id }));
    }
    for (const item of state.resolve(ids)) {
      const r = scheduler.running.get(item.id);
      if (r) scheduler.abortRun(r, 'cancel');
      else if (!FINISHED_STATES.has(item.state)) {
        writes.push(this.d.record({ t: 'state', id: item.id, state: 'cancelled' }));
        if (item.direction === 'download') writes.push(cleanupPart(item, undefined));
      }
    }
    await Promise.all(writes);
    await this.d.journal.flush(true);
    this.d.changed();
  }

  /** Failed (and cancelled) items go back in the queue with a fresh retry budget. */
  async retry(ids: readonly string[] | undefined): Promise<void> {
    const { state, scheduler } = this.d;
    this.d.pool.forget();
    const writes: Promise<void>[] = [];
    for (const item of state.resolve(ids)) {
      if (item.state !== 'failed' && item.state !== 'cancelled') continue;
      if (item.rel === '\0root') {
        // The job never expanded: walk it again.
        const job = state.jobs.get(item.jobId);
        await this.d.record({ t: 'remove', ids: [item.id] });
        if (job) scheduler.expand(job.record);
        continue;
      }
      scheduler.forgetFailures(item.id);
      writes.push(this.d.record({ t: 'state', id: item.id, state: 'queued' }));
    }
    await Promise.all(writes);
    this.d.changed();
  }

  /** A job id moves among jobs; an item id moves within its job. */
  async reorder(id: string, toIndex: number): Promise<void> {
    await this.d.record({ t: 'move', id, toIndex });
    this.d.changed();
  }

  /**
   * Takes items (or whole jobs) out of the queue. Unfinished ones are cancelled first and their
   * running transfers awaited, so nothing writes for an item that is gone; partial downloads of
   * failed ones are removed too (nothing will resume them).
   */
  async remove(ids: readonly string[]): Promise<void> {
    const items = this.d.state.resolve(ids);
    await this.cancel(ids);
    await Promise.all(items.map((i) => this.d.scheduler.running.get(i.id)?.settled));
    await this.forget(items, ids);
  }

  /** Forgets what the Done tab holds (done and skipped items), and jobs left empty. */
  clearDone(): Promise<void> {
    return this.forget(this.itemsIn(DONE_TAB), []);
  }

  /** Forgets what the Failed tab holds (failed and cancelled items), their partial downloads, and jobs left empty. */
  clearFailed(): Promise<void> {
    return this.forget(this.itemsIn(FAILED_TAB), []);
  }

  private itemsIn(states: ReadonlySet<ItemState>): ItemRecord[] {
    const out: ItemRecord[] = [];
    for (const item of this.d.state.items.values()) if (states.has(item.state)) out.push(item);
    return out;
  }

  /** One remove record for the finished `items`, the named `jobs` and every walked job left empty. */
  private async forget(items: readonly ItemRecord[], jobs: readonly string[]): Promise<void> {
    const { state, scheduler } = this.d;
    const gone = new Set(items.map((i) => i.id));
    for (const item of items) scheduler.forgetItem(item.id);
    await Promise.all(items.filter((i) => i.state === 'failed' && i.direction === 'download').map((i) => cleanupPart(i, undefined)));
    const ids = [...gone];
    for (const job of state.jobs.values()) {
      const id = job.record.id;
      // A named job goes even mid-walk: remove() cancelled its walk, which adds nothing more.
      if (jobs.includes(id) || (job.walked && !scheduler.expanding.has(id) && job.items.every((i) => gone.has(i.id)))) ids.push(id);
    }
    await this.d.record({ t: 'remove', ids });
    this.d.changed();
  }
}
