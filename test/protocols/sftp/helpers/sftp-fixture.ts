import { mkdir, mkdtemp } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptAnswers, PromptKind, PromptRequest } from '../../../../shared/ipc/prompts';
import { runCli } from '../../../../main/cli/cli-main';
import { createLogger, type Logger } from '../../../../main/core/logger';
import type { Prompter } from '../../../../main/core/prompter';
import type { ConnectOptions } from '../../../../main/protocols/remote-fs';
import { SftpRemoteFs } from '../../../../main/protocols/sftp/sftp-adapter';
import type { SftpTuning } from '../../../../main/protocols/sftp/sftp-tuning';
import { removeTree } from './temp-dir-sftp';

/** A per-test folder under os.tmpdir(): `root` served by the test server, `state`, `local`. */
export interface Dirs {
  readonly base: string;
  readonly root: string;
  readonly state: string;
  readonly local: string;
  cleanup(): Promise<void>;
}

export async function makeDirs(): Promise<Dirs> {
  const base = await mkdtemp(join(tmpdir(), 'ferry-sftp-test-'));
  const dirs = { base, root: join(base, 'root'), state: join(base, 'state'), local: join(base, 'local') };
  await Promise.all([mkdir(dirs.root), mkdir(dirs.state), mkdir(dirs.local)]);
  return { ...dirs, cleanup: () => removeTree(base) };
}

/** A prompter that answers from a script and records every question. */
export function scriptedPrompter(answer: (r: PromptRequest) => unknown): Prompter & { asked: PromptRequest[] } {
  const asked: PromptRequest[] = [];
  return {
    asked,
    async ask<K extends PromptKind>(request: PromptRequest & { kind: K }): Promise<PromptAnswers[K] | null> {
      asked.push(request);
      return (answer(request) ?? null) as PromptAnswers[K] | null;
    },
  } as Prompter & { asked: PromptRequest[] };
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(`${l.level} ${l.text}`) });
  return Object.assign(logger, { lines });
}

/** An adapter for the test server, trusting its key up front unless told otherwise. */
export function adapterFor(
  port: number,
  dirs: Dirs,
  over: Partial<ConnectOptions> & { user?: string } = {},
  tuning: SftpTuning = {},
): SftpRemoteFs {
  const { user, ...rest } = over;
  const options: ConnectOptions = {
    target: { protocol: 'sftp', host: '127.0.0.1', port, user: user ?? 'alice' },
    password: 'secret',
    stateDir: dirs.state,
    prompter: scriptedPrompter(() => null),
    logger: memoryLogger(),
    acceptNew: true,
    // Generous: a loaded CI machine must not turn a slow login into a failure (tests of deadlines set their own).
    timeouts: { connectMs: 15_000, loginMs: 15_000, commandMs: 15_000, idleMs: 15_000 },
    ...rest,
  };
  return new SftpRemoteFs(options, { knownHostsPath: join(dirs.base, 'no-known-hosts'), env: {}, ...tuning });
}

/** Writes `size` random bytes to `path` and returns them. */
export async function randomFile(path: string, size: number): Promise<Buffer> {
  const { randomBytes } = await import('node:crypto');
  const { writeFile } = await import('node:fs/promises');
  const data = randomBytes(size);
  await writeFile(path, data);
  return data;
}

/** Runs the `ferry` CLI in-process, non-interactive; returns the exit code and both outputs. */
export async function runFerry(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; text: string; errText: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let errText = '';
  out.on('data', (c) => (text += c));
  err.on('data', (c) => (errText += c));
  const code = await runCli(args, { stdout: out, stderr: err, stdin: new PassThrough(), interactive: false, env });
  return { code, text, errText };
}
