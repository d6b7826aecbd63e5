import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { FanOutSink } from './app/event-sink';
import { FerryCore } from './app/ferry-core';
import { installAppMenu } from './electron/app-menu';
import { createMainWindow } from './electron/create-window';
import { desktopIntegration } from './electron/desktop-integration';
import { openLocalPath } from './electron/open-local';
import { rememberWindowState } from './electron/window-state';
import { createHandlers } from './ipc/handlers';
import { registerIpc, windowEventSink } from './ipc/register-ipc';
import { electronSafeStorage } from './trust/safe-storage-secrets';

// The Electron entry: a thin shell around the plain-Node core.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setName('Ferry');
  const events = new FanOutSink();
  let core: FerryCore | undefined;
  let win: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(async () => {
    const stateDir = app.getPath('userData');
    core = new FerryCore({ stateDir, events, safeStorage: electronSafeStorage(), openLocal: openLocalPath });
    await core.start();
    const preload = join(import.meta.dirname, '../preload/preload.cjs');
    const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).toString();
    win = createMainWindow(preload, appUrl);
    events.add(windowEventSink(win));
    events.add(desktopIntegration(win));
    rememberWindowState(win, stateDir);
    installAppMenu({ platform: process.platform, isPackaged: app.isPackaged, appName: app.getName(), onCommand: (command) => events.emit('app:command', { command }) });
    registerIpc(createHandlers(core), win, appUrl);
    win.on('closed', () => {
      core?.prompts.cancelAll();
      win = undefined;
    });
  });

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void core?.close();
  });
}
