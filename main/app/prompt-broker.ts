import { randomUUID } from 'node:crypto';
import type { PromptAnswers, PromptEnvelope, PromptKind, PromptRequestOf } from '../../shared/ipc/prompts';
import { FerryError } from '../core/ferry-error';
import type { Prompter } from '../core/prompter';
import type { EventSink } from './event-sink';

/**
 * The GUI's Prompter: each question becomes a `prompt:request` event and waits for the
 * renderer's `prompt:answer`. Questions are shown one at a time, in order.
 */
export class PromptBroker implements Prompter {
  private readonly waiting = new Map<string, { envelope: PromptEnvelope; resolve: (answer: unknown) => void }>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly events: EventSink) {}

  ask<K extends PromptKind>(request: PromptRequestOf<K>, signal?: AbortSignal): Promise<PromptAnswers[K] | null> {
    const run = () =>
      new Promise<PromptAnswers[K] | null>((resolve) => {
        if (signal?.aborted) return resolve(null);
        const id = randomUUID();
        const onAbort = () => {
          if (this.waiting.delete(id)) {
            this.events.emit('prompt:closed', { id });
            resolve(null);
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.set(id, {
          envelope: { id, request } as PromptEnvelope,
          resolve: (answer) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(answer as PromptAnswers[K] | null);
          },
        });
        this.events.emit('prompt:request', { id, request });
      });
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The questions shown and not yet answered, for a renderer that (re)loads while one is open. */
  pending(): PromptEnvelope[] {
    return [...this.waiting.values()].map((w) => w.envelope);
  }

  /** Delivers the renderer's answer; an unknown id is an invalid request. */
  answer(id: string, answer: unknown): void {
    const entry = this.waiting.get(id);
    if (!entry) throw new FerryError('invalid-request', 'that question is no longer open');
    this.waiting.delete(id);
    entry.resolve(answer);
  }

  /** Cancels every open question (window closed). */
  cancelAll(): void {
    for (const [id, entry] of this.waiting) {
      this.waiting.delete(id);
      this.events.emit('prompt:closed', { id });
      entry.resolve(null);
    }
  }
}
