import { createHash, getHashes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExistsAction } from '../../shared/ipc/prompts';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { RemoteFs } from '../protocols/remote-fs';
import { fastLocal } from './fast-local';
import { assertInside, safeLocalMode } from './path-safety';
import type { ItemRecord, QueueRecord } from './queue-records';
import { freeLocalName, freeRemoteName, localPartPath, remoteOldPath, remotePartPath } from './temp-names';

/** The size and mtime shown in a file-exists question. */
export interface FileFacts {
  readonly size: number;
  readonly mtime: number | null;
}

/** What the runner needs from the engine for one attempt at one item. */
export interface RunContext {
  readonly fs: RemoteFs;
  readonly signal: AbortSignal;
  /** The folder the item must land in (downloads): asserted again right before the rename. */
  readonly localRoot: string;
  /** Bytes now present at the destination, offset included. */
  onProgress(transferred: number): void;
  /** Policy or prompt: what to do about an existing destination. */
  decide(item: ItemRecord, existing: FileFacts, incoming: FileFacts): Promise<ExistsAction>;
  /** Applies and journals a record about this item (decisions, checkpoints). */
  record(rec: QueueRecord, sync?: boolean): Promise<void>;
  /**
   * Bytes an earlier attempt in this process reported as present (a contiguous prefix), or
   * undefined when this process has not written the partial file: then only the journal's
   * durable checkpoint is trusted.
   */
  readonly trustedOffset: number | undefined;
  /** Make a durable checkpoint every this many bytes. */
  readonly checkpointBytes: number;
  /** fsync a finished file of at least this many bytes before renaming it into place. */
  readonly fsyncMinBytes: number;
  /** Creates a local folder once per queue (folder jobs create theirs while walking). */
  ensureDir(path: string): Promise<void>;
  /**
   * The remote part of the attempt is over: its connection (and its place in the site's
   * capacity) may serve the next file while this one is finished locally (fsync, rename).
   */
  doneWithConnection?(): void;
}

/** How one attempt ended when it did not throw. */
export type RunOutcome = { readonly state: 'done'; readonly verification: string } | { readonly state: 'skipped'; readonly reason: string };

/**
 * Downloads one file: into `.<name>.ferry-part` beside the target, resumed from the verified
 * offset, size (and hash, when offered) checked, then renamed into place. The final name only
 * ever holds a complete file; an existing file there is replaced only by the rename.
 */
