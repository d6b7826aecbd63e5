import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TRANSIENT_ERROR_CODES } from '../../shared/ipc/errors';
import type { QueueUpdate, TransferRequest } from '../../shared/model/transfer';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import type { Prompter } from '../core/prompter';
import { backoffDelay, RetryBudget, type BackoffOptions } from './backoff';
import { CONNECTION_CAPACITY, ConnectionPool, withRetries, type ConnectFn } from './connection-pool';
import { ExistsDecider } from './exists-decider';
import { runDownload, runUpload, type RunContext } from './item-runner';
import { expandJob } from './job-expander';
import { ProgressTracker } from './progress-tracker';
import { FINISHED_STATES, type ItemRecord, type JobRecord, type QueueRecord } from './queue-records';
import { QueueLock } from './queue-lock';
import { QueueState, type JobState } from './queue-state';
import { cleanupPart, compactRecords } from './queue-support';
import { TransferJournal } from './transfer-journal';

/** Engine settings; every field has a default. */
export interface TransferQueueOptions {
  /** Connections per site (1..16, default 4); each carries one big file or several small ones. */
  readonly parallel?: number;
  /** Retries of a transient failure that made no progress (default 10). */
  readonly retries?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Journal file name in the state dir (the CLI uses one per command). */
  readonly journalName?: string;
  /** Finished items kept through compaction (default 1000). */
  readonly keepHistory?: number;
  readonly updateIntervalMs?: number;
  /** Files up to this size share a connection with others (default 1 MiB). */
  readonly smallFileBytes?: number;
  readonly checkpointBytes?: number;
  /**
   * Finished downloads of at least this size are fsync'd before the rename (default 1 MiB), so
   * even a power cut cannot leave them empty under the final name; smaller files skip the cost
   * (a crash of the process alone never loses them).
   */
  readonly fsyncMinBytes?: number;
  readonly platform?: NodeJS.Platform;
}

interface Running {
  readonly abort: AbortController;
  settled?: Promise<void>;
  /** Why the engine aborted it: decides the state it ends in. */
  reason?: 'pause' | 'cancel' | 'close' | 'requeue';
}

/**
 * The transfer queue shared by the GUI and the CLI: jobs expanded into file items, run in
 * parallel per site over pooled RemoteFs connections, persisted in a journal so a crash loses
 * nothing, retried with backoff on network faults. Methods mirror the `queue:*` IPC channels.
 * No I/O before `start()`; `close()` is safe twice and leaves unfinished work resumable.
 */
export class TransferQueue {
  private readonly state = new QueueState();
  private readonly tracker = new ProgressTracker();
  private readonly listeners = new Set<(u: QueueUpdate) => void>();
  private readonly running = new Map<string, Running>();
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly retryAt = new Map<string, number>();
  /** Last contiguous byte count this process saw per item: resume offset for in-process retries. */
  private readonly trusted = new Map<string, number>();
  private readonly siteLoad = new Map<string, number>();
  private readonly expanding = new Map<string, AbortController>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly madeDirs = new Map<string, Promise<void>>();
  private readonly journal: TransferJournal;
  private readonly lock: QueueLock;
  private readonly pool: ConnectionPool;
  private readonly opts: Required<Omit<TransferQueueOptions, 'backoff'>> & { backoff: BackoffOptions };
  private readonly exists: ExistsDecider;
  private timer: NodeJS.Timeout | undefined;
  private wake: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(
    readonly stateDir: string,
    connect: ConnectFn,
    prompter: Prompter,
    private readonly logger: Logger,
    options: TransferQueueOptions = {},
  ) {
    this.opts = {
      parallel: Math.max(1, Math.min(16, Math.floor(options.parallel ?? 4))),
      retries: options.retries ?? 10,
      backoff: { baseMs: 500, maxMs: 30_000, ...options.backoff },
      journalName: options.journalName ?? 'queue.jsonl',
      keepHistory: options.keepHistory ?? 1000,
      updateIntervalMs: options.updateIntervalMs ?? 250,
      smallFileBytes: options.smallFileBytes ?? 1024 * 1024,
      checkpointBytes: options.checkpointBytes ?? 8 * 1024 * 1024,
      fsyncMinBytes: options.fsyncMinBytes ?? 1024 * 1024,
      platform: options.platform ?? process.platform,
    };
    const journalPath = join(stateDir, 'transfers', this.opts.journalName);
    this.journal = new TransferJournal(journalPath, logger);
    this.lock = new QueueLock(`${journalPath}.lock`);
    this.pool = new ConnectionPool(connect, () => this.opts.parallel, logger);
    this.exists = new ExistsDecider(prompter, (rec, sync) => this.record(rec, sync));
  }

