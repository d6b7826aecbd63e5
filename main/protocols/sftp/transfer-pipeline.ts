import { FerryError } from '../../core/ferry-error';
import type { TransferOptions } from '../remote-fs';

/** Bytes in flight over all transfers of one connection, so many parallel files stay bounded too. */
export class InFlightBudget {
  inFlight = 0;
  /** The most ever in flight at once. */
  peak = 0;
  constructor(readonly max: number) {}
}

/** Limits shared by downloads and uploads. */
export interface PipelineLimits {
  /** The connection-wide cap this transfer shares with the others. */
  readonly budget?: InFlightBudget;
  /** Bytes per SFTP read/write request. */
  readonly chunkSize: number;
  /** Cap on bytes requested but not yet settled, per transfer (bounded memory). */
  readonly maxInFlightBytes: number;
  /** No request settled for this long = the transfer stalled, ms. */
  readonly idleMs: number;
  /** True while the connection re-keys: a pause then is expected, not a stall. */
  readonly inKeyExchange?: () => boolean;
}

/**
 * Bookkeeping common to both directions: how many bytes are in flight, a waiter woken when room
 * frees up, the first error, cancellation, stall detection and throttled progress.
 */
export class PipelineState {
  inFlight = 0;
  error: FerryError | undefined;
  private wake: (() => void) | undefined;
  private lastSettled = Date.now();
  private lastProgress = 0;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly onAbort: () => void;

  constructor(
    private readonly limits: PipelineLimits,
    private readonly options: TransferOptions,
    what: string,
  ) {
    this.onAbort = () => this.fail(new FerryError('cancelled', `${what} was cancelled`));
    if (options.signal?.aborted) this.onAbort();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.idleTimer = setInterval(
      () => {
        if (limits.inKeyExchange?.()) this.lastSettled = Date.now();
        else if (this.inFlight > 0 && Date.now() - this.lastSettled > limits.idleMs) {
          this.fail(new FerryError('timeout', `${what} stalled: no data moved for ${Math.round(limits.idleMs / 1000)} s`));
        }
      },
      Math.max(50, Math.min(1000, limits.idleMs / 4)),
    );
    this.idleTimer.unref();
  }

  /** Bytes that may be requested now: what both caps allow, and at least one chunk when idle. */
  room(): number {
    const own = this.limits.maxInFlightBytes - this.inFlight;
    const budget = this.limits.budget;
    const free = budget ? Math.min(own, budget.max - budget.inFlight) : own;
    return this.inFlight === 0 ? Math.max(free, this.limits.chunkSize) : free;
  }

  /** True when another chunk fits under the caps (at least one always fits). */
  hasRoom(): boolean {
    return this.room() >= this.limits.chunkSize;
  }

  /** Counts bytes just requested. */
  claim(bytes: number): void {
    this.inFlight += bytes;
    const budget = this.limits.budget;
    if (budget) {
      budget.inFlight += bytes;
      budget.peak = Math.max(budget.peak, budget.inFlight);
    }
  }

  /** Records the first failure; later ones are consequences of it. */
  fail(err: FerryError): void {
    if (!this.error) this.error = err;
    this.poke();
  }

  settled(bytes: number): void {
    this.inFlight -= bytes;
    if (this.limits.budget) this.limits.budget.inFlight -= bytes;
    this.lastSettled = Date.now();
    this.poke();
  }

  /** Resolves when something changed (a request settled or failed). */
  waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Reports progress at most every 100 ms, and always when `final`. */
  progress(transferred: number, final = false): void {
    const now = Date.now();
    if (!this.options.onProgress || (!final && now - this.lastProgress < 100)) return;
    this.lastProgress = now;
    this.options.onProgress({ transferred });
  }

  /** Waits until every request in flight has settled (buffers are no longer in use). */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await this.waitForChange();
  }

  dispose(): void {
    clearInterval(this.idleTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/**
 * Tracks which byte ranges have landed and the contiguous watermark from the start offset:
 * the watermark is what a resume may safely trust.
 */
export class RangeWatermark {
  private readonly done = new Map<number, number>();

  constructor(public mark: number) {}

  add(start: number, end: number): void {
    if (end <= start) return;
    this.done.set(start, end);
    let next = this.done.get(this.mark);
    while (next !== undefined) {
      this.done.delete(this.mark);
      this.mark = next;
      next = this.done.get(this.mark);
    }
  }
}
