import { FerryError } from '../core/ferry-error';
import type { RemoteFs } from '../protocols/remote-fs';

/**
 * Bounds one attempt at one item. Aborts when the caller aborts or when the connection is lost
 * (polled, since an adapter may only notice a dead link at its idle timer), and stops waiting
 * for the work: at once for a lost connection, after a short grace for a pause or cancel so the
 * partial file is settled before anyone touches it.
 */
export class AttemptGuard {
  private readonly controller = new AbortController();
  private grace: NodeJS.Timeout | undefined;
  private giveUp: (err: FerryError) => void = () => undefined;
  private readonly abandoned: Promise<never>;
  private readonly forward = (): void => this.controller.abort();
  /** The connection went away during the attempt. */
  lost = false;

  constructor(
    private readonly fs: RemoteFs,
    private readonly parent: AbortSignal,
    graceMs = 3000,
  ) {
    this.abandoned = new Promise<never>((_resolve, reject) => (this.giveUp = reject));
    this.abandoned.catch(() => undefined);
    watch(this);
    this.controller.signal.addEventListener(
      'abort',
      () => {
        if (this.lost) this.giveUp(new FerryError('connection-lost', 'the connection was lost'));
        else this.grace = setTimeout(() => this.giveUp(new FerryError('cancelled', 'cancelled')), graceMs);
      },
      { once: true },
    );
    parent.addEventListener('abort', this.forward, { once: true });
    if (parent.aborted) this.controller.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The work's result, or a rejection as soon as the attempt is given up. */
  race<T>(work: Promise<T>): Promise<T> {
    work.catch(() => undefined);
    return Promise.race([work, this.abandoned]);
  }

  /** The attempt no longer uses the connection: losing it now does not abort the attempt. */
  detach(): void {
    unwatch(this);
  }

  /** Polled by the shared watchdog. */
  check(): void {
    if (!this.fs.connected && !this.controller.signal.aborted) {
      this.lost = true;
      this.controller.abort();
    }
  }

  dispose(): void {
    unwatch(this);
    clearTimeout(this.grace);
    this.parent.removeEventListener('abort', this.forward);
  }
}

/** One 100 ms poll for every attempt running, rather than a timer each (thousands of small files). */
const watched = new Set<AttemptGuard>();
let watchdog: NodeJS.Timeout | undefined;

function watch(guard: AttemptGuard): void {
  watched.add(guard);
  watchdog ??= setInterval(() => {
    for (const g of watched) g.check();
  }, 100);
}

function unwatch(guard: AttemptGuard): void {
  watched.delete(guard);
  if (watched.size === 0 && watchdog) {
    clearInterval(watchdog);
    watchdog = undefined;
  }
}