  /** Takes the journal's lock, replays it (unfinished items come back queued), compacts, and starts. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.lock.acquire();
    const { records } = await this.journal.open();
    const replayed = new QueueState();
    for (const rec of records) replayed.apply(rec);
    // Finished history beyond keepHistory is dropped from memory and from the journal alike.
    const compacted = compactRecords(replayed, this.opts.keepHistory);
    for (const rec of compacted) this.state.apply(rec);
    await this.journal.compact(compacted);
    let restored = 0;
    for (const item of this.state.items.values()) {
      if (item.state === 'active') item.state = 'queued';
      if (!FINISHED_STATES.has(item.state)) restored++;
      item.transferred = item.state === 'done' ? item.size : (item.checkpoint ?? 0);
    }
    if (restored > 0) this.logger.log('info', `restored ${restored} unfinished transfer(s) from the journal`);
    for (const job of this.state.jobs.values()) if (!job.walked) this.expand(job.record);
    this.timer = setInterval(() => this.emit(), this.opts.updateIntervalMs);
    this.pump();
  }

  /** `queue:add`: one job per request. `localPath`/`remotePath` name the copy itself. */
  async add(req: { requests: TransferRequest[] }): Promise<{ jobIds: string[] }> {
    this.assertOpen();
    const jobIds: string[] = [];
    for (const request of req.requests) {
      const job: JobRecord = { id: `j${newId()}`, request, createdAt: Date.now() };
      await this.record({ t: 'job', job }, true);
      this.expand(job);
      jobIds.push(job.id);
    }
    return { jobIds };
  }

  /** `queue:snapshot`: every item and the totals. */
  snapshot(): QueueUpdate {
    return this.tracker.snapshot(this.state.ordered(), this.state.paused);
  }

  /** The requests of the jobs in the queue, in order. */
  requests(): TransferRequest[] {
    return this.state.jobOrder.map((id) => this.state.jobs.get(id)!.record.request);
  }

