import { create } from 'zustand';
import type { AppSettings } from '../../shared/ipc/contract';
import { ferry } from '../ferry-api';

/** Layout used until main's settings arrive. */
export const DEFAULT_LAYOUT: AppSettings['layout'] = { paneSplit: 0.5, queueHeight: 240 };

/** What the UI uses when main cannot provide settings: nothing is saved then. */
export const FALLBACK_SETTINGS: AppSettings = {
  theme: 'system',
  parallel: 4,
  timeoutSec: 30,
  logLevel: 'info',
  onExists: 'ask',
  layout: DEFAULT_LAYOUT,
};

/** Settings mirrored from main; layout changes are saved back, debounced. */
export interface SettingsState {
  readonly settings: AppSettings | null;
  /** False when main could not load settings: changes then live only in this window. */
  readonly persisted: boolean;
  load(): Promise<void>;
  /** Applies and saves a change; resolves to main's refusal message, or null when saved. */
  update(patch: Partial<AppSettings>): Promise<string | null>;
  /** Changes the layout now and saves it shortly after the user stops dragging. */
  setLayout(patch: Partial<AppSettings['layout']>): void;
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;

/** The settings store. */
export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: null,
  persisted: false,
  async load() {
    const res = await ferry().settingsGet({});
    set(res.ok ? { settings: res.value, persisted: true } : { settings: FALLBACK_SETTINGS, persisted: false });
  },
  async update(patch) {
    const current = get().settings ?? FALLBACK_SETTINGS;
    if (!get().persisted) {
      set({ settings: { ...current, ...patch } });
      return null;
    }
    const res = await ferry().settingsSet({ settings: patch });
    if (!res.ok) return res.error.message;
    set({ settings: res.value });
    return null;
  },
  setLayout(patch) {
    const current = get().settings;
    if (!current) return;
    const layout = { ...current.layout, ...patch };
    set({ settings: { ...current, layout } });
    if (!get().persisted) return;
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = null;
      void ferry().settingsSet({ settings: { layout } });
    }, 400);
  },
}));

/** Applies the theme setting to the document: 'system' follows prefers-color-scheme via CSS. */
export function applyTheme(theme: AppSettings['theme'] | undefined): void {
  const root = document.documentElement;
  if (!theme || theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
