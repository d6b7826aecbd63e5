import type { BrowserWindow } from 'electron';
import type { QueueUpdate } from '../../shared/model/transfer';

/** What the taskbar / dock shows for the queue. */
export interface TaskbarState {
  /** 0..1 while transferring; 2 = indeterminate (sizes unknown yet); -1 = no progress bar. */
  readonly value: number;
  /** Windows colours the bar: normal, paused (yellow) or error (red). */
  readonly mode: 'normal' | 'paused' | 'error' | 'none' | 'indeterminate';
}

/** The taskbar state for a queue snapshot: a bar only while something is queued or running. */
export function taskbarState(update: QueueUpdate): TaskbarState {
  const { totals } = update;
  if (totals.active + totals.queued === 0) return { value: -1, mode: 'none' };
  if (totals.bytes <= 0) return { value: 2, mode: 'indeterminate' };
  const value = Math.min(1, Math.max(0, totals.transferred / totals.bytes));
  const mode = update.paused ? 'paused' : totals.failed > 0 ? 'error' : 'normal';
  return { value, mode };
}

/**
 * Shows queue progress on the window's taskbar button (Windows, Linux Unity) or dock icon (macOS).
 * Calls Electron only when the bar visibly changes (a whole percent, or the mode), so a busy
 * queue's several updates a second cost nothing.
 */
export class TaskbarProgress {
  private last: TaskbarState = { value: -1, mode: 'none' };

  constructor(private readonly win: Pick<BrowserWindow, 'setProgressBar' | 'isDestroyed'>) {}

  update(update: QueueUpdate): void {
    const next = taskbarState(update);
    if (Math.floor(next.value * 100) === Math.floor(this.last.value * 100) && next.mode === this.last.mode) return;
    this.last = next;
    if (this.win.isDestroyed()) return;
    this.win.setProgressBar(next.value, { mode: next.mode });
  }
}
