import type { PromptAnswers, PromptKind, PromptRequest } from '../../../../shared/ipc/prompts';
import type { Protocol } from '../../../../shared/model/connection';
import type { LogLine } from '../../../../shared/model/log-line';
import { createLogger } from '../../../../main/core/logger';
import type { Prompter } from '../../../../main/core/prompter';
import { FtpRemoteFs, type FtpAdapterOptions } from '../../../../main/protocols/ftp/ftp-adapter';
import type { ConnectOptions, Timeouts } from '../../../../main/protocols/remote-fs';

/** A prompter that records every question (with the time it was asked) and answers from a table. */
export function recordingPrompter(answers: Partial<{ [K in PromptKind]: PromptAnswers[K] | null }>): Prompter & { asked: { request: PromptRequest; at: number }[] } {
  const asked: { request: PromptRequest; at: number }[] = [];
  return {
    asked,
    async ask(request) {
      asked.push({ request, at: Date.now() });
      const a = answers[request.kind];
      return (a === undefined ? null : a) as never;
    },
  };
}

export const SHORT_TIMEOUTS: Timeouts = { connectMs: 1500, tlsMs: 1000, loginMs: 1500, commandMs: 1500, idleMs: 2000 };

/** An FtpRemoteFs against 127.0.0.1:port with a log captured in `lines`. */
export function makeFs(opts: {
  protocol: Protocol;
  port: number;
  stateDir: string;
  prompter: Prompter;
  user?: string;
  /** null: none given (the adapter asks or logs in anonymously). */
  password?: string | null;
  timeouts?: Partial<Timeouts>;
  allowPlain?: boolean;
  acceptNew?: boolean;
  adapter?: FtpAdapterOptions;
  charset?: string;
  /** false: active mode. */
  passive?: boolean;
  onTrustChanged?: ConnectOptions['onTrustChanged'];
}): { fs: FtpRemoteFs; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const fs = new FtpRemoteFs(
    {
      target: { protocol: opts.protocol, host: '127.0.0.1', port: opts.port, user: opts.user ?? 'alice', ...(opts.charset ? { charset: opts.charset } : {}), ...(opts.passive === false ? { passive: false } : {}) },
      ...(opts.password === null ? {} : { password: opts.password ?? 'secret' }),
      stateDir: opts.stateDir,
      prompter: opts.prompter,
      logger: createLogger({ write: (l) => lines.push(l) }),
      timeouts: opts.timeouts ?? SHORT_TIMEOUTS,
      ...(opts.allowPlain !== undefined ? { allowPlain: opts.allowPlain } : {}),
      ...(opts.acceptNew !== undefined ? { acceptNew: opts.acceptNew } : {}),
      ...(opts.onTrustChanged ? { onTrustChanged: opts.onTrustChanged } : {}),
    },
    opts.adapter ?? {},
  );
  return { fs, lines };
}

/** Resolves with the FerryError code the promise rejects with (fails the test if it resolves). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('expected a failure');
}