  /** Batched updates, a few a second while anything changes. Returns the unsubscribe function. */
  onUpdate(listener: (u: QueueUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `queue:pause`: the whole queue, jobs or items. Running transfers stop and keep their partial file. */
  async pause(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    if (!req.ids) {
      await this.record({ t: 'paused', paused: true });
      for (const r of this.running.values()) this.abortRun(r, 'requeue');
      return null;
    }
    for (const id of req.ids) if (this.state.jobs.has(id)) await this.record({ t: 'job-paused', jobId: id, paused: true });
    for (const item of this.state.resolve(req.ids)) {
      if (item.state === 'queued') await this.record({ t: 'state', id: item.id, state: 'paused' });
      const r = this.running.get(item.id);
      if (r) this.abortRun(r, this.state.jobs.has(item.jobId) && req.ids.includes(item.jobId) ? 'requeue' : 'pause');
    }
    this.changed();
    return null;
  }

  /** `queue:resume`: undoes pause for the queue (without ids), or for the given jobs and items. */
  async resume(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    if (!req.ids) {
      // The queue-wide switch only: jobs and items paused one by one stay paused.
      if (this.state.paused) await this.record({ t: 'paused', paused: false });
    } else {
      for (const id of req.ids) if (this.state.jobs.get(id)?.paused) await this.record({ t: 'job-paused', jobId: id, paused: false });
      for (const item of this.state.resolve(req.ids)) if (item.state === 'paused') await this.record({ t: 'state', id: item.id, state: 'queued' });
    }
    this.changed();
    return null;
  }

  /** `queue:cancel`: unfinished items end cancelled; their partial files are removed. */
  async cancel(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    for (const id of req.ids ?? [...this.state.jobs.keys()]) this.expanding.get(id)?.abort();
    for (const item of this.state.resolve(req.ids)) {
      const r = this.running.get(item.id);
      if (r) this.abortRun(r, 'cancel');
      else if (!FINISHED_STATES.has(item.state)) {
        await this.record({ t: 'state', id: item.id, state: 'cancelled' });
        if (item.direction === 'download') await cleanupPart(item, undefined);
      }
    }
    this.changed();
    return null;
  }

  /** `queue:retry`: failed (and cancelled) items go back in the queue with a fresh retry budget. */
  async retry(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    this.pool.forget();
    for (const item of this.state.resolve(req.ids)) {
      if (item.state !== 'failed' && item.state !== 'cancelled') continue;
      if (item.rel === '\0root') {
        // The job never expanded: walk it again.
        const job = this.state.jobs.get(item.jobId);
        await this.record({ t: 'remove', ids: [item.id] });
        if (job) this.expand(job.record);
        continue;
      }
      this.budgets.delete(item.id);
      this.retryAt.delete(item.id);
      await this.record({ t: 'state', id: item.id, state: 'queued' });
    }
    this.changed();
    return null;
  }

  /** `queue:reorder`: a job id moves among jobs; an item id moves within its job. */
  async reorder(req: { id: string; toIndex: number }): Promise<null> {
    this.assertOpen();
    await this.record({ t: 'move', id: req.id, toIndex: req.toIndex });
    this.changed();
    return null;
  }

  /** `queue:clear-done`: forgets done, skipped and cancelled items (and jobs left empty). */
  async clearDone(): Promise<null> {
    this.assertOpen();
    const ids: string[] = [];
    for (const item of this.state.items.values()) if (item.state === 'done' || item.state === 'skipped' || item.state === 'cancelled') ids.push(item.id);
    for (const job of this.state.jobs.values()) {
      if (job.walked && !this.expanding.has(job.record.id) && job.items.every((i) => i.state === 'done' || i.state === 'skipped' || i.state === 'cancelled')) ids.push(job.record.id);
    }
    await this.record({ t: 'remove', ids });
    for (const id of ids) this.tracker.drop(id);
    this.changed();
    return null;
  }

  /** Resolves once every job is expanded and no item is queued or running (paused items wait). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops everything, keeping unfinished work in the journal for the next start. Safe twice. */
  async close(options: { removeJournalIfFinished?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.wake);
    for (const c of this.expanding.values()) c.abort();
    const settled = [...this.running.values()].map((r) => {
      this.abortRun(r, 'close');
      return r.settled;
    });
    let stop: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(settled), new Promise((r) => (stop = setTimeout(r, 5000)))]);
    clearTimeout(stop);
    this.emit();
    await this.pool.close();
    const finished = [...this.state.items.values()].every((i) => i.state === 'done' || i.state === 'skipped');
    if (this.started) {
      await this.journal.close({ remove: options.removeJournalIfFinished === true && finished && this.state.idle() });
      await this.lock.release();
    }
    for (const w of this.idleWaiters.splice(0)) w();
  }

  // ---- scheduling -------------------------------------------------------------------------

  private ensureDir(path: string): Promise<void> {
    let made = this.madeDirs.get(path);
    if (!made) {
      made = mkdir(path, { recursive: true }).then(
        () => undefined,
        (err: unknown) => {
          this.madeDirs.delete(path);
          throw toFerryError(err, `cannot create ${path}`);
        },
      );
      if (this.madeDirs.size > 10_000) this.madeDirs.clear();
      this.madeDirs.set(path, made);
    }
    return made;
  }

  private pump(): void {
    if (this.closed || !this.started) return;
    const now = Date.now();
    let earliest = Infinity;
    for (;;) {
      const item = this.state.next((it, job) => {
        const at = this.retryAt.get(it.id);
        if (at !== undefined && at > now) {
          earliest = Math.min(earliest, at);
          return false;
        }
        return (this.siteLoad.get(siteKey(job)) ?? 0) + this.weight(it) <= this.opts.parallel * CONNECTION_CAPACITY;
      });
      if (!item) break;
      this.run(item, this.state.jobs.get(item.jobId)!);
    }
    clearTimeout(this.wake);
    if (earliest < Infinity) this.wake = setTimeout(() => this.pump(), Math.max(0, earliest - Date.now()));
    this.checkIdle();
  }

  private weight(item: ItemRecord): number {
    return item.size <= this.opts.smallFileBytes ? 1 : CONNECTION_CAPACITY;
  }

