import type { ExistsAction } from '../../shared/ipc/prompts';
import type { ItemState } from '../../shared/model/transfer';
import { FINISHED_STATES, type ItemRecord, type JobRecord, type QueueRecord } from './queue-records';

/** A job with its items in queue order. */
export interface JobState {
  readonly record: JobRecord;
  readonly items: ItemRecord[];
  /** rel -> item, so a re-walk after a restart does not add a file twice. */
  readonly byRel: Map<string, ItemRecord>;
  /** All items before this index are finished: the scheduler starts scanning here. */
  head: number;
  walked: boolean;
  paused: boolean;
  /** "Apply to all" answer of a file-exists question, or the request's policy. */
  policy: ExistsAction | undefined;
}

/**
 * The queue as pure data: jobs in order, their items in order, and the one reducer every change
 * goes through (live and on journal replay). No I/O, no timers: the engine owns those.
 */
export class QueueState {
  readonly jobs = new Map<string, JobState>();
  readonly jobOrder: string[] = [];
  readonly items = new Map<string, ItemRecord>();
  /** "Apply to all" answers by batch (the jobs of one `queue:add`). */
  readonly batchPolicies = new Map<string, ExistsAction>();
  paused = false;

  apply(rec: QueueRecord): void {
    switch (rec.t) {
      case 'job': {
        if (this.jobs.has(rec.job.id)) return;
        const onExists = rec.job.request.onExists;
        this.jobs.set(rec.job.id, { record: rec.job, items: [], byRel: new Map(), head: 0, walked: false, paused: false, policy: onExists && onExists !== 'ask' ? onExists : undefined });
        this.jobOrder.push(rec.job.id);
        return;
      }
      case 'items':
        for (const it of rec.items) {
          const job = this.jobs.get(it.jobId);
          if (!job || job.byRel.has(it.rel) || this.items.has(it.id)) continue;
          const item = { ...it };
          job.items.push(item);
          job.byRel.set(item.rel, item);
          this.items.set(item.id, item);
        }
        return;
      case 'walked': {
        const job = this.jobs.get(rec.jobId);
        if (job) job.walked = true;
        return;
      }
      case 'state': {
        const item = this.items.get(rec.id);
        if (!item) return;
        item.state = rec.state;
        if (rec.error) item.error = rec.error;
        else if (rec.state !== 'failed' && rec.state !== 'skipped') delete item.error;
        if (rec.verification !== undefined) item.verification = rec.verification;
        if (rec.attempts !== undefined) item.attempts = rec.attempts;
        if (rec.size !== undefined) item.size = rec.size;
        if (rec.state === 'done') item.transferred = item.size;
        if (!FINISHED_STATES.has(rec.state)) this.rewind(item.jobId);
        return;
      }
      case 'ck': {
        const item = this.items.get(rec.id);
        if (!item) return;
        item.checkpoint = rec.offset;
        if (rec.inPlace !== undefined) item.inPlace = rec.inPlace;
        return;
      }
      case 'decide': {
        const item = this.items.get(rec.id);
        if (!item) return;
        item.decided = rec.action;
        if (rec.localPath) item.localPath = rec.localPath;
        if (rec.remotePath) item.remotePath = rec.remotePath;
        return;
      }
      case 'policy': {
        const job = this.jobs.get(rec.jobId);
        if (job) job.policy = rec.action;
        return;
      }
      case 'batch-policy':
        this.batchPolicies.set(rec.batchId, rec.action);
        return;
      case 'move':
        this.move(rec.id, rec.toIndex);
        return;
      case 'remove':
        this.remove(new Set(rec.ids));
        return;
      case 'paused':
        this.paused = rec.paused;
        return;
      case 'job-paused': {
        const job = this.jobs.get(rec.jobId);
        if (job) job.paused = rec.paused;
        return;
      }
    }
  }

  /**
   * The items whose state `rec` may change (added, set or removed), with their state before it:
   * undefined for an item not in the queue yet.
   */
  statesBefore(rec: QueueRecord): Map<string, ItemState | undefined> {
    switch (rec.t) {
      case 'items':
        return new Map(rec.items.map((it) => [it.id, this.items.get(it.id)?.state]));
      case 'state':
        return new Map([[rec.id, this.items.get(rec.id)?.state]]);
      case 'remove':
        return new Map(this.resolve(rec.ids).map((it) => [it.id, it.state]));
      default:
        return new Map();
    }
  }