export async function runDownload(item: ItemRecord, ctx: RunContext): Promise<RunOutcome> {
  await ctx.ensureDir(dirname(item.localPath));
  let action = item.decided;
  // A first attempt into a folder the walk created cannot meet an existing file: skip the lstat.
  const firstTry = item.freshDir === true && ctx.trustedOffset === undefined && item.checkpoint === undefined;
  if (!action && !firstTry) {
    const existing = await lstat(item.localPath).catch(() => undefined);
    if (existing) {
      if (existing.isDirectory()) throw new FerryError('already-exists', `${item.localPath} is a folder`);
      action = await ctx.decide(item, { size: existing.size, mtime: existing.mtimeMs }, { size: item.size, mtime: item.mtime });
      const outcome = await applyLocalDecision(item, ctx, action, existing.size, existing.mtimeMs);
      if (outcome) return outcome;
    }
  }
  const part = localPartPath(item.localPath);
  assertInside(ctx.localRoot, part);
  const caps = ctx.fs.capabilities();
  const trusted = ctx.trustedOffset ?? item.checkpoint ?? 0;
  // Only a part this process wrote, or one a durable checkpoint vouches for, is resumed; and
  // never anything but a plain file (a planted symlink would make us write through it).
  const partStat = firstTry && trusted === 0 ? undefined : await lstat(part).catch(() => undefined);
  if (partStat && !partStat.isFile()) await rm(part, { force: true, recursive: false });
  const partSize = partStat?.isFile() ? partStat.size : 0;
  let offset = Math.min(partSize, trusted);
  if (offset > item.size || !caps.resumeDownload) offset = 0;
  ctx.onProgress(offset);
  const checkpoints = new Checkpointer(ctx, item, part, offset);
  let size: number;
  try {
    size = await ctx.fs.download(item.remotePath, part, {
      offset,
      expectedSize: item.size,
      signal: ctx.signal,
      onProgress: (p) => {
        ctx.onProgress(p.transferred);
        checkpoints.maybe(p.transferred);
      },
    });
  } catch (err) {
    // Whatever stopped us, what arrived so far is made durable so any later run resumes from it.
    await checkpoints.flush();
    throw err;
  } finally {
    await checkpoints.settle();
  }
  await checkSize(ctx.fs, item, size);
  const verification = await verifyHash(ctx.fs, item.remotePath, part, size).catch(async (err: unknown) => {
    if (err instanceof HashMismatch) await rm(part, { force: true });
    throw err;
  });
  // A big file's fsync takes a while: the connection moves on to the next file meanwhile.
  if (size >= ctx.fsyncMinBytes) ctx.doneWithConnection?.();
  const mode = safeLocalMode(item.mode);
  // The adapter creates files 0644; only a different mode costs a chmod.
  if (mode !== null && mode !== 0o644) await chmod(part, mode).catch(() => undefined);
  if (item.mtime !== null) await fastLocal.utimes(part, new Date(), new Date(item.mtime)).catch(() => undefined);
  if (size >= ctx.fsyncMinBytes) await fsyncFile(part);
  throwIfAborted(ctx.signal);
  assertInside(ctx.localRoot, item.localPath);
  await fastLocal.rename(part, item.localPath).catch((err: unknown) => {
    throw toFerryError(err, `cannot move the finished file into place at ${item.localPath}`);
  });
  return { state: 'done', verification };
}

async function applyLocalDecision(item: ItemRecord, ctx: RunContext, action: ExistsAction, size: number, mtime: number): Promise<RunOutcome | undefined> {
  switch (action) {
    case 'skip':
      return { state: 'skipped', reason: 'the file exists (skipped)' };
    case 'newer':
      if (item.mtime === null || item.mtime <= mtime + 1000) return { state: 'skipped', reason: 'the existing file is as new or newer' };
      await ctx.record({ t: 'decide', id: item.id, action: 'overwrite' });
      return undefined;
    case 'rename': {
      const to = await freeLocalName(item.localPath);
      assertInside(ctx.localRoot, to);
      await ctx.record({ t: 'decide', id: item.id, action, localPath: to }, true);
      return undefined;
    }
    case 'resume':
      if (size === item.size) return { state: 'done', verification: 'already complete (size verified)' };
      if (size > item.size) throw new FerryError('already-exists', `${item.localPath} is larger than the file on the server: not resumed`);
      // The existing file becomes the partial file; its bytes are on disk already.
      await rename(item.localPath, localPartPath(item.localPath));
      await ctx.record({ t: 'ck', id: item.id, offset: size });
      await ctx.record({ t: 'decide', id: item.id, action }, true);
      return undefined;
    case 'overwrite':
      await ctx.record({ t: 'decide', id: item.id, action });
      return undefined;
  }
}

/**
 * Uploads one file: to `.<name>.ferry-part` beside the target and renamed into place when the
 * server can rename; otherwise in place, resumed by appending. An existing target is only
 * replaced once the new file is complete (parked as `.<name>.ferry-old` while the rename runs when
 * the server's rename does not replace).
 */
