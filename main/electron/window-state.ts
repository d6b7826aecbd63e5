import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { writeJsonFile } from '../core/json-file';

/** Where and how big the main window was, in `window-state.json` in the state dir. */
export interface WindowState {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

const MIN_WIDTH = 800;
const MIN_HEIGHT = 500;
/** At least this much of the title bar must be on a screen, or the saved position is dropped. */
const VISIBLE_PX = 100;

/**
 * Makes a saved state safe to apply on today's screens: sizes clamped to the minimum and to the
 * largest work area, and the position dropped (OS default) when the window would be off-screen,
 * e.g. after unplugging a monitor. Returns null for anything unreadable.
 */
export function fitWindowState(saved: unknown, workAreas: readonly Rectangle[]): WindowState | null {
  const s = saved as Partial<WindowState> | null;
  if (!s || typeof s !== 'object' || workAreas.length === 0) return null;
  const nums = [s.x, s.y, s.width, s.height];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.round(Math.min(Math.max(s.width as number, MIN_WIDTH), Math.max(maxW, MIN_WIDTH)));
  const height = Math.round(Math.min(Math.max(s.height as number, MIN_HEIGHT), Math.max(maxH, MIN_HEIGHT)));
  const x = Math.round(s.x as number);
  const y = Math.round(s.y as number);
  const titleBarVisible = workAreas.some((a) => {
    const overlap = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
    return overlap >= Math.min(VISIBLE_PX, width) && y >= a.y && y < a.y + a.height - 20;
  });
  const primary = workAreas[0] as Rectangle;
  const placed = titleBarVisible
    ? { x, y }
    : { x: primary.x + Math.round((primary.width - Math.min(width, primary.width)) / 2), y: primary.y + Math.round((primary.height - Math.min(height, primary.height)) / 2) };
  return { ...placed, width, height, maximized: s.maximized === true };
}

/** Reads the saved state (synchronously: a tiny file, needed before the window shows). */
export function loadWindowState(stateDir: string, workAreas: readonly Rectangle[]): WindowState | null {
  try {
    return fitWindowState(JSON.parse(readFileSync(join(stateDir, 'window-state.json'), 'utf8')), workAreas);
  } catch {
    return null;
  }
}

/**
 * Restores the main window's last size, position and maximized state, then remembers changes
 * (debounced, and once more on close). Returns a function that stops tracking.
 */
export function rememberWindowState(win: BrowserWindow, stateDir: string, debounceMs = 500): () => void {
  const saved = loadWindowState(stateDir, screen.getAllDisplays().map((d) => d.workArea));
  if (saved) {
    win.setBounds({ x: saved.x, y: saved.y, width: saved.width, height: saved.height });
    if (saved.maximized) win.maximize();
  }
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    void writeJsonFile(join(stateDir, 'window-state.json'), { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() }).catch(() => undefined);
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
    timer.unref?.();
  };
  const events = ['resize', 'move', 'maximize', 'unmaximize'] as const;
  for (const e of events) win.on(e as 'resize', later);
  win.on('close', save);
  return () => {
    if (timer) clearTimeout(timer);
    for (const e of events) win.removeListener(e as 'resize', later);
    win.removeListener('close', save);
  };
}
