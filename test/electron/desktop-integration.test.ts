import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueUpdate } from '../../shared/model/transfer';
import { FakeBrowserWindow } from './electron-fake';

const fake = await vi.hoisted(async () => (await import('./electron-fake')).createElectronFake());
vi.mock('electron', () => fake.module);

const { taskbarState, TaskbarProgress } = await import('../../main/electron/taskbar-progress');
const { QueueNotifier, LONG_QUEUE_MS } = await import('../../main/electron/notifications');
const { desktopIntegration } = await import('../../main/electron/desktop-integration');
const { fitWindowState, rememberWindowState } = await import('../../main/electron/window-state');
const { appMenuTemplate, installAppMenu } = await import('../../main/electron/app-menu');

function queue(t: Partial<QueueUpdate['totals']>, paused = false): QueueUpdate {
  return { items: [], removed: [], paused, totals: { bytes: 0, transferred: 0, rate: 0, eta: null, queued: 0, active: 0, failed: 0, done: 0, ...t } };
}

describe('taskbar progress', () => {
  it('shows a bar only while the queue works, coloured by its state', () => {
    expect(taskbarState(queue({}))).toEqual({ value: -1, mode: 'none' });
    expect(taskbarState(queue({ active: 1 }))).toEqual({ value: 2, mode: 'indeterminate' });
    expect(taskbarState(queue({ active: 1, bytes: 200, transferred: 50 }))).toEqual({ value: 0.25, mode: 'normal' });
    expect(taskbarState(queue({ queued: 3, bytes: 200, transferred: 50 }, true))).toMatchObject({ mode: 'paused' });
    expect(taskbarState(queue({ active: 1, failed: 1, bytes: 100, transferred: 300 }))).toEqual({ value: 1, mode: 'error' });
  });

  it('calls Electron only when the bar visibly changes', () => {
    const win = new FakeBrowserWindow({});
    const spy = vi.spyOn(win, 'setProgressBar');
    const bar = new TaskbarProgress(win as never);
    for (let i = 0; i <= 1000; i++) bar.update(queue({ active: 1, bytes: 1000, transferred: i }));
    expect(spy.mock.calls.length).toBeLessThanOrEqual(101);
    expect(win.progress).toBe(1);
    bar.update(queue({}));
    expect(win.progress).toBe(-1);
    expect(win.progressMode).toBe('none');
  });
});

