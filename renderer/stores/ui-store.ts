import { create } from 'zustand';
import type { PaneSide } from './panes';

/** Window-level modals the UI opens itself (prompts from main are separate). */
export type Modal = 'sites' | 'trust' | 'settings';

/** Which modal is open and which pane had focus last (the target of menu Refresh / hidden files). */
export interface UiState {
  readonly modal: Modal | null;
  readonly activePane: PaneSide;
  /** Set to ask the site manager to open its FileZilla file picker; it clears the flag. */
  readonly importPending: boolean;
  /** Bumped to focus the quickconnect host field. */
  readonly quickConnectRequest: number;
  open(modal: Modal): void;
  close(): void;
  setActivePane(side: PaneSide): void;
  requestImport(): void;
  clearImport(): void;
  requestQuickConnect(): void;
}

/** The UI store. */
export const useUiStore = create<UiState>()((set) => ({
  modal: null,
  activePane: 'local',
  importPending: false,
  quickConnectRequest: 0,
  open: (modal) => set({ modal }),
  close: () => set({ modal: null }),
  setActivePane: (activePane) => set({ activePane }),
  requestImport: () => set({ modal: 'sites', importPending: true }),
  clearImport: () => set({ importPending: false }),
  requestQuickConnect: () => set((s) => ({ modal: null, quickConnectRequest: s.quickConnectRequest + 1 })),
}));