  private run(item: ItemRecord, job: JobState): void {
    const key = siteKey(job);
    const weight = this.weight(item);
    const r: Running = { abort: new AbortController() };
    this.running.set(item.id, r);
    this.retryAt.delete(item.id);
    this.siteLoad.set(key, (this.siteLoad.get(key) ?? 0) + weight);
    item.state = 'active';
    item.attempts++;
    this.tracker.touch(item.id);
    const start = this.trusted.get(item.id) ?? item.checkpoint ?? 0;
    r.settled = this.attempt(item, job, r, weight)
      .catch((err: unknown) => this.failed(item, r, toFerryError(err), start))
      .finally(() => {
        this.running.delete(item.id);
        this.siteLoad.set(key, (this.siteLoad.get(key) ?? 0) - weight);
        this.tracker.touch(item.id);
        this.pump();
      });
  }

  private async attempt(item: ItemRecord, job: JobState, r: Running, weight: number): Promise<void> {
    const { target, sessionId } = job.record.request;
    const lease = await this.pool.acquire(siteKey(job), target, sessionId, weight);
    // A lost connection ends the attempt at once, even when the adapter would notice only later.
    const attempt = new AbortController();
    const forward = (): void => attempt.abort();
    r.abort.signal.addEventListener('abort', forward, { once: true });
    let lost = false;
    let giveUp: (err: FerryError) => void = () => undefined;
    const abandoned = new Promise<never>((_resolve, reject) => (giveUp = reject));
    abandoned.catch(() => undefined);
    let grace: NodeJS.Timeout | undefined;
    const watchdog = setInterval(() => {
      if (!lease.fs.connected && !attempt.signal.aborted) {
        lost = true;
        attempt.abort();
      }
    }, 100);
    // Adapters may wait for requests in flight before honouring an abort. A lost connection is
    // given up at once; a pause or cancel waits a moment so the partial file is settled first.
    attempt.signal.addEventListener(
      'abort',
      () => {
        if (lost) giveUp(new FerryError('connection-lost', 'the connection was lost'));
        else grace = setTimeout(() => giveUp(new FerryError('cancelled', 'cancelled')), 3000);
      },
      { once: true },
    );
    try {
      const ctx: RunContext = {
        fs: lease.fs,
        signal: attempt.signal,
        // A single-file job lands beside its target; a folder job inside its root.
        localRoot: item.rel === '' ? dirname(job.record.request.localPath) : job.record.request.localPath,
        trustedOffset: this.trusted.get(item.id),
        checkpointBytes: this.opts.checkpointBytes,
        fsyncMinBytes: this.opts.fsyncMinBytes,
        ensureDir: (path) => this.ensureDir(path),
        onProgress: (n) => {
          item.transferred = n;
          this.trusted.set(item.id, n);
        },
        decide: (it, existing, incoming) => this.exists.decide(it, job, existing, incoming, attempt.signal),
        record: (rec, sync) => this.record(rec, sync),
      };
      const running = item.direction === 'download' ? runDownload(item, ctx) : runUpload(item, ctx);
      running.catch(() => undefined);
      const outcome = await Promise.race([running, abandoned]);
      if (attempt.signal.aborted) throw new FerryError('cancelled', 'cancelled');
      this.trusted.delete(item.id);
      this.budgets.delete(item.id);
      if (outcome.state === 'done') await this.record({ t: 'state', id: item.id, state: 'done', verification: outcome.verification, attempts: item.attempts, size: item.size });
      else await this.record({ t: 'state', id: item.id, state: 'skipped', error: { code: 'already-exists', message: outcome.reason } });
      lease.release();
    } catch (err) {
      let fe = toFerryError(err);
      if (lost && !r.reason) fe = new FerryError('connection-lost', `the connection to ${target.host} was lost`, fe.message);
      if (r.reason === 'cancel') await cleanupPart(item, lease.fs.connected ? lease.fs : undefined);
      if (fe.code === 'timeout' || !lease.fs.connected) lease.discard();
      else lease.release();
      throw fe;
    } finally {
      clearInterval(watchdog);
      clearTimeout(grace);
      r.abort.signal.removeEventListener('abort', forward);
    }
  }

