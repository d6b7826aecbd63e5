import { Notification } from 'electron';
import type { QueueUpdate } from '../../shared/model/transfer';

/** Shows one OS notification. */
export type Notify = (title: string, body: string) => void;

/** A queue that ran at least this long earns a notification when it ends unattended. */
export const LONG_QUEUE_MS = 15_000;

/**
 * Tells the user, through the OS, when a long queue has finished while they were elsewhere:
 * once per run, only if the run took LONG_QUEUE_MS or more and the window is not focused.
 * File names never appear in the notification (it may show on a lock screen); counts do.
 */
export class QueueNotifier {
  private runStart: number | null = null;
  private doneAtStart = 0;
  private failedAtStart = 0;

  constructor(
    private readonly notify: Notify,
    private readonly isFocused: () => boolean,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(update: QueueUpdate): void {
    const { totals } = update;
    const busy = totals.active + totals.queued > 0 && !update.paused;
    if (busy && this.runStart === null) {
      this.runStart = this.now();
      this.doneAtStart = totals.done;
      this.failedAtStart = totals.failed;
      return;
    }
    if (busy || this.runStart === null || totals.active > 0) return;
    if (update.paused && totals.queued > 0) return; // paused, not finished
    const took = this.now() - this.runStart;
    this.runStart = null;
    if (took < LONG_QUEUE_MS || this.isFocused()) return;
    const done = Math.max(0, totals.done - this.doneAtStart);
    const failed = Math.max(0, totals.failed - this.failedAtStart);
    if (failed > 0) this.notify('Transfers finished with errors', `${count(done, 'file')} transferred, ${count(failed, 'file')} failed.`);
    else this.notify('Transfers finished', `${count(done, 'file')} transferred.`);
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Electron's notifications; a no-op where the OS has none (some Linux desktops). */
export function electronNotify(onClick?: () => void): Notify {
  return (title, body) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, silent: false });
    if (onClick) n.on('click', onClick);
    n.show();
  };
}
