/** How long to wait before reconnecting: exponential, capped, with jitter. */
export interface BackoffOptions {
  /** First delay, ms. */
  readonly baseMs: number;
  /** Upper bound of one delay, ms. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before retry number `failures` (1 = the first retry). "Full jitter" over the upper half:
 * the delay lies in [cap/2, cap], so many clients losing one server do not reconnect in lockstep,
 * and no retry ever comes sooner than half the nominal backoff.
 */
export function backoffDelay(failures: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, failures);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}

/**
 * Counts consecutive failures of one piece of work. A retry that made progress resets the count,
 * so a transfer over a link that drops every few MiB keeps going as long as each attempt moves data.
 */
export class RetryBudget {
  private consecutive = 0;
  constructor(private readonly retries: number) {}

  /** Records a failure; true when another retry is allowed. `progressed` means the attempt moved bytes. */
  fail(progressed: boolean): boolean {
    if (progressed) this.consecutive = 0;
    this.consecutive++;
    return this.consecutive <= this.retries;
  }

  /** Failures in a row so far (feeds backoffDelay). */
  get failures(): number {
    return this.consecutive;
  }

  reset(): void {
    this.consecutive = 0;
  }
}
