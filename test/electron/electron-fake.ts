import { EventEmitter } from 'node:events';

/**
 * A small stand-in for the parts of Electron the shell uses, for `vi.mock('electron')`:
 * it records what the code under test configured so tests can drive those hooks.
 */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: [string, unknown][] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  destroyed = false;
  progress: number | undefined;
  bounds = { x: 10, y: 20, width: 1280, height: 820 };
  maximized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds() {
    return this.bounds;
  }
  progressMode: string | undefined;
  setProgressBar(value: number, options?: { mode?: string }): void {
    this.progress = value;
    this.progressMode = options?.mode;
  }
  setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = bounds;
  }
  maximize(): void {
    this.maximized = true;
  }
  isFocused(): boolean {
    return false;
  }
}

export interface PermissionDetails {
  requestingUrl?: string;
  isMainFrame: boolean;
}

export interface FakeSession {
  headersListener: ((details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void) | undefined;
  permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: PermissionDetails) => void) | undefined;
  permissionCheckHandler: ((wc: unknown, permission: string, origin: string, details: PermissionDetails) => boolean) | undefined;
}

/** Builds the module object `vi.mock('electron', ...)` returns. */
export function createElectronFake() {
  const session: FakeSession = { headersListener: undefined, permissionHandler: undefined, permissionCheckHandler: undefined };
  const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  const opened: string[] = [];
  const notifications: { title: string; body: string }[] = [];
  const desktop = { menu: undefined as unknown, displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }], notificationsSupported: true };
  class FakeNotification extends EventEmitter {
    static isSupported = () => desktop.notificationsSupported;
    constructor(private readonly opts: { title: string; body: string }) {
      super();
    }
    show(): void {
      notifications.push({ title: this.opts.title, body: this.opts.body });
    }
  }
  return {
    session,
    handlers,
    opened,
    notifications,
    desktop,
    module: {
      Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (menu: unknown) => (desktop.menu = menu) },
      Notification: FakeNotification,
      screen: { getAllDisplays: () => desktop.displays },
      BrowserWindow: FakeBrowserWindow,
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: (l: FakeSession['headersListener']) => (session.headersListener = l) },
          setPermissionRequestHandler: (h: FakeSession['permissionHandler']) => (session.permissionHandler = h),
          setPermissionCheckHandler: (h: FakeSession['permissionCheckHandler']) => (session.permissionCheckHandler = h),
        },
      },
      shell: { openExternal: async (url: string) => void opened.push(url) },
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => {
          if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
          handlers.set(channel, fn);
        },
        removeHandler: (channel: string) => handlers.delete(channel),
      },
    },
  };
}
