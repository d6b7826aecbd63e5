import { lstat, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FerryErrorShape } from '../../shared/ipc/errors';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import { joinRemote, type RemoteFs } from '../protocols/remote-fs';
import { resolveInside } from './path-safety';
import type { ItemRecord, JobRecord } from './queue-records';
import { walkLocal, walkRemote, type WalkEntry } from './tree-walk';

/** What the expander needs from the engine: a connection runner with retries, and where items go. */
export interface ExpandContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly platform: NodeJS.Platform;
  /** Runs `op` on a pooled connection, reconnecting with backoff on transient errors. */
  withRemote<T>(op: (fs: RemoteFs) => Promise<T>): Promise<T>;
  /** Receives items in batches as the walk finds them. */
  emit(items: ItemRecord[]): void;
  newId(): string;
}

const BATCH = 200;
const FLUSH_MS = 50;

/**
 * Expands a job into file items by walking its source tree, creating destination folders on the
 * way and streaming items out in batches. Remote names that cannot safely become local paths,
 * symlinks and special files become skipped items with their reason. A failure to start
 * (no such source) becomes one failed item for the job's root, so it shows and counts.
 */
export async function expandJob(job: JobRecord, ctx: ExpandContext): Promise<void> {
  const batch: ItemRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length) ctx.emit(batch.splice(0));
  };
  // Out in batches, but never held back long: a slow listing must not delay the first transfers.
  const push = (item: ItemRecord): void => {
    batch.push(item);
    if (batch.length >= BATCH) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };
  try {
    if (job.request.direction === 'download') await expandDownload(job, ctx, push);
    else await expandUpload(job, ctx, push);
  } catch (err) {
    const fe = toFerryError(err);
    if (fe.code === 'cancelled' && ctx.signal.aborted) {
      clearTimeout(timer);
      throw fe;
    }
    push(rootItem(job, ctx.newId(), 'failed', fe.toShape()));
  }
  flush();
}

async function expandDownload(job: JobRecord, ctx: ExpandContext, push: (i: ItemRecord) => void): Promise<void> {
  const { remotePath, localPath, recursive } = job.request;
  const root = await ctx.withRemote((fs) => fs.stat(remotePath));
  if (root.type === 'file') {
    push(fileItem(job, ctx.newId(), '', localPath, remotePath, root));
    return;
  }
  if (root.type !== 'dir') throw new FerryError('not-supported', `${remotePath} is not a file or folder (symbolic links are not followed)`);
  if (!recursive) throw new FerryError('usage', `${remotePath} is a folder: copy folders recursively`);
  // Folders this walk created hold nothing but what the job puts there.
  const fresh = new Set<string>();
  if (await mkdirLocal(localPath)) fresh.add('');
  const list = (path: string): Promise<RemoteEntry[]> => ctx.withRemote((fs) => fs.list(path, ctx.signal));
  const blocked: string[] = [];
  await consume(walkRemote(list, remotePath, { platform: ctx.platform }), ctx, async (e) => {
    const remote = e.rel.reduce((p, n) => joinRemote(p, n), remotePath);
    if (e.kind === 'skip') {
      push(skipItem(job, ctx.newId(), e.rel.join('/'), localPath, e.display, e.reason, e.code));
      return;
    }
    let local: string;
    try {
      local = resolveInside(localPath, e.rel, ctx.platform);
    } catch (err) {
      push(skipItem(job, ctx.newId(), e.rel.join('/'), localPath, remote, toFerryError(err).message, 'unsafe-path'));
      return;
    }
    const key = e.rel.join('/');
    if (blocked.some((b) => key.startsWith(`${b}/`))) {
      push(skipItem(job, ctx.newId(), key, local, remote, 'its folder could not be created', 'not-supported'));
      return;
    }
    if (e.kind === 'file') {
      const item = fileItem(job, ctx.newId(), key, local, remote, e.entry);
      push(fresh.has(e.rel.slice(0, -1).join('/')) ? { ...item, freshDir: true } : item);
      return;
    }
    try {
      if (await mkdirLocal(local, true)) fresh.add(key);
    } catch (err) {
      const fe = toFerryError(err);
      blocked.push(key);
      push(skipItem(job, ctx.newId(), key, local, remote, fe.message, fe.code));
    }
  });
}