export async function runUpload(item: ItemRecord, ctx: RunContext): Promise<RunOutcome> {
  const fs = ctx.fs;
  const caps = fs.capabilities();
  const local = await stat(item.localPath).catch((err: unknown) => {
    throw toFerryError(err, `cannot read ${item.localPath}`);
  });
  if (!local.isFile()) throw new FerryError('invalid-request', `${item.localPath} is not a file`);
  if (local.size !== item.size) await ctx.record({ t: 'state', id: item.id, state: 'active', size: local.size });
  let action = item.decided;
  let existing = false;
  // A first attempt into a folder the walk created cannot meet an existing file: skip the stat.
  const firstTry = item.freshDir === true && ctx.trustedOffset === undefined && item.checkpoint === undefined;
  if ((!action && !firstTry) || action === 'overwrite') {
    const st = await remoteStat(fs, item.remotePath);
    existing = st !== undefined;
    if (st && !action) {
      if (st.type === 'dir') throw new FerryError('already-exists', `${item.remotePath} is a folder`);
      action = await ctx.decide(item, { size: st.size, mtime: st.mtime }, { size: item.size, mtime: item.mtime });
      const outcome = await applyRemoteDecision(item, ctx, action, st.size, st.mtime);
      if (outcome) return outcome;
    }
  }
  const inPlace = item.inPlace || !caps.rename;
  const dest = inPlace ? item.remotePath : remotePartPath(item.remotePath);
  const ours = ctx.trustedOffset !== undefined || item.checkpoint !== undefined || item.decided === 'resume';
  let offset = 0;
  if (caps.resumeUpload && ours) {
    // Servers write what they receive in order, so the part's size is a good prefix.
    offset = Math.min((await remoteStat(fs, dest))?.size ?? 0, ctx.trustedOffset ?? Number.MAX_SAFE_INTEGER);
    if (offset > item.size) offset = 0;
  }
  // From here on the destination holds our bytes, which a restart may resume.
  if (!ours) {
    const marked = ctx.record({ t: 'ck', id: item.id, offset: 0, inPlace }, inPlace);
    // In place, the mark must be durable before the final name is touched; a part can wait.
    if (inPlace) await marked;
  }
  ctx.onProgress(offset);
  const size = await fs.upload(item.localPath, dest, {
    offset,
    signal: ctx.signal,
    onProgress: (p) => ctx.onProgress(p.transferred),
  }).catch(async (err: unknown) => {
    // The server holds something other than what was sent (its size differs): that copy is
    // worthless, and a resume would append to a wrong prefix. It goes, whatever its name.
    if (toFerryError(err).code === 'protocol-error') await fs.removeFile(dest).catch(() => undefined);
    throw err;
  });
  if (size !== item.size) throw new FerryError('connection-lost', `the upload of ${item.localPath} ended at ${size} of ${item.size} bytes`);
  const verification = await verifyHash(fs, dest, item.localPath, size).catch(async (err: unknown) => {
    if (err instanceof HashMismatch) await fs.removeFile(dest).catch(() => undefined);
    throw err;
  });
  throwIfAborted(ctx.signal);
  if (!inPlace) await renameIntoPlace(fs, dest, item.remotePath, existing || action === 'overwrite');
  return { state: 'done', verification };
}

async function applyRemoteDecision(item: ItemRecord, ctx: RunContext, action: ExistsAction, size: number, mtime: number | null): Promise<RunOutcome | undefined> {
  const fs = ctx.fs;
  switch (action) {
    case 'skip':
      return { state: 'skipped', reason: 'the file exists (skipped)' };
    case 'newer':
      if (item.mtime === null || (mtime !== null && item.mtime <= mtime + 1000)) return { state: 'skipped', reason: 'the existing file is as new or newer' };
      await ctx.record({ t: 'decide', id: item.id, action: 'overwrite' });
      return undefined;
    case 'rename': {
      const to = await freeRemoteName(fs, item.remotePath);
      await ctx.record({ t: 'decide', id: item.id, action, remotePath: to }, true);
      return undefined;
    }
    case 'resume':
      if (size === item.size) return { state: 'done', verification: 'already complete (size verified)' };
      if (size > item.size || !fs.capabilities().resumeUpload) throw new FerryError('already-exists', `${item.remotePath} exists and cannot be resumed`);
      if (fs.capabilities().rename) await fs.rename(item.remotePath, remotePartPath(item.remotePath));
      else await ctx.record({ t: 'ck', id: item.id, offset: size, inPlace: true });
      await ctx.record({ t: 'decide', id: item.id, action }, true);
      return undefined;
    case 'overwrite':
      await ctx.record({ t: 'decide', id: item.id, action });
      return undefined;
  }
}

