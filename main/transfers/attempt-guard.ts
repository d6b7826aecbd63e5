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
  private readonly watchdog: NodeJS.Timeout;
  private grace: NodeJS.Timeout | undefined;
  private giveUp: (err: FerryError) => void = () => undefined;
  private readonly abandoned: Promise<never>;
  private readonly forward = (): void => this.controller.abort();
  /** The connection went away during the attempt. */
  lost = false;

  constructor(
    fs: RemoteFs,
    private readonly parent: AbortSignal,
    graceMs = 3000,
  ) {
    this.abandoned = new Promise<never>((_resolve, reject) => (this.giveUp = reject));
    this.abandoned.catch(() => undefined);
    this.watchdog = setInterval(() => {
      if (!fs.connected && !this.controller.signal.aborted) {
        this.lost = true;
        this.controller.abort();
      }
    }, 100);
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

  dispose(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.grace);
    this.parent.removeEventListener('abort', this.forward);
  }
}
