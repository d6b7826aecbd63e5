import { dirname } from 'node:path';
import { TRANSIENT_ERROR_CODES } from '../../shared/ipc/errors';
import type { ConnectionTarget } from '../../shared/model/connection';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import { AttemptGuard } from './attempt-guard';
import { backoffDelay, RetryBudget, type BackoffOptions } from './backoff';
import { CONNECTION_CAPACITY, type ConnectionPool, withRetries } from './connection-pool';
import type { ExistsDecider } from './exists-decider';
import { runDownload, runUpload, type RunContext } from './item-runner';
import { expandJob } from './job-expander';
import type { ProgressTracker } from './progress-tracker';
import type { ItemRecord, JobRecord, QueueRecord } from './queue-records';
import type { JobState, QueueState } from './queue-state';
import { cleanupPart, DirCache, newId, siteKey, transferDoneLine } from './queue-support';

/** Engine settings the scheduler reads. */
export interface SchedulerOptions {
  readonly retries: number;
  readonly backoff: BackoffOptions;
  readonly smallFileBytes: number;
  readonly checkpointBytes: number;
  readonly fsyncMinBytes: number;
  readonly platform: NodeJS.Platform;
}

/** What the scheduler shares with the queue that owns it. */
export interface SchedulerDeps {
  readonly state: QueueState;
  readonly tracker: ProgressTracker;
  readonly pool: ConnectionPool;
  readonly exists: ExistsDecider;
  readonly logger: Logger;
  readonly opts: SchedulerOptions;
  /** Connections (parallel transfers) a site may use now. */
  limit(target: ConnectionTarget): number;
  record(rec: QueueRecord, sync?: boolean): Promise<void>;
  /** Called after each scheduling pass (the queue resolves idle waiters). */
  onSettled(): void;
}

/** One item being transferred. */
export interface Running {
  readonly item: ItemRecord;
  readonly abort: AbortController;
  settled?: Promise<void>;
  /** Why the engine aborted it: decides the state it ends in. */
  reason?: 'pause' | 'cancel' | 'close' | 'requeue';
}

/**
 * Runs the queue: starts items within each site's capacity, one attempt at a time per item,
 * classifies failures (retry with backoff and a budget that progress refills, or fail with the
 * reason), and walks jobs into items. The TransferQueue owns it and the controls.
 */
