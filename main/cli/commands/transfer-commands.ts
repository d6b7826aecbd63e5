import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ExistsAction } from '../../../shared/ipc/prompts';
import type { ConnectionTarget, ParsedUrl } from '../../../shared/model/connection';
import type { TransferRequest } from '../../../shared/model/transfer';
import { FerryError } from '../../core/ferry-error';
import { connectRemoteFs, createRemoteFs } from '../../protocols/adapter-factory';
import { joinRemote, remoteBasename, type ConnectOptions, type RemoteFs } from '../../protocols/remote-fs';
import { unsafeLocalName } from '../../transfers/path-safety';
import { TransferQueue } from '../../transfers/transfer-queue';
import type { CliContext } from '../cli-context';
import { connectOptionsFor, parseUrlArg } from '../cli-context';
import { EXIT, adviceFor } from '../exit-codes';
import { renderProgress, summarize, type TransferSummary } from './transfer-report';
import { withConnectRetries } from '../connect-retry';

/** How the commands open connections; tests pass a fake. */
export interface TransferDeps {
  readonly createRemoteFs: (options: ConnectOptions) => Promise<RemoteFs>;
}

const DEFAULT_DEPS: TransferDeps = { createRemoteFs };

/**
 * `ferry get <url> <local> [-r]`: through the transfer engine, `cp -r` semantics (a missing
 * target becomes the copy; an existing folder receives it). Files land under a temporary name
 * and are renamed into place when complete; a rerun of the same command resumes.
 */
export async function getCommand(ctx: CliContext, url: string, local: string, deps: TransferDeps = DEFAULT_DEPS): Promise<number> {
  const parsed = parseUrlArg(url);
  return withSeed(ctx, parsed, deps, async (seed, connect) => {
    const st = await seed.stat(parsed.path);
    if (st.type === 'dir' && !ctx.options.recursive) throw new FerryError('usage', `${parsed.path} is a folder: use -r to copy folders`);
    if (st.type !== 'dir' && st.type !== 'file') throw new FerryError('not-supported', `${parsed.path} is not a file or folder`);
    return runJob(ctx, connect, ['get', parsed.target, parsed.path, resolve(local)], async () => {
      const localStat = await stat(local).catch(() => undefined);
      let dest = resolve(local);
      if (localStat?.isDirectory()) {
        const name = remoteBasename(parsed.path);
        if (name !== '') {
          const why = unsafeLocalName(name);
          if (why) throw new FerryError('unsafe-path', `refused the remote name "${name}": ${why}`);
          dest = join(dest, name);
        }
      } else if (localStat && st.type === 'dir') throw new FerryError('usage', `${local} exists and is not a folder`);
      return { direction: 'download', target: parsed.target, remotePath: parsed.path, localPath: dest, recursive: st.type === 'dir', onExists: onExists(ctx) };
    });
  });
}

/** `ferry put <local> <url> [-r]`: the mirror image of get. */
export async function putCommand(ctx: CliContext, local: string, url: string, deps: TransferDeps = DEFAULT_DEPS): Promise<number> {
  const localStat = await stat(local).catch(() => undefined);
  if (!localStat) throw new FerryError('no-such-file', `${local} does not exist`);
  if (localStat.isDirectory() && !ctx.options.recursive) throw new FerryError('usage', `${local} is a folder: use -r to copy folders`);
  const parsed = parseUrlArg(url);
  return withSeed(ctx, parsed, deps, async (seed, connect) =>
    runJob(ctx, connect, ['put', parsed.target, parsed.path, resolve(local)], async () => {
      const remote = await seed.stat(parsed.path).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'no-such-file') return undefined;
        throw err;
      });
      let dest = parsed.path;
      if (remote?.type === 'dir') dest = joinRemote(parsed.path, basename(resolve(local)));
      else if (remote && localStat.isDirectory()) throw new FerryError('usage', `${parsed.path} exists and is not a folder`);
      return { direction: 'upload', target: parsed.target, remotePath: dest, localPath: resolve(local), recursive: localStat.isDirectory(), onExists: onExists(ctx) };
    }),
  );
}

function onExists(ctx: CliContext): ExistsAction | 'ask' {
  return ctx.options.onExists ?? (ctx.io.interactive ? 'ask' : 'overwrite');
}

type Connect = (target: ConnectionTarget) => Promise<RemoteFs>;

/**
 * Opens the first connection (to look at the source and target) and hands it to the engine as
 * its first pooled connection, so a one-file get costs one login, not two. With -r, once that
 * login has worked (host key trusted, credentials right), the other parallel connections start
 * at once, while the source is examined and walked: their key exchanges then run before the
 * transfers keep the process busy, not during. They are only a head start: one that fails is
 * forgotten (the engine opens its own when it needs one), and the ones never used are cancelled
 * mid-handshake when the command ends.
 */
