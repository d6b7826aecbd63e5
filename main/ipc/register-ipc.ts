import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS } from '../../shared/ipc/contract';
import type { EventSink } from '../app/event-sink';
import { isAppUrl } from '../electron/window-options';
import { dispatchInvoke } from './dispatch';
import type { Handlers } from './handlers';

/** True only for messages from our own window's top frame showing our own page. */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow, appUrl: string): boolean {
  const frame = event.senderFrame;
  return event.sender.id === win.webContents.id && frame !== null && frame.parent === null && isAppUrl(frame.url, appUrl);
}

/** Registers one `ipcMain.handle` per contract channel; every message's sender is validated. */
export function registerIpc(handlers: Handlers, win: BrowserWindow, appUrl: string): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event, win, appUrl)) {
        return { ok: false, error: { code: 'invalid-request', message: 'message from an untrusted frame' } };
      }
      return dispatchInvoke(handlers, channel, payload);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Events to the window; dropped once it is gone. */
export function windowEventSink(win: BrowserWindow): EventSink {
  return {
    emit(channel, payload) {
      if (!win.isDestroyed()) win.webContents.send(channel, payload);
    },
  };
}
