import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../shared/ipc/contract';
import type { Handlers } from '../../main/ipc/handlers';
import { FakeBrowserWindow } from './electron-fake';

const fake = await vi.hoisted(async () => (await import('./electron-fake')).createElectronFake());
vi.mock('electron', () => fake.module);

const { createMainWindow } = await import('../../main/electron/create-window');
const { CONTENT_SECURITY_POLICY, isExternalLinkAllowed, secureWindowOptions } = await import('../../main/electron/window-options');
const { registerIpc } = await import('../../main/ipc/register-ipc');
const { GESTURE_WINDOW_MS, UserGestureClock } = await import('../../main/electron/user-gesture');

const APP_URL = 'file:///opt/Ferry/resources/app.asar/out/renderer/index.html';
const PRELOAD = '/opt/Ferry/resources/app.asar/out/preload/preload.cjs';

function navigate(win: FakeBrowserWindow, url: string): boolean {
  let prevented = false;
  win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('main window options', () => {
  it('isolates, sandboxes and keeps Node out of the page', () => {
    const prefs = secureWindowOptions(PRELOAD).webPreferences!;
    expect(prefs).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('creates the window with exactly those options and loads the app URL', () => {
    const win = createMainWindow(PRELOAD, APP_URL) as unknown as FakeBrowserWindow;
    expect(win.options).toEqual(secureWindowOptions(PRELOAD));
    expect(win.loadedUrl).toBe(APP_URL);
  });
});

describe('content security policy', () => {
  it('sends a strict CSP header with every response, replacing none of the other headers', () => {
    createMainWindow(PRELOAD, APP_URL);
    let headers: Record<string, string[]> | undefined;
    fake.session.headersListener!({ url: APP_URL, responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers?.['X-Other']).toEqual(['1']);
  });

  it("allows scripts only from the app itself: no inline scripts, eval, objects, base tags or framing", () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|https?:/);
  });

  it('is also in the page itself for file:// loads, as strict for scripts', async () => {
    const html = await readFile(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(meta).toMatch(/script-src 'self'(;|$)/);
    expect(meta).toMatch(/object-src 'none'/);
    expect(meta).not.toMatch(/unsafe-eval/);
  });
});

describe('navigation, new windows, webviews and permissions', () => {
  let win: FakeBrowserWindow;
  beforeEach(() => {
    fake.opened.length = 0;
    win = createMainWindow(PRELOAD, APP_URL) as unknown as FakeBrowserWindow;
  });

  it('blocks navigation away from the app page', () => {
    expect(navigate(win, APP_URL)).toBe(false);
    expect(navigate(win, `${APP_URL}#/sites`)).toBe(false);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/Ferry/resources/app.asar/out/renderer/other.html', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'not a url']) {
      expect(navigate(win, url), url).toBe(true);
    }
  });

  it('allows only the dev server origin when started from one', () => {
    const dev = createMainWindow(PRELOAD, 'http://localhost:5173/') as unknown as FakeBrowserWindow;
    expect(navigate(dev, 'http://localhost:5173/index.html')).toBe(false);
    expect(navigate(dev, 'http://localhost:5174/')).toBe(true);
    expect(navigate(dev, 'http://127.0.0.1:5173/')).toBe(true);
  });

  it('denies every window.open and hands only http(s) links the user just clicked to the OS browser', async () => {
    // Without a click or key press first, nothing is opened, not even an https link.
    expect(win.webContents.windowOpenHandler!({ url: 'https://unasked.example/' })).toEqual({ action: 'deny' });
    win.webContents.emit('before-mouse-event', {}, { type: 'mouseMove', x: 1, y: 1 });
    win.webContents.emit('before-mouse-event', {}, { type: 'mouseUp', button: 'right', x: 1, y: 1 });
    expect(win.webContents.windowOpenHandler!({ url: 'https://unasked.example/again' })).toEqual({ action: 'deny' });
    win.webContents.emit('before-mouse-event', {}, { type: 'mouseUp', button: 'left', x: 1, y: 1 });
    expect(win.webContents.windowOpenHandler!({ url: 'https://ferry.example/docs' })).toEqual({ action: 'deny' });
    win.webContents.emit('before-input-event', {}, { type: 'keyDown', key: 'Enter' });
    expect(win.webContents.windowOpenHandler!({ url: 'http://example.org/' })).toEqual({ action: 'deny' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'vscode://x', 'data:text/html,x', '//evil']) {
      expect(win.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(fake.opened).toEqual(['https://ferry.example/docs', 'http://example.org/']);
  });

  it('counts a gesture for one second only', () => {
    let now = 10_000;
    const clock = new UserGestureClock(() => now);
    expect(clock.recent()).toBe(false);
    clock.note({ type: 'keyDown', key: ' ' });
    now += GESTURE_WINDOW_MS;
    expect(clock.recent()).toBe(true);
    now += 1;
    expect(clock.recent()).toBe(false);
    clock.note({ type: 'keyDown', key: 'a' });
    clock.note({ type: 'mouseDown', button: 'left' });
    expect(clock.recent()).toBe(false);
    clock.note({ type: 'mouseUp', button: 'middle' });
    expect(clock.recent()).toBe(true);
  });

  it('judges external links by scheme only', () => {
    expect(isExternalLinkAllowed('HTTPS://EXAMPLE.ORG')).toBe(true);
    expect(isExternalLinkAllowed('  https://x')).toBe(true);
    expect(isExternalLinkAllowed('file://host/share')).toBe(false);
    expect(isExternalLinkAllowed('')).toBe(false);
  });

  it('refuses to attach webviews', () => {
    let prevented = false;
    win.webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('grants no permission requests but clipboard text writes from the app page (camera, notifications, clipboard read...)', () => {
    const app = { requestingUrl: APP_URL, isMainFrame: true };
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      fake.session.permissionHandler!({}, permission, (g) => (granted = g), app);
      expect(granted, permission).toBe(false);
      expect(fake.session.permissionCheckHandler!({}, permission, 'file:///', app), permission).toBe(false);
    }
    const ask = (details: { requestingUrl?: string; isMainFrame: boolean }) => {
      let granted: boolean | undefined;
      fake.session.permissionHandler!({}, 'clipboard-sanitized-write', (g) => (granted = g), details);
      const checked = fake.session.permissionCheckHandler!({}, 'clipboard-sanitized-write', 'file:///', details);
      expect(checked).toBe(granted);
      return granted;
    };
    expect(ask(app)).toBe(true);
    expect(ask({ requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(ask({ requestingUrl: 'file:///tmp/evil.html', isMainFrame: true })).toBe(false);
    expect(ask({ requestingUrl: APP_URL, isMainFrame: false })).toBe(false);
    expect(ask({ isMainFrame: true })).toBe(false);
  });
});

describe('IPC registration', () => {
  function setup() {
    fake.handlers.clear();
    const win = new FakeBrowserWindow({});
    const calls: [string, unknown][] = [];
    const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, async (req: unknown) => (calls.push([c, req]), 'ok')])) as unknown as Handlers;
    const unregister = registerIpc(handlers, win as never, APP_URL);
    const event = (over: { id?: number; url?: string; parent?: unknown } = {}) => ({
      sender: { id: over.id ?? win.webContents.id },
      senderFrame: { url: over.url ?? APP_URL, parent: over.parent ?? null },
    });
    return { win, calls, unregister, event };
  }

  it('registers exactly one handler per contract channel and removes them again', () => {
    const { unregister } = setup();
    expect([...fake.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(fake.handlers.size).toBe(0);
  });

  it('serves the trusted top frame of its own window', async () => {
    const { calls, event } = setup();
    expect(await fake.handlers.get('fs:list')!(event(), { path: '/tmp' })).toEqual({ ok: true, value: 'ok' });
    expect(calls).toEqual([['fs:list', { path: '/tmp' }]]);
  });

  it('refuses other windows, subframes and foreign pages without calling the handler', async () => {
    const { calls, event } = setup();
    for (const e of [event({ id: 9999 }), event({ parent: {} }), event({ url: 'https://evil.example/' }), event({ url: 'file:///tmp/evil.html' })]) {
      expect(await fake.handlers.get('fs:list')!(e, { path: '/' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(await fake.handlers.get('fs:list')!({ sender: { id: 1 }, senderFrame: null }, { path: '/' })).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });

  it('answers hostile payloads with invalid-request, never calling the handler or throwing', async () => {
    const { calls, event } = setup();
    const hostile: [string, unknown][] = [
      ['fs:list', null],
      ['fs:list', 'path'],
      ['fs:list', ['/']],
      ['fs:list', { path: 1 }],
      ['fs:list', JSON.parse('{"path":"/","__proto__":{"x":1}}')],
      ['fs:delete', { paths: new Array(20_000).fill('/') }],
      ['session:connect', { target: { protocol: 'sftp', host: 'h'.repeat(10_000), port: 22 } }],
      ['sites:save', { site: { constructor: { prototype: {} } } }],
      ['settings:set', { settings: { theme: 'dark', evil: true } }],
      ['prompt:answer', { id: 'x', answer: { value: 'x'.repeat(100_000) } }],
    ];
    for (const [channel, payload] of hostile) {
      const result = await fake.handlers.get(channel)!(event(), payload);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(calls).toEqual([]);
  });

  it('turns a throwing handler into an error result without a stack', async () => {
    fake.handlers.clear();
    const win = new FakeBrowserWindow({});
    const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, async () => { throw new Error('secret detail at /home/x'); }])) as unknown as Handlers;
    registerIpc(handlers, win as never, APP_URL);
    const result = (await fake.handlers.get('fs:home')!({ sender: { id: win.webContents.id }, senderFrame: { url: APP_URL, parent: null } }, {})) as { ok: boolean; error: Record<string, unknown> };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('internal');
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
  });
});