  /** What to do about an existing file of `job` without asking: its own policy, else its batch's. */
  policyOf(job: JobState): ExistsAction | undefined {
    const batch = job.record.batchId;
    return job.policy ?? (batch === undefined ? undefined : this.batchPolicies.get(batch));
  }

  /** Every item in display order: jobs in order, items in order within each job. */
  *ordered(): Generator<ItemRecord> {
    for (const id of this.jobOrder) {
      const job = this.jobs.get(id);
      if (job) yield* job.items;
    }
  }

  /**
   * The next item to start: the first queued item, in order, of a job that is not paused, for
   * which `admit` says yes (per-site capacity, retry delays; 'skip-job' when nothing of this job
   * can start now). Scans at most `scanLimit` queued
   * items per job so a long blocked job cannot make scheduling quadratic.
   */
  next(admit: (item: ItemRecord, job: JobState) => boolean | 'skip-job', scanLimit = 256): ItemRecord | undefined {
    if (this.paused) return undefined;
    for (const id of this.jobOrder) {
      const job = this.jobs.get(id);
      if (!job || job.paused) continue;
      while (job.head < job.items.length && FINISHED_STATES.has(job.items[job.head]!.state)) job.head++;
      let scanned = 0;
      for (let i = job.head; i < job.items.length && scanned < scanLimit; i++) {
        const item = job.items[i]!;
        if (item.state !== 'queued') continue;
        scanned++;
        const verdict = admit(item, job);
        if (verdict === 'skip-job') break;
        if (verdict) return item;
      }
    }
    return undefined;
  }

  /** Items of a job or the item itself, for controls that take either id. */
  resolve(ids: readonly string[] | undefined): ItemRecord[] {
    if (!ids) return [...this.items.values()];
    const out: ItemRecord[] = [];
    for (const id of ids) {
      const job = this.jobs.get(id);
      if (job) out.push(...job.items);
      else {
        const item = this.items.get(id);
        if (item) out.push(item);
      }
    }
    return out;
  }

  /** Whether every job has been walked and no item is waiting or running. */
  idle(): boolean {
    for (const job of this.jobs.values()) if (!job.walked) return false;
    for (const item of this.items.values()) if (item.state === 'queued' || item.state === 'active') return false;
    return true;
  }

  private rewind(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job) job.head = 0;
  }

  /** A job id moves among jobs; an item id moves within its job. */
  private move(id: string, toIndex: number): void {
    const jobAt = this.jobOrder.indexOf(id);
    if (jobAt >= 0) {
      this.jobOrder.splice(jobAt, 1);
      this.jobOrder.splice(clamp(toIndex, this.jobOrder.length), 0, id);
      return;
    }
    const item = this.items.get(id);
    const job = item && this.jobs.get(item.jobId);
    if (!item || !job) return;
    const at = job.items.indexOf(item);
    job.items.splice(at, 1);
    job.items.splice(clamp(toIndex, job.items.length), 0, item);
    job.head = 0;
  }

  /** Removes jobs and items in one pass (clearing 100k done items stays linear). */
  private remove(ids: ReadonlySet<string>): void {
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) this.items.delete(id);
    }
    for (const jobId of [...this.jobOrder]) {
      const job = this.jobs.get(jobId)!;
      if (ids.has(jobId)) {
        for (const it of job.items) this.items.delete(it.id);
        this.jobs.delete(jobId);
        this.jobOrder.splice(this.jobOrder.indexOf(jobId), 1);
        continue;
      }
      const kept = job.items.filter((it) => !ids.has(it.id));
      if (kept.length !== job.items.length) {
        job.items.length = 0;
        for (const it of kept) job.items.push(it);
        job.head = 0;
        // byRel keeps cleared entries so a re-walk does not bring a cleared file back.
      }
    }
    if (this.batchPolicies.size === 0) return;
    const live = new Set<string | undefined>();
    for (const job of this.jobs.values()) live.add(job.record.batchId);
    for (const batch of [...this.batchPolicies.keys()]) if (!live.has(batch)) this.batchPolicies.delete(batch);
  }
}

function clamp(i: number, len: number): number {
  return Math.max(0, Math.min(len, Math.floor(i)));
}
