import { readFile } from 'node:fs/promises';
import { parseFerryUrl, UrlError } from '../../shared/model/parse-url';
import type { ParsedUrl } from '../../shared/model/connection';
import type { LogLine } from '../../shared/model/log-line';
import { FerryError } from '../core/ferry-error';
import { createLogger, nullSink, type Logger } from '../core/logger';
import type { Prompter } from '../core/prompter';
import { defaultStateDir } from '../core/state-dir';
import type { ConnectOptions, Timeouts } from '../protocols/remote-fs';
import type { CliOptions } from './cli-args';
import { flagPrompter, ttyPrompter } from './cli-prompters';

/** What the CLI runs against: streams, environment, whether a person is at a terminal. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** stdin and stderr are a terminal: questions may be asked. */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** Everything a CLI command needs, built once from the options. */
export interface CliContext {
  readonly io: CliIo;
  readonly options: CliOptions;
  readonly logger: Logger;
  readonly prompter: Prompter;
  readonly stateDir: string;
}

export function createCliContext(options: CliOptions, io: CliIo): CliContext {
  const sink = options.verbose
    ? { write: (l: LogLine) => io.stderr.write(`${new Date(l.time).toISOString()} ${l.level.padEnd(7)} [${l.source}] ${l.text}\n`) }
    : nullSink;
  const logger = createLogger(sink, 'cli');
  const prompter = io.interactive ? ttyPrompter(options, { input: io.stdin, output: io.stderr }) : flagPrompter(options);
  return { io, options, logger, prompter, stateDir: options.stateDir ?? defaultStateDir(io.env) };
}

/** Parses a URL argument, turning a bad one into a usage error. */
export function parseUrlArg(url: string): ParsedUrl {
  try {
    return parseFerryUrl(url);
  } catch (err) {
    if (err instanceof UrlError) throw new FerryError('usage', err.message);
    throw err;
  }
}

/** Builds adapter connect options from a URL and the flags; reads the key file if given. */
export async function connectOptionsFor(ctx: CliContext, parsed: ParsedUrl): Promise<ConnectOptions> {
  const { options, io } = ctx;
  // An anonymous FTP login sends only what the URL says (or "anonymous@"), never the user's
  // real password from the environment, which would cross the network for nothing.
  const user = parsed.target.user;
  const anonymous = parsed.target.protocol !== 'sftp' && (user === undefined || user === '' || user.toLowerCase() === 'anonymous');
  const password = parsed.password ?? (anonymous ? undefined : io.env[options.passwordEnv]);
  let privateKey: Buffer | undefined;
  if (options.identity) {
    try {
      privateKey = await readFile(options.identity);
    } catch (err) {
      throw new FerryError('usage', `cannot read the key file ${options.identity}`, (err as Error).message);
    }
  }
  const timeouts: Partial<Timeouts> | undefined =
    options.timeoutSec !== undefined
      ? { connectMs: options.timeoutSec * 1000, tlsMs: options.timeoutSec * 1000, loginMs: options.timeoutSec * 1000, commandMs: options.timeoutSec * 1000, idleMs: Math.max(options.timeoutSec * 1000, 10_000) }
      : undefined;
  const passphrase = io.env.FERRY_KEY_PASSPHRASE;
  ctx.logger.addSecret(password);
  ctx.logger.addSecret(passphrase);
  const target = options.identity ? { ...parsed.target, auth: 'key' as const, keyFile: options.identity } : parsed.target;
  return {
    target,
    stateDir: ctx.stateDir,
    prompter: ctx.prompter,
    logger: ctx.logger.child(`${target.protocol} ${target.user ? `${target.user}@` : ''}${target.host}:${target.port}`),
    acceptNew: options.acceptNew,
    allowPlain: options.allowPlain,
    ...(password !== undefined ? { password } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(timeouts ? { timeouts } : {}),
  };
}