/** Renames a finished remote part over the target without ever deleting a good file first. */
async function renameIntoPlace(fs: RemoteFs, part: string, target: string, targetMayExist: boolean): Promise<void> {
  try {
    await fs.rename(part, target);
    return;
  } catch (err) {
    if (!targetMayExist && (await remoteStat(fs, target)) === undefined) throw err;
  }
  const old = remoteOldPath(target);
  await fs.removeFile(old).catch(() => undefined);
  await fs.rename(target, old);
  try {
    await fs.rename(part, target);
  } catch (err) {
    await fs.rename(old, target).catch(() => undefined);
    throw err;
  }
  await fs.removeFile(old).catch(() => undefined);
}

async function remoteStat(fs: RemoteFs, path: string) {
  try {
    return await fs.stat(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'no-such-file') return undefined;
    throw err;
  }
}

async function checkSize(fs: RemoteFs, item: ItemRecord, size: number): Promise<void> {
  if (size === item.size) return;
  // The file may have changed on the server since it was listed: believe a fresh stat.
  const now = await fs.stat(item.remotePath);
  if (now.size === size) {
    item.size = size;
    return;
  }
  throw new FerryError('connection-lost', `the download of ${item.remotePath} ended at ${size} of ${now.size} bytes`);
}

/** The copy is not what the server holds: the partial data must not be resumed. */
class HashMismatch extends FerryError {
  constructor(message: string, detail: string) {
    super('protocol-error', message, detail);
  }
}

/** Compares a server-side hash with one computed locally when the server offers one. */
async function verifyHash(fs: RemoteFs, remotePath: string, localPath: string, size: number): Promise<string> {
  const algo = fs.hash ? fs.capabilities().hashes.find((h) => getHashes().includes(h)) : undefined;
  if (!algo || !fs.hash) return `size verified (${size} bytes)`;
  const local = await hashFile(localPath, algo);
  let remote: string | undefined;
  try {
    remote = await fs.hash(remotePath, algo);
  } catch (err) {
    // A server that cannot hash this file does not make the copy bad: size is still verified.
    if (!fs.connected) throw err;
    return `size verified (${size} bytes; ${algo} unavailable: ${toFerryError(err).message})`;
  }
  if (remote === undefined) return `size verified (${size} bytes)`;
  if (remote.toLowerCase() !== local) throw new HashMismatch(`the ${algo} of ${remotePath} differs between the server and this copy`, `server ${remote}, local ${local}`);
  return `${algo} verified`;
}

function hashFile(path: string, algo: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash(algo);
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** fdatasync: the data and the size reach the disk (other metadata need not). */
async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/**
 * Makes the partial file durable every `checkpointBytes` and journals the offset afterwards, so
 * a restart after a crash (even a power cut) resumes from bytes known to be on disk.
 */
class Checkpointer {
  private running: Promise<void> | undefined;
  private last: number;
  private latest: number;

  constructor(
    private readonly ctx: RunContext,
    private readonly item: ItemRecord,
    private readonly part: string,
    start: number,
  ) {
    this.last = start;
    this.latest = start;
  }

  /** A checkpoint at the latest progress, now (the attempt ended early). */
  async flush(): Promise<void> {
    await this.running;
    if (this.latest <= this.last) return;
    const at = this.latest;
    await fsyncFile(this.part)
      .then(() => this.ctx.record({ t: 'ck', id: this.item.id, offset: at }, true))
      .catch(() => undefined);
    this.last = at;
  }

  maybe(transferred: number): void {
    this.latest = transferred;
    if (this.running || transferred - this.last < this.ctx.checkpointBytes) return;
    this.last = transferred;
    this.running = fsyncFile(this.part)
      .then(() => this.ctx.record({ t: 'ck', id: this.item.id, offset: transferred }))
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }

  async settle(): Promise<void> {
    await this.running;
  }
}

/** Removes a local partial file (after a cancel), ignoring a missing one. */
export async function removeLocalPart(target: string): Promise<void> {
  await rm(localPartPath(target), { force: true });
}

/** An attempt the engine gave up on (lost connection, pause, cancel) must not touch the final name. */
function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new FerryError('cancelled', 'cancelled');
}
