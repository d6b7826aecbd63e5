import { join } from 'node:path';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { QueueUpdate, TransferRequest } from '../../shared/model/transfer';
import { FerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import type { Prompter } from '../core/prompter';
import type { BackoffOptions } from './backoff';
import { ConnectionPool, type ConnectFn } from './connection-pool';
import { ExistsDecider } from './exists-decider';
import { ProgressTracker } from './progress-tracker';
import { QueueControls } from './queue-controls';
import { FINISHED_STATES, type JobRecord, type QueueRecord } from './queue-records';
import { QueueLock } from './queue-lock';
import { QueueScheduler } from './queue-scheduler';
import { QueueState } from './queue-state';
import { checkRequestPaths, compactRecords, newId } from './queue-support';
import { TransferJournal } from './transfer-journal';

/** Engine settings; every field has a default. */
export interface TransferQueueOptions {
  /** Connections per site (1..16, default 4); each carries one big file or several small ones. */
  readonly parallel?: number;
  /** A site's own lower limit (a saved site's "transfer limit"), or undefined for none. */
  readonly siteLimit?: (target: ConnectionTarget) => number | undefined;
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
  /** A partial download is fsync'd and its offset journaled every this many bytes (default 32 MiB). */
  readonly checkpointBytes?: number;
  /**
   * Finished downloads of at least this size are fsync'd before the rename (default 1 MiB), so
   * even a power cut cannot leave them empty under the final name; smaller files skip the cost
   * (a crash of the process alone never loses them).
   */
  readonly fsyncMinBytes?: number;
  readonly platform?: NodeJS.Platform;
}

/**
 * The transfer queue shared by the GUI and the CLI: jobs expanded into file items, run in
 * parallel per site over pooled RemoteFs connections, persisted in a journal so a crash loses
 * nothing, retried with backoff on network faults. Methods mirror the `queue:*` IPC channels.
 * No I/O before `start()`; `close()` is safe twice and leaves unfinished work resumable.
 */
export class TransferQueue {
  private readonly state = new QueueState();
  private readonly tracker = new ProgressTracker(() => this.scheduler.expanding.size > 0);
  private readonly listeners = new Set<(u: QueueUpdate) => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly scheduler: QueueScheduler;
  private readonly controls: QueueControls;
  private readonly journal: TransferJournal;
  private readonly lock: QueueLock;
  private readonly pool: ConnectionPool;
  private readonly opts: Required<Omit<TransferQueueOptions, 'backoff' | 'siteLimit'>> & { backoff: BackoffOptions; parallel: number };
  private readonly siteLimit: (target: ConnectionTarget) => number | undefined;
  private readonly exists: ExistsDecider;
  private timer: NodeJS.Timeout | undefined;
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
      parallel: clampParallel(options.parallel ?? 4),
      retries: options.retries ?? 10,
      backoff: { baseMs: 500, maxMs: 30_000, ...options.backoff },
      journalName: options.journalName ?? 'queue.jsonl',
      keepHistory: options.keepHistory ?? 1000,
      updateIntervalMs: options.updateIntervalMs ?? 250,
      smallFileBytes: options.smallFileBytes ?? 1024 * 1024,
      checkpointBytes: options.checkpointBytes ?? 32 * 1024 * 1024,
      fsyncMinBytes: options.fsyncMinBytes ?? 1024 * 1024,
      platform: options.platform ?? process.platform,
    };
    this.siteLimit = options.siteLimit ?? (() => undefined);
    const journalPath = join(stateDir, 'transfers', this.opts.journalName);
    this.journal = new TransferJournal(journalPath, logger);
    this.lock = new QueueLock(`${journalPath}.lock`);
    this.pool = new ConnectionPool(connect, (target) => this.limitFor(target), logger);
    this.exists = new ExistsDecider(prompter, this.state, (rec, sync) => this.record(rec, sync));
    this.scheduler = new QueueScheduler({
      state: this.state,
      tracker: this.tracker,
      pool: this.pool,
      exists: this.exists,
      logger,
      opts: this.opts,
      limit: (target) => this.limitFor(target),
      record: (rec, sync) => this.record(rec, sync),
      onSettled: () => {
        this.tracker.settle();
        this.checkIdle();
      },
    });
    this.controls = new QueueControls({
      state: this.state,
      scheduler: this.scheduler,
      pool: this.pool,
      journal: this.journal,
      record: (rec, sync) => this.record(rec, sync),
      changed: () => this.changed(),
    });
  }

  /**
   * Changes the connections per site (the Settings' parallel transfers) at once: more start
   * waiting items now; fewer let running transfers finish and start no new ones above the limit.
   */
  setParallel(parallel: number): void {
    this.opts.parallel = clampParallel(parallel);
    if (this.started && !this.closed) this.scheduler.pump();
  }

  /** Connections a site may use: the global setting, or the site's own lower limit. */
  private limitFor(target: ConnectionTarget): number {
    const own = this.siteLimit(target);
    return own === undefined ? this.opts.parallel : Math.min(this.opts.parallel, clampParallel(own));
  }

  /** Takes the journal's lock, replays it (unfinished items come back queued), compacts, and starts. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.lock.acquire();
    const { records, corruptLines } = await this.journal.open();
    const replayed = new QueueState();
    for (const rec of records) replayed.apply(rec);
    // Finished history beyond keepHistory is dropped from memory and from the journal alike.
    const compacted = compactRecords(replayed, this.opts.keepHistory);
    for (const rec of compacted) this.state.apply(rec);
    // A new journal (every CLI command starts one) has nothing to compact.
    if (records.length > 0 || corruptLines > 0) await this.journal.compact(compacted);
    let restored = 0;
    for (const item of this.state.items.values()) {
      if (item.state === 'active') item.state = 'queued';
      if (!FINISHED_STATES.has(item.state)) restored++;
      item.transferred = item.state === 'done' ? item.size : (item.checkpoint ?? 0);
      // Unfinished work restored from the journal is the first batch of activity.
      this.tracker.changed(item.id, item.transferred, undefined, item.state);
    }
    if (restored > 0) this.logger.log('info', `restored ${restored} unfinished transfer(s) from the journal`);
    this.scheduler.begin();
    for (const job of this.state.jobs.values()) if (!job.walked) this.scheduler.expand(job.record);
    this.timer = setInterval(() => this.emit(), this.opts.updateIntervalMs);
    this.scheduler.pump();
  }

  /**
   * `queue:add`: one job per request, all of one batch (an "apply to all" answer covers them).
   * `localPath`/`remotePath` name the copy itself.
   */
  async add(req: { requests: TransferRequest[] }): Promise<{ jobIds: string[] }> {
    this.assertOpen();
    // All or nothing: one unsafe destination refuses the whole batch before anything is queued.
    for (const request of req.requests) checkRequestPaths(request, this.opts.platform);
    const jobIds: string[] = [];
    const batchId = `b${newId()}`;
    for (const request of req.requests) {
      const job: JobRecord = { id: `j${newId()}`, request, createdAt: Date.now(), batchId };
      await this.record({ t: 'job', job }, true);
      this.scheduler.expand(job);
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
    await this.controls.pause(req.ids);
    return null;
  }

  /** `queue:resume`: undoes pause for the queue (without ids), or for the given jobs and items. */
  async resume(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    await this.controls.resume(req.ids);
    return null;
  }

  /** `queue:cancel`: unfinished items end cancelled; their partial files are removed. */
  async cancel(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    await this.controls.cancel(req.ids);
    return null;
  }

  /** `queue:retry`: failed (and cancelled) items go back in the queue with a fresh retry budget. */
  async retry(req: { ids?: string[] } = {}): Promise<null> {
    this.assertOpen();
    await this.controls.retry(req.ids);
    return null;
  }

  /** `queue:reorder`: a job id moves among jobs; an item id moves within its job. */
  async reorder(req: { id: string; toIndex: number }): Promise<null> {
    this.assertOpen();
    await this.controls.reorder(req.id, req.toIndex);
    return null;
  }

  /** `queue:remove`: items (or jobs) leave the queue; unfinished ones are cancelled first. */
  async remove(req: { ids: string[] }): Promise<null> {
    this.assertOpen();
    await this.controls.remove(req.ids);
    return null;
  }

  /** `queue:clear-done`: forgets done and skipped items (the Done tab), and jobs left empty. */
  async clearDone(): Promise<null> {
    this.assertOpen();
    await this.controls.clearDone();
    return null;
  }

  /** `queue:clear-failed`: forgets failed and cancelled items (the Failed tab), and jobs left empty. */
  async clearFailed(): Promise<null> {
    this.assertOpen();
    await this.controls.clearFailed();
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
    await this.scheduler.stop();
    this.emit();
    await this.pool.close();
    const finished = [...this.state.items.values()].every((i) => i.state === 'done' || i.state === 'skipped');
    if (this.started) {
      await this.journal.close({ remove: options.removeJournalIfFinished === true && finished && this.state.idle() });
      await this.lock.release();
    }
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Applies a record to the state and appends it to the journal; compacts when the journal grows. */
  private async record(rec: QueueRecord, sync = false): Promise<void> {
    const before = this.state.statesBefore(rec);
    this.state.apply(rec);
    if ('id' in rec) this.tracker.touch(rec.id);
    for (const [id, state] of before) {
      const item = this.state.items.get(id);
      this.tracker.changed(id, item?.transferred ?? 0, state, item?.state);
      if (!item && state !== undefined) this.tracker.drop(id);
    }
    const write = this.journal.append(rec, { sync });
    if (this.journal.size > Math.max(20_000, this.state.items.size * 3)) void this.journal.compact(compactRecords(this.state, this.opts.keepHistory));
    await write;
  }

  /** After a control: starts what may start and tells listeners at once, not at the next tick. */
  private changed(): void {
    this.scheduler.pump();
    if (this.listeners.size === 0) return;
    const update = this.tracker.flush(this.state.ordered(), this.state.paused);
    if (update) this.send(update);
  }

  private emit(): void {
    // Nobody listens (the CLI without a terminal): changes stay marked for a later listener.
    if (this.listeners.size === 0) return;
    const update = this.tracker.tick(() => this.state.ordered(), this.scheduler.active(), this.state.paused, Date.now());
    if (update) this.send(update);
  }

  private send(update: QueueUpdate): void {
    for (const l of this.listeners) {
      try {
        l(update);
      } catch (err) {
        this.logger.log('error', `a queue listener failed: ${(err as Error).message}`);
      }
    }
  }

  private isIdle(): boolean {
    return this.closed || this.scheduler.idle();
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

function clampParallel(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.min(16, Math.floor(n))) : 4;
}
