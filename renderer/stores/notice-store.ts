import { create } from 'zustand';

/** A short message shown at the bottom right: a failed action or a hint. */
export interface Notice {
  readonly id: number;
  readonly tone: 'error' | 'info';
  readonly text: string;
}

/** Transient notices; each disappears after a few seconds or when dismissed. */
export interface NoticeState {
  readonly notices: readonly Notice[];
  show(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** The notice store. */
export const useNoticeStore = create<NoticeState>()((set, get) => ({
  notices: [],
  show(tone, text) {
    const id = nextId++;
    set((s) => ({ notices: [...s.notices.slice(-2), { id, tone, text }] }));
    setTimeout(() => get().dismiss(id), tone === 'error' ? 8000 : 3000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

/** Shorthand for actions: show an error notice. */
export function notifyError(text: string): void {
  useNoticeStore.getState().show('error', text);
}
