import type { BrowserWindow } from 'electron';
import type { EventSink } from '../app/event-sink';
import { electronNotify, QueueNotifier, type Notify } from './notifications';
import { TaskbarProgress } from './taskbar-progress';

/**
 * An event sink that mirrors the queue on the desktop: taskbar / dock progress, and an OS
 * notification when a long queue ends while the window is in the background. Add it to the
 * app's FanOutSink beside the window sink; it reads only `queue:update` totals.
 */
export function desktopIntegration(win: BrowserWindow, notify: Notify = electronNotify(() => focus(win))): EventSink {
  const taskbar = new TaskbarProgress(win);
  const notifier = new QueueNotifier(notify, () => !win.isDestroyed() && win.isFocused());
  return {
    emit(channel, payload) {
      if (channel !== 'queue:update') return;
      const update = payload as Parameters<TaskbarProgress['update']>[0];
      taskbar.update(update);
      notifier.update(update);
    },
  };
}

function focus(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}