export class QueueScheduler {
  readonly running = new Map<string, Running>();
  readonly expanding = new Map<string, AbortController>();
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly retryAt = new Map<string, number>();
  /** Last contiguous byte count this process saw per item: resume offset for in-process retries. */
  private readonly trusted = new Map<string, number>();
  private readonly siteLoad = new Map<string, number>();
  private readonly dirs = new DirCache();
  /** Destinations being written now. */
  private readonly writing = new Set<string>();
  private wake: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly d: SchedulerDeps) {}

  /** Scheduling may begin. */
  begin(): void {
    this.stopped = false;
  }

  /** No new work starts; running items are aborted with 'close' and awaited (at most 5 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.wake);
    for (const c of this.expanding.values()) c.abort();
    const settled = [...this.running.values()].map((r) => {
      this.abortRun(r, 'close');
      return r.settled;
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(settled), new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  }

  /** A retry asked by the user starts with a fresh budget and no delay. */
  forgetFailures(itemId: string): void {
    this.budgets.delete(itemId);
    this.retryAt.delete(itemId);
  }

  /** An item left the queue: nothing about it is kept. */
  forgetItem(itemId: string): void {
    this.forgetFailures(itemId);
    this.trusted.delete(itemId);
  }

  /** Nothing runs, nothing is being walked, and nothing runnable waits (paused work does not count). */
  idle(): boolean {
    if (this.expanding.size > 0 || this.running.size > 0) return false;
    return this.d.state.paused || this.d.state.next(() => true) === undefined;
  }

  /** Items moving bytes now. */
  active(): ItemRecord[] {
    return [...this.running.keys()].map((id) => this.d.state.items.get(id)).filter((i): i is ItemRecord => i !== undefined);
  }

  /** Starts whatever may start now; arms a timer for the earliest retry. */
  pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    let earliest = Infinity;
    for (;;) {
      const item = this.d.state.next((it, job) => {
        const load = this.siteLoad.get(siteKey(job)) ?? 0;
        const room = this.d.limit(job.record.request.target) * CONNECTION_CAPACITY - load;
        if (room <= 0) return 'skip-job';
        const at = this.retryAt.get(it.id);
        if (at !== undefined && at > now) {
          earliest = Math.min(earliest, at);
          return false;
        }
        // Two items writing one destination (the same file queued twice) take turns.
        if (this.writing.has(destination(it))) return false;
        return this.weight(it) <= room;
      });
      if (!item) break;
      this.run(item, this.d.state.jobs.get(item.jobId)!);
    }
    clearTimeout(this.wake);
    if (earliest < Infinity) this.wake = setTimeout(() => this.pump(), Math.max(0, earliest - Date.now()));
    this.d.onSettled();
  }

  private weight(item: ItemRecord): number {
    return item.size <= this.d.opts.smallFileBytes ? 1 : CONNECTION_CAPACITY;
  }

  private run(item: ItemRecord, job: JobState): void {
    const key = siteKey(job);
    const weight = this.weight(item);
    const r: Running = { item, abort: new AbortController() };
    this.running.set(item.id, r);
    this.retryAt.delete(item.id);
    this.siteLoad.set(key, (this.siteLoad.get(key) ?? 0) + weight);
    item.state = 'active';
    item.attempts++;
    const dest = destination(item);
    this.writing.add(dest);
    this.d.tracker.touch(item.id);
    const start = this.trusted.get(item.id) ?? item.checkpoint ?? 0;
    let counted = true;
    /** The item no longer counts against the site's capacity (done with its connection, or over). */
    const uncount = (): void => {
      if (!counted) return;
      counted = false;
      this.siteLoad.set(key, (this.siteLoad.get(key) ?? 0) - weight);
    };
    r.settled = this.attempt(item, job, r, weight, () => {
      uncount();
      this.pump();
    })
      .catch((err: unknown) => this.failed(item, r, toFerryError(err), start))
      .finally(() => {
        this.running.delete(item.id);
        delete item.stopping;
        this.writing.delete(dest);
        uncount();
        this.d.tracker.touch(item.id);
        this.pump();
      });
  }

  private async attempt(item: ItemRecord, job: JobState, r: Running, weight: number, freeSlot: () => void): Promise<void> {
    const { target, sessionId } = job.record.request;
    this.wait(item, 'connection');
    const lease = await this.d.pool.acquire(siteKey(job), target, sessionId, weight).finally(() => this.wait(item, undefined));
    if (r.abort.signal.aborted) {
      // Paused or cancelled while waiting for the connection: nothing was started.
      lease.release();
      throw new FerryError('cancelled', 'cancelled');
    }
    const guard = new AttemptGuard(lease.fs, r.abort.signal);
    const began = Date.now();
    const from = this.trusted.get(item.id) ?? item.checkpoint ?? 0;
    try {
      const ctx: RunContext = {
        fs: lease.fs,
        signal: guard.signal,
        // A single-file job lands beside its target; a folder job inside its root.
        localRoot: item.rel === '' ? dirname(job.record.request.localPath) : job.record.request.localPath,
        trustedOffset: this.trusted.get(item.id),
        checkpointBytes: this.d.opts.checkpointBytes,
        fsyncMinBytes: this.d.opts.fsyncMinBytes,
        ensureDir: (path) => this.dirs.ensure(path),
        onProgress: (n) => {
          item.transferred = n;
          this.trusted.set(item.id, n);
        },
        decide: (it, existing, incoming) => {
          this.wait(item, 'answer');
          return this.d.exists.decide(it, job, existing, incoming, guard.signal).finally(() => this.wait(item, undefined));
        },
        record: (rec, sync) => this.d.record(rec, sync),
        doneWithConnection: () => {
          guard.detach();
          lease.release();
          freeSlot();
        },
      };
      const outcome = await guard.race(item.direction === 'download' ? runDownload(item, ctx) : runUpload(item, ctx));
      if (guard.signal.aborted) throw new FerryError('cancelled', 'cancelled');
      this.trusted.delete(item.id);
      this.budgets.delete(item.id);
      // Applied now, written with the next batch: the slot is free at once. A crash before the
      // write only makes a restart fetch this file again.
      if (outcome.state === 'done') {
        void this.d.record({ t: 'state', id: item.id, state: 'done', verification: outcome.verification, attempts: item.attempts, size: item.size });
        this.d.logger.log('info', transferDoneLine(item, from, Date.now() - began, outcome.verification));
      } else void this.d.record({ t: 'state', id: item.id, state: 'skipped', error: { code: 'already-exists', message: outcome.reason } });
      lease.release();
    } catch (err) {
      let fe = toFerryError(err);
      if (guard.lost && !r.reason) fe = new FerryError('connection-lost', `the connection to ${target.host} was lost`, fe.message);
      if (r.reason === 'cancel') await cleanupPart(item, lease.fs.connected ? lease.fs : undefined);
      if (fe.code === 'timeout' || !lease.fs.connected) lease.discard();
      else lease.release();
      throw fe;
    } finally {
      guard.dispose();
    }
  }

  /** Shows (or clears) what an active item waits for: a connection or the user's answer. */
  private wait(item: ItemRecord, waiting: ItemRecord['waiting']): void {
    if (waiting) item.waiting = waiting;
    else delete item.waiting;
    this.d.tracker.touch(item.id);
  }

  /** Where a failed attempt goes: retry with backoff, the state a control asked for, or failed. */
  private async failed(item: ItemRecord, r: Running, fe: FerryError, start: number): Promise<void> {
    if (r.reason) {
      const state = r.reason === 'cancel' ? 'cancelled' : r.reason === 'pause' ? 'paused' : 'queued';
      if (r.reason === 'close') item.state = 'queued';
      else await this.d.record({ t: 'state', id: item.id, state });
      return;
    }
    if (TRANSIENT_ERROR_CODES.has(fe.code)) {
      let budget = this.budgets.get(item.id);
      if (!budget) this.budgets.set(item.id, (budget = new RetryBudget(this.d.opts.retries)));
      const progressed = item.transferred > start;
      if (budget.fail(progressed)) {
        const delay = backoffDelay(budget.failures, this.d.opts.backoff);
        this.d.logger.log('warn', `${item.remotePath}: ${fe.message}; retry ${budget.failures} of ${this.d.opts.retries} in ${(delay / 1000).toFixed(1)} s`);
        this.retryAt.set(item.id, Date.now() + delay);
        item.state = 'queued';
        return;
      }
    }
    this.d.logger.log('error', `${item.remotePath}: ${fe.message}`);
    await this.d.record({ t: 'state', id: item.id, state: 'failed', error: fe.toShape(), attempts: item.attempts });
  }

  /** Stops a running item; `reason` decides the state it ends in. */
  abortRun(r: Running, reason: NonNullable<Running['reason']>): void {
    if (r.reason === 'cancel' || r.reason === 'close') return;
    r.reason = reason;
    // Shown until the attempt has settled (a cancel first removes the partial file).
    if (reason !== 'close') {
      r.item.stopping = reason === 'cancel' ? 'cancelling' : 'pausing';
      this.d.tracker.touch(r.item.id);
    }
    r.abort.abort(new FerryError('cancelled', 'cancelled'));
  }

  /** Walks a job's source tree in the background, feeding items into the queue. */
  expand(job: JobRecord): void {
    if (this.expanding.has(job.id)) return;
    const abort = new AbortController();
    this.expanding.set(job.id, abort);
    const budget = new RetryBudget(this.d.opts.retries);
    void expandJob(job, {
      signal: abort.signal,
      logger: this.d.logger,
      platform: this.d.opts.platform,
      newId: () => `i${newId()}`,
      emit: (items) => {
        // A walk stopped by a cancel (or close) adds nothing more.
        if (abort.signal.aborted) return;
        void this.d.record({ t: 'items', items });
        for (const i of items) this.d.tracker.touch(i.id);
        this.pump();
      },
      withRemote: (op) =>
        withRetries(this.d.pool, { key: siteKey({ record: job }), target: job.request.target, sessionId: job.request.sessionId }, budget, this.d.opts.backoff, abort.signal, op),
    })
      .then(() => {
        // Only a walk that delivered everything may be marked complete.
        if (abort.signal.aborted) throw new FerryError('cancelled', 'cancelled');
        return this.d.record({ t: 'walked', jobId: job.id }, true);
      })
      .catch((err: unknown) => this.d.logger.log('debug', `expansion of ${job.request.remotePath} stopped: ${toFerryError(err).message}`))
      .finally(() => {
        this.expanding.delete(job.id);
        this.pump();
      });
  }
}

/** The file an item writes: local for downloads, remote for uploads (any site: at worst they take turns). */
function destination(item: ItemRecord): string {
  return item.direction === 'download' ? `L ${item.localPath}` : `R ${item.remotePath}`;
}