describe('queue notifications', () => {
  let now = 0;
  let focused = false;
  let shown: [string, string][];
  let notifier: InstanceType<typeof QueueNotifier>;
  beforeEach(() => {
    now = 1_000;
    focused = false;
    shown = [];
    notifier = new QueueNotifier((t, b) => shown.push([t, b]), () => focused, () => now);
  });

  it('notifies once when a long queue ends in the background, with counts for this run only', () => {
    notifier.update(queue({ queued: 5, done: 7, failed: 1 }));
    now += LONG_QUEUE_MS + 1;
    notifier.update(queue({ active: 1, done: 10, failed: 1 }));
    notifier.update(queue({ done: 12, failed: 1 }));
    notifier.update(queue({ done: 12, failed: 1 }));
    expect(shown).toEqual([['Transfers finished', '5 files transferred.']]);
  });

  it('reports failures', () => {
    notifier.update(queue({ active: 2 }));
    now += LONG_QUEUE_MS;
    notifier.update(queue({ done: 1, failed: 1 }));
    expect(shown).toEqual([['Transfers finished with errors', '1 file transferred, 1 file failed.']]);
  });

  it('stays quiet for short queues, a focused window, and pauses', () => {
    notifier.update(queue({ active: 1 }));
    now += LONG_QUEUE_MS - 1;
    notifier.update(queue({ done: 1 }));
    focused = true;
    notifier.update(queue({ active: 1 }));
    now += LONG_QUEUE_MS * 2;
    notifier.update(queue({ done: 2 }));
    focused = false;
    notifier.update(queue({ active: 1 }));
    now += LONG_QUEUE_MS * 2;
    notifier.update(queue({ queued: 4 }, true));
    expect(shown).toEqual([]);
  });

  it('reaches the OS through the desktop integration sink, and never names files', () => {
    fake.notifications.length = 0;
    const win = new FakeBrowserWindow({});
    const sink = desktopIntegration(win as never);
    const start = Date.now();
    vi.useFakeTimers({ now: start });
    try {
      sink.emit('queue:update', { ...queue({ active: 1, bytes: 10, transferred: 5 }), items: [{ localPath: '/secret/plan.pdf' } as never] });
      expect(win.progress).toBe(0.5);
      vi.setSystemTime(start + LONG_QUEUE_MS + 10);
      sink.emit('log:lines', []);
      sink.emit('queue:update', queue({ done: 1, bytes: 10, transferred: 10 }));
    } finally {
      vi.useRealTimers();
    }
    expect(win.progress).toBe(-1);
    expect(fake.notifications).toEqual([{ title: 'Transfers finished', body: '1 file transferred.' }]);
    expect(JSON.stringify(fake.notifications)).not.toContain('plan.pdf');
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('keeps a saved state that fits the screens', () => {
    expect(fitWindowState({ x: 100, y: 50, width: 1000, height: 700, maximized: true }, screens)).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: true });
  });

  it('clamps sizes and recentres a window left on a monitor that is gone', () => {
    expect(fitWindowState({ x: 3000, y: 100, width: 5000, height: 100 }, screens)).toEqual({ x: 0, y: 270, width: 1920, height: 500, maximized: false });
    expect(fitWindowState({ x: 100, y: -400, width: 900, height: 600 }, screens)).toMatchObject({ x: 510, y: 220 });
    const second = [...screens, { x: 1920, y: 0, width: 1280, height: 1000 }];
    expect(fitWindowState({ x: 2000, y: 10, width: 900, height: 600 }, second)).toMatchObject({ x: 2000, y: 10 });
  });

  it('ignores garbage', () => {
    for (const bad of [null, 'x', { x: 'a', y: 0, width: 1, height: 1 }, { x: Number.NaN, y: 0, width: 900, height: 600 }]) expect(fitWindowState(bad, screens)).toBeNull();
    expect(fitWindowState({ x: 0, y: 0, width: 900, height: 600 }, [])).toBeNull();
  });

  describe('remembered across runs', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ferry-winstate-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('restores the last bounds and saves changes on close', async () => {
      await writeFile(join(dir, 'window-state.json'), JSON.stringify({ x: 40, y: 30, width: 1100, height: 750, maximized: true }));
      const win = new FakeBrowserWindow({});
      const stop = rememberWindowState(win as never, dir, 10);
      expect(win.bounds).toEqual({ x: 40, y: 30, width: 1100, height: 750 });
      expect(win.maximized).toBe(true);
      win.bounds = { x: 60, y: 70, width: 900, height: 600 };
      win.maximized = false;
      win.emit('close');
      await vi.waitFor(async () => expect(JSON.parse(await readFile(join(dir, 'window-state.json'), 'utf8'))).toEqual({ x: 60, y: 70, width: 900, height: 600, maximized: false }));
      stop();
      expect(win.listenerCount('close')).toBe(0);
    });

    it('saves moves after a pause, and starts with defaults without a file', async () => {
      const win = new FakeBrowserWindow({});
      const before = { ...win.bounds };
      rememberWindowState(win as never, dir, 10);
      expect(win.bounds).toEqual(before);
      win.bounds = { x: 5, y: 6, width: 1000, height: 700 };
      win.emit('move');
      win.emit('resize');
      await vi.waitFor(async () => expect(JSON.parse(await readFile(join(dir, 'window-state.json'), 'utf8'))).toMatchObject({ x: 5, y: 6 }));
    });
  });
});

describe('app menu', () => {
  type Item = { label?: string; role?: string; accelerator?: string; submenu?: Item[]; click?: () => void; visible?: boolean };
  const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  const commands: string[] = [];
  const build = (platform: NodeJS.Platform, isPackaged: boolean) =>
    flat(appMenuTemplate({ platform, isPackaged, appName: 'Ferry', onCommand: (c) => commands.push(c) }) as Item[]);

  it('has the usual shortcuts and sends commands', () => {
    const items = build('linux', true);
    const acc = Object.fromEntries(items.filter((i) => i.accelerator).map((i) => [i.label ?? i.role, i.accelerator]));
    expect(acc).toMatchObject({ 'Quick Connect…': 'CmdOrCtrl+K', 'Site Manager…': 'CmdOrCtrl+S', Refresh: 'F5', Disconnect: 'CmdOrCtrl+D', Settings: 'CmdOrCtrl+,', quit: 'Ctrl+Q' });
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'togglefullscreen', 'minimize']) expect(items.some((i) => i.role === role), role).toBe(true);
    commands.length = 0;
    for (const i of items) i.click?.();
    expect(commands.sort()).toEqual(['disconnect', 'import-filezilla', 'quick-connect', 'refresh', 'settings', 'site-manager', 'toggle-hidden', 'trust-center']);
  });

  it('offers reload and developer tools only in development builds', () => {
    expect(build('linux', true).some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false);
    expect(build('linux', false).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('follows macOS conventions: app menu first, Cmd+R refresh, no duplicate accelerators', () => {
    const template = appMenuTemplate({ platform: 'darwin', isPackaged: true, appName: 'Ferry', onCommand: () => undefined }) as Item[];
    expect(template[0]?.label).toBe('Ferry');
    expect(template[0]?.submenu?.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    const items = flat(template);
    expect(items.find((i) => i.accelerator === 'Cmd+R')?.visible).toBe(false);
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const accelerators = build(platform, false).map((i) => i.accelerator).filter(Boolean);
      expect(new Set(accelerators).size, platform).toBe(accelerators.length);
    }
  });

  it('installs as the application menu', () => {
    installAppMenu({ platform: 'linux', isPackaged: true, appName: 'Ferry', onCommand: () => undefined });
    expect((fake.desktop.menu as { template: unknown[] }).template).toHaveLength(5);
  });
});
