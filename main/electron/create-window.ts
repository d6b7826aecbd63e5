import { BrowserWindow, session, shell } from 'electron';
import { UserGestureClock } from './user-gesture';
import { CONTENT_SECURITY_POLICY, isAppUrl, isExternalLinkAllowed, isPermissionAllowed, secureWindowOptions } from './window-options';

/**
 * Creates the main window with the secure options, a CSP header on every response, navigation
 * and window.open denied (http(s) links the user clicked open in the OS browser), and no permission granted but
 * writing text to the clipboard from the app page.
 */
export function createMainWindow(preloadPath: string, appUrl: string): BrowserWindow {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame, appUrl)),
  );
  ses.setPermissionCheckHandler((_wc, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame, appUrl),
  );

  const win = new BrowserWindow(secureWindowOptions(preloadPath));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // Links go to the OS browser only when http(s) and right after the user's own click or key press.
  const gestures = new UserGestureClock();
  win.webContents.on('before-mouse-event', (_event, mouse) => gestures.note(mouse));
  win.webContents.on('before-input-event', (_event, input) => gestures.note(input));
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url) && gestures.recent()) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}
