import type { BrowserWindowConstructorOptions } from 'electron';

/** The one set of web preferences Ferry's window may have: isolated, sandboxed, no Node. */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Ferry',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}

/** The Content-Security-Policy sent with every response to the window. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Whether a URL is the app's own page (file:// bundle or the dev server it was started with). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const u = new URL(url);
    const a = new URL(appUrl);
    if (a.protocol === 'file:') return u.protocol === 'file:' && u.pathname === a.pathname;
    return u.origin === a.origin;
  } catch {
    return false;
  }
}

/**
 * The one permission the page may use: writing plain text to the clipboard ("Copy path", log and
 * certificate copy), and only from the app's own top frame. Reading the clipboard, media,
 * notifications from the page, geolocation and the rest stay denied.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean, appUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isMainFrame && requestingUrl !== undefined && isAppUrl(requestingUrl, appUrl);
}

/** Only http(s) links may be handed to the OS browser. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
