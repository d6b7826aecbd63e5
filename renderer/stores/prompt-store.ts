import { create } from 'zustand';
import type { PromptAnswers, PromptEnvelope, PromptKind } from '../../shared/ipc/prompts';
import { ferry } from '../ferry-api';

/**
 * Questions from main waiting for the user, shown one at a time, oldest first. Answers are kept
 * by main (a file-exists "apply to all" belongs to the transfer batch there), never here.
 */
export interface PromptState {
  readonly pending: readonly PromptEnvelope[];
  /** Adds a question (once, however often main or a reload sends it). */
  readonly push: (envelope: PromptEnvelope) => void;
  /** Drops a question main withdrew or the user answered. */
  readonly remove: (id: string) => void;
  /** Sends the answer (null = cancel) to main and closes the dialog. */
  readonly answer: <K extends PromptKind>(id: string, answer: PromptAnswers[K] | null) => Promise<void>;
}

/** The prompt store. */
export const usePromptStore = create<PromptState>()((set, get) => ({
  pending: [],
  push(envelope) {
    if (get().pending.some((p) => p.id === envelope.id)) return;
    set((s) => ({ pending: [...s.pending, envelope] }));
  },
  remove(id) {
    set((s) => ({ pending: s.pending.filter((p) => p.id !== id) }));
  },
  async answer(id, answer) {
    get().remove(id);
    await ferry().promptAnswer({ id, answer });
  },
}));