async function withSeed(ctx: CliContext, parsed: ParsedUrl, deps: TransferDeps, body: (seed: RemoteFs, connect: Connect) => Promise<number>): Promise<number> {
  // One transfer connection per RemoteFs: the engine opens one RemoteFs per parallel slot.
  const options: ConnectOptions = { ...(await connectOptionsFor(ctx, parsed)), connections: 1 };
  const open = (): Promise<RemoteFs> => connectRemoteFs(options, deps.createRemoteFs);
  let seed: RemoteFs | undefined = await withConnectRetries(ctx, open);
  const first = seed;
  const spares = ctx.options.recursive ? Array.from({ length: ctx.options.parallel - 1 }, () => new SpareConnection(options, deps)) : [];
  try {
    return await body(first, async () => {
      const s = seed;
      seed = undefined;
      if (s && s.connected) return s;
      const fs = await spares.shift()?.take();
      return fs ?? open();
    });
  } finally {
    if (seed) await seed.close().catch(() => undefined);
    await Promise.all(spares.splice(0).map((s) => s.cancel()));
  }
}

/** A connection opened ahead of need: taken by the engine, or cancelled. Never fails loudly. */
class SpareConnection {
  private fs: RemoteFs | undefined;
  private cancelled = false;
  private readonly ready: Promise<RemoteFs | undefined>;

  constructor(options: ConnectOptions, deps: TransferDeps) {
    this.ready = (async () => {
      try {
        this.fs = await deps.createRemoteFs(options);
        if (this.cancelled) throw new FerryError('cancelled', 'not needed');
        await this.fs.connect();
        return this.fs;
      } catch {
        await this.fs?.close().catch(() => undefined);
        return undefined;
      }
    })();
  }

  /** The connection once connected, or undefined if it could not be opened. */
  async take(): Promise<RemoteFs | undefined> {
    const fs = await this.ready;
    return fs?.connected ? fs : undefined;
  }

  /** Closes it, ending a handshake still under way. */
  async cancel(): Promise<void> {
    this.cancelled = true;
    await this.fs?.close().catch(() => undefined);
    const fs = await this.ready;
    await fs?.close().catch(() => undefined);
  }
}

/**
 * Runs one command's job in its own journal, keyed by the command line (no secrets): a rerun of
 * an interrupted command resumes that job where it stopped, with the destination it chose then
 * (cp -r would otherwise pick a different one now that the target exists).
 */
async function runJob(ctx: CliContext, connect: Connect, command: readonly unknown[], makeRequest: () => Promise<TransferRequest>): Promise<number> {
  const started = Date.now();
  const key = createHash('sha256').update(JSON.stringify(command)).digest('hex').slice(0, 16);
  const queue = new TransferQueue(ctx.stateDir, connect, ctx.prompter, ctx.logger.child('transfers'), {
    parallel: ctx.options.parallel,
    ...(ctx.options.retries !== undefined ? { retries: ctx.options.retries } : {}),
    journalName: `cli-${key}.jsonl`,
  });
  const tty = (ctx.io.stderr as Partial<NodeJS.WriteStream>).isTTY === true && !ctx.options.json;
  if (tty) queue.onUpdate((u) => ctx.io.stderr.write(`\r\x1b[K${renderProgress(u.totals)}`));
  await queue.start();
  let request: TransferRequest | undefined;
  let summary: TransferSummary | undefined;
  try {
    request = queue.requests()[0];
    if (request) {
      ctx.logger.log('info', 'resuming the unfinished transfer of an earlier run of this command');
      await queue.retry({});
    } else {
      request = await makeRequest();
      await queue.add({ requests: [request] });
    }
    await queue.whenIdle();
  } finally {
    if (request) summary = summarize(queue.snapshot(), request, Date.now() - started);
    await queue.close({ removeJournalIfFinished: true });
  }
  if (tty) ctx.io.stderr.write(`\r\x1b[K${renderProgress(queue.snapshot().totals)}\n`);
  return finish(ctx, summary!, request);
}

/** JSON summary, messages and the exit code: 8 when a folder copy left files behind. */
function finish(ctx: CliContext, s: TransferSummary, request: TransferRequest): number {
  if (ctx.options.json) ctx.io.stdout.write(`${JSON.stringify(s)}\n`);
  // A job that never started (its root failed) counts as one file, like a non-recursive copy.
  const single = !request.recursive || (s.files.total === 1 && s.failures[0]?.path === s.source);
  if (single) {
    // One file (or a job that never started): its own error decides the exit code.
    const only = s.failures[0];
    // Also with --json: the summary is on stdout, the one sentence of a non-zero exit on stderr.
    if (only) throw new FerryError(only.code, only.message);
    const skip = s.skipped[0];
    if (skip && !ctx.options.json) ctx.io.stderr.write(`ferry: skipped ${skip.path}: ${skip.reason}\n`);
    return EXIT.ok;
  }
  if (s.files.failed + s.files.skipped === 0) return EXIT.ok;
  if (!ctx.options.json) {
    for (const f of s.failures.slice(0, 20)) ctx.io.stderr.write(`ferry: failed ${f.path}: ${f.message}\n`);
    for (const k of s.skipped.slice(0, 20)) ctx.io.stderr.write(`ferry: skipped ${k.path}: ${k.reason}\n`);
  }
  ctx.io.stderr.write(`ferry: ${s.files.failed} failed and ${s.files.skipped} skipped of ${s.files.total} files. ${adviceFor('partial')}\n`);
  return EXIT.partial;
}
