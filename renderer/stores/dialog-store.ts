import { create } from 'zustand';
import type { ChmodRecurse } from '../../shared/model/chmod';

/** A UI-owned dialog (not a prompt from main): confirm, text input or permissions. */
export type UiDialog =
  | { kind: 'confirm'; title: string; message: string; danger?: boolean; confirmLabel: string; resolve: (ok: boolean) => void }
  | { kind: 'input'; title: string; label: string; initial: string; confirmLabel: string; validate?: (v: string) => string | null; resolve: (value: string | null) => void }
  | { kind: 'chmod'; title: string; initial: number; folders: boolean; resolve: (choice: ModeChoice | null) => void };

/** Permission bits chosen in the dialog; `recurse` only when folders were among the targets. */
export interface ModeChoice {
  readonly mode: number;
  readonly recurse?: ChmodRecurse;
}

/** One UI dialog at a time, opened from actions and awaited as a promise. */
export interface DialogState {
  readonly current: UiDialog | null;
  open(dialog: UiDialog): void;
  close(): void;
}

/** The dialog store. */
export const useDialogStore = create<DialogState>()((set) => ({
  current: null,
  open: (dialog) => set({ current: dialog }),
  close: () => set({ current: null }),
}));

/** Asks a yes/no question; resolves true on confirm. */
export function askConfirm(opts: { title: string; message: string; danger?: boolean; confirmLabel?: string }): Promise<boolean> {
  return new Promise((resolve) =>
    useDialogStore.getState().open({ kind: 'confirm', confirmLabel: 'OK', ...opts, resolve }),
  );
}

/** Asks for a line of text; resolves null on cancel. */
export function askText(opts: { title: string; label: string; initial?: string; confirmLabel?: string; validate?: (v: string) => string | null }): Promise<string | null> {
  return new Promise((resolve) =>
    useDialogStore.getState().open({ kind: 'input', initial: '', confirmLabel: 'OK', ...opts, resolve }),
  );
}

/** Asks for permission bits (and, with folders, whether to recurse); resolves null on cancel. */
export function askMode(opts: { title: string; initial: number; folders: boolean }): Promise<ModeChoice | null> {
  return new Promise((resolve) => useDialogStore.getState().open({ kind: 'chmod', ...opts, resolve }));
}