  /** Where a failed attempt goes: retry with backoff, the state a control asked for, or failed. */
  private async failed(item: ItemRecord, r: Running, fe: FerryError, start: number): Promise<void> {
    if (r.reason) {
      const state = r.reason === 'cancel' ? 'cancelled' : r.reason === 'pause' ? 'paused' : 'queued';
      if (r.reason === 'close') item.state = 'queued';
      else await this.record({ t: 'state', id: item.id, state });
      return;
    }
    if (TRANSIENT_ERROR_CODES.has(fe.code)) {
      let budget = this.budgets.get(item.id);
      if (!budget) this.budgets.set(item.id, (budget = new RetryBudget(this.opts.retries)));
      const progressed = item.transferred > start;
      if (budget.fail(progressed)) {
        const delay = backoffDelay(budget.failures, this.opts.backoff);
        this.logger.log('warn', `${item.remotePath}: ${fe.message}; retry ${budget.failures} of ${this.opts.retries} in ${(delay / 1000).toFixed(1)} s`);
        this.retryAt.set(item.id, Date.now() + delay);
        item.state = 'queued';
        return;
      }
    }
    this.logger.log('error', `${item.remotePath}: ${fe.message}`);
    await this.record({ t: 'state', id: item.id, state: 'failed', error: fe.toShape(), attempts: item.attempts });
  }

  private abortRun(r: Running, reason: NonNullable<Running['reason']>): void {
    if (r.reason === 'cancel' || r.reason === 'close') return;
    r.reason = reason;
    r.abort.abort(new FerryError('cancelled', 'cancelled'));
  }

  private expand(job: JobRecord): void {
    if (this.expanding.has(job.id)) return;
    const abort = new AbortController();
    this.expanding.set(job.id, abort);
    const state = this.state.jobs.get(job.id)!;
    const budget = new RetryBudget(this.opts.retries);
    void expandJob(job, {
      signal: abort.signal,
      logger: this.logger,
      platform: this.opts.platform,
      newId: () => `i${newId()}`,
      emit: (items) => {
        void this.record({ t: 'items', items: state.paused ? items.map((i) => (i.state === 'queued' ? { ...i, state: 'paused' as const } : i)) : items });
        for (const i of items) this.tracker.touch(i.id);
        this.pump();
      },
      withRemote: (op) =>
        withRetries(this.pool, { key: siteKey({ record: job }), target: job.request.target, sessionId: job.request.sessionId }, budget, this.opts.backoff, abort.signal, op),
    })
      .then(() => this.record({ t: 'walked', jobId: job.id }, true))
      .catch((err: unknown) => this.logger.log('debug', `expansion of ${job.request.remotePath} stopped: ${toFerryError(err).message}`))
      .finally(() => {
        this.expanding.delete(job.id);
        this.pump();
      });
  }

  /** Applies a record to the state and appends it to the journal; compacts when the journal grows. */
  private async record(rec: QueueRecord, sync = false): Promise<void> {
    this.state.apply(rec);
    if ('id' in rec) this.tracker.touch(rec.id);
    const write = this.journal.append(rec, { sync });
    if (this.journal.size > Math.max(20_000, this.state.items.size * 3)) void this.journal.compact(compactRecords(this.state, this.opts.keepHistory));
    await write;
  }

  private changed(): void {
    this.pump();
  }

  private emit(): void {
    const active = [...this.running.keys()].map((id) => this.state.items.get(id)).filter((i): i is ItemRecord => i !== undefined);
    const update = this.tracker.tick(() => this.state.ordered(), active, this.state.paused, Date.now());
    if (!update) return;
    for (const l of this.listeners) {
      try {
        l(update);
      } catch (err) {
        this.logger.log('error', `a queue listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Nothing runs, nothing is being walked, and nothing runnable waits (paused work does not count). */
  private isIdle(): boolean {
    if (this.closed) return true;
    if (this.expanding.size > 0 || this.running.size > 0) return false;
    return this.state.paused || this.state.next(() => true) === undefined;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    this.emit();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private assertOpen(): void {
    if (!this.started || this.closed) throw new FerryError('invalid-request', 'the transfer queue is not running');
  }
}

function siteKey(job: { record: JobRecord }): string {
  const { target, sessionId } = job.record.request;
  return `${target.protocol}://${target.user ?? ''}@${target.host}:${target.port}#${sessionId ?? ''}`;
}

function newId(): string {
  return `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