async function expandUpload(job: JobRecord, ctx: ExpandContext, push: (i: ItemRecord) => void): Promise<void> {
  const { remotePath, localPath, recursive } = job.request;
  const st = await stat(localPath).catch((err: unknown) => {
    throw toFerryError(err, `cannot read ${localPath}`);
  });
  if (st.isFile()) {
    push(fileItem(job, ctx.newId(), '', localPath, remotePath, { name: '', type: 'file', size: st.size, mtime: st.mtimeMs, mode: st.mode & 0o777 }));
    return;
  }
  if (!st.isDirectory()) throw new FerryError('not-supported', `${localPath} is not a file or folder`);
  if (!recursive) throw new FerryError('usage', `${localPath} is a folder: copy folders recursively`);
  // Folders this walk created on the server hold nothing but what the job puts there.
  const fresh = new Set<string>();
  const rootExists = await ctx.withRemote((fs) => fs.stat(remotePath).then(() => true, (err: unknown) => notFound(err)));
  if (!rootExists) await ctx.withRemote((fs) => mkdirRemote(fs, remotePath, true));
  if (!rootExists) fresh.add('');
  await consume(walkLocal(localPath), ctx, async (e) => {
    const remote = e.rel.reduce((p, n) => joinRemote(p, n), remotePath);
    const local = join(localPath, ...e.rel);
    const key = e.rel.join('/');
    if (e.kind === 'skip') push(skipItem(job, ctx.newId(), key, local, remote, e.reason, e.code));
    else if (e.kind === 'dir') {
      if (await ctx.withRemote((fs) => mkdirRemote(fs, remote, false))) fresh.add(key);
    } else {
      const item = fileItem(job, ctx.newId(), key, local, remote, e.entry);
      push(fresh.has(e.rel.slice(0, -1).join('/')) ? { ...item, freshDir: true } : item);
    }
  });
}

async function consume(walk: AsyncGenerator<WalkEntry>, ctx: ExpandContext, each: (e: WalkEntry) => Promise<void>): Promise<void> {
  for await (const e of walk) {
    if (ctx.signal.aborted) throw new FerryError('cancelled', 'cancelled');
    await each(e);
  }
}

/**
 * Creates a destination folder; below the root, an existing symlink is refused (it could lead
 * outside). True when the folder did not exist before.
 */
async function mkdirLocal(path: string, belowRoot = false): Promise<boolean> {
  const created = await mkdir(path, { recursive: true }).catch((err: unknown) => {
    throw toFerryError(err, `cannot create ${path}`);
  });
  const st = await (belowRoot ? lstat(path) : stat(path));
  if (st.isSymbolicLink()) throw new FerryError('unsafe-path', `${path} is a symbolic link: not written through`);
  if (!st.isDirectory()) throw new FerryError('already-exists', `${path} exists and is not a folder`);
  return created !== undefined;
}

/** A stat that failed because the path is not there (false); anything else is rethrown. */
function notFound(err: unknown): false {
  if ((err as { code?: string }).code === 'no-such-file') return false;
  throw err;
}

/** Creates a remote folder; true when it was created now, false when it was there already. */
async function mkdirRemote(fs: RemoteFs, path: string, recursive: boolean): Promise<boolean> {
  try {
    await fs.mkdir(path, { recursive });
    return true;
  } catch (err) {
    const fe = toFerryError(err);
    if (fe.code !== 'already-exists' && fe.code !== 'permission-denied' && fe.code !== 'protocol-error') throw fe;
    // Many servers answer "failure" for an existing folder: believe a stat.
    const st = await fs.stat(path).catch(() => undefined);
    if (st?.type !== 'dir') throw fe;
    return false;
  }
}

function fileItem(job: JobRecord, id: string, rel: string, localPath: string, remotePath: string, e: RemoteEntry): ItemRecord {
  return { id, jobId: job.id, direction: job.request.direction, rel, localPath, remotePath, size: e.size, mtime: e.mtime, mode: e.mode, state: 'queued', attempts: 0, transferred: 0 };
}

function skipItem(job: JobRecord, id: string, rel: string, localPath: string, remotePath: string, reason: string, code: FerryErrorShape['code']): ItemRecord {
  return { ...fileItem(job, id, rel, localPath, remotePath, { name: '', type: 'file', size: 0, mtime: null, mode: null }), state: 'skipped', error: { code, message: reason } };
}

function rootItem(job: JobRecord, id: string, state: 'failed', error: FerryErrorShape): ItemRecord {
  return { ...fileItem(job, id, '\0root', job.request.localPath, job.request.remotePath, { name: '', type: 'file', size: 0, mtime: null, mode: null }), state, error };
}
