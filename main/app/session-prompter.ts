import type { PromptAnswers, PromptKind, PromptRequest, PromptRequestOf } from '../../shared/ipc/prompts';
import type { Prompter } from '../core/prompter';

/**
 * One browsing session's memory of what the user already answered, so the transfer queue's own
 * connections for that session do not ask again: consent to plain FTP, trust of this exact host
 * key or certificate (also "this time only"), and a typed password or passphrase. A changed key,
 * keyboard-interactive challenges and file-exists questions are always asked.
 */
export class SessionPrompter implements Prompter {
  private readonly answers = new Map<string, unknown>();

  constructor(private readonly inner: Prompter) {}

  async ask<K extends PromptKind>(request: PromptRequestOf<K>, signal?: AbortSignal): Promise<PromptAnswers[K] | null> {
    const key = memoKey(request);
    if (key !== undefined && this.answers.has(key)) return this.answers.get(key) as PromptAnswers[K];
    const answer = await this.inner.ask(request, signal);
    if (key !== undefined && answer !== null && isAcceptance(request, answer)) this.answers.set(key, answer);
    return answer;
  }
}

function memoKey(request: PromptRequest): string | undefined {
  switch (request.kind) {
    case 'plain-ftp':
      return `plain ${request.host}:${request.port}`;
    case 'host-key':
    case 'certificate':
      return request.previousFingerprint ? undefined : `${request.kind} ${request.host}:${request.port} ${request.fingerprint}`;
    case 'secret':
      return `secret ${request.purpose} ${request.subject}`;
    default:
      return undefined;
  }
}

function isAcceptance(request: PromptRequest, answer: unknown): boolean {
  if (request.kind === 'plain-ftp') return answer === 'once' || answer === 'always';
  if (request.kind === 'host-key' || request.kind === 'certificate') return answer === 'trust-once' || answer === 'trust-always';
  return true;
}
