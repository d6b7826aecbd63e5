import type { PromptAnswers, PromptKind, PromptRequestOf } from '../../shared/ipc/prompts';

/**
 * Asks the user a question and awaits the answer. Implemented by the GUI's prompt broker
 * (renderer dialogs), the CLI's TTY prompter and the CLI's flag-based non-interactive prompter.
 * Resolves null when there is nobody to ask or the user cancelled.
 */
export interface Prompter {
  ask<K extends PromptKind>(request: PromptRequestOf<K>, signal?: AbortSignal): Promise<PromptAnswers[K] | null>;
}

/** Answers nothing: every question is "no". For code paths where no one may be asked. */
export const refusingPrompter: Prompter = {
  async ask() {
    return null;
  },
};
