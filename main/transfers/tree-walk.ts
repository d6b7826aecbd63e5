import { lstat, opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { toFerryError } from '../core/ferry-error';
import { joinRemote } from '../protocols/remote-fs';
import { printable, unsafeLocalName } from './path-safety';

/** One thing found below a walk's root. `rel` are the names from the root down, never unsafe ones. */
export type WalkEntry =
  | { readonly kind: 'dir'; readonly rel: readonly string[]; readonly entry: RemoteEntry }
  | { readonly kind: 'file'; readonly rel: readonly string[]; readonly entry: RemoteEntry }
  /** Refused or not followed: the path as the source names it and why. */
  | { readonly kind: 'skip'; readonly rel: readonly string[]; readonly display: string; readonly reason: string; readonly code: 'unsafe-path' | 'not-supported' };

/**
 * Walks a remote tree breadth-first without following symlinks, listing up to `concurrency`
 * folders at once and yielding entries as listings arrive, so a 100k-file tree starts
 * transferring at once. Names that could not safely become a local path are yielded as 'skip'.
 * `list` is retried by the caller's wrapper; a folder that cannot be listed rejects the walk.
 */
export async function* walkRemote(
  list: (path: string) => Promise<RemoteEntry[]>,
  root: string,
  options: { concurrency?: number; platform?: NodeJS.Platform } = {},
): AsyncGenerator<WalkEntry> {
  const concurrency = options.concurrency ?? 4;
  const platform = options.platform ?? process.platform;
  const todo: { path: string; rel: string[] }[] = [{ path: root, rel: [] }];
  const running = new Map<number, Promise<{ key: number; rel: string[]; path: string; entries: RemoteEntry[] }>>();
  let nextKey = 0;
  try {
    while (todo.length > 0 || running.size > 0) {
      while (todo.length > 0 && running.size < concurrency) {
        const dir = todo.shift()!;
        const key = nextKey++;
        running.set(key, list(dir.path).then((entries) => ({ key, rel: dir.rel, path: dir.path, entries })));
      }
      const done = await Promise.race(running.values());
      running.delete(done.key);
      for (const e of done.entries) {
        if (e.name === '.' || (e.name === '..' && e.type === 'dir')) continue;
        const why = unsafeLocalName(e.name, platform);
        const display = joinRemote(done.path, printable(e.name));
        if (why) {
          yield { kind: 'skip', rel: [...done.rel, e.name], display, reason: `refused the remote name "${printable(e.name)}": ${why}`, code: 'unsafe-path' };
          continue;
        }
        const rel = [...done.rel, e.name];
        if (e.type === 'dir') {
          yield { kind: 'dir', rel, entry: e };
          todo.push({ path: joinRemote(done.path, e.name), rel });
        } else if (e.type === 'file') yield { kind: 'file', rel, entry: e };
        else yield { kind: 'skip', rel, display, reason: e.type === 'symlink' ? 'symbolic links are not followed' : 'not a regular file', code: 'not-supported' };
      }
    }
  } finally {
    // A consumer that stops early must not leave listings rejecting unobserved.
    for (const p of running.values()) p.catch(() => undefined);
  }
}

/**
 * Walks a local tree breadth-first with streaming directory reads (opendir), never loading a
 * whole huge folder's stats at once. Symlinks to files are sent as the file they name; symlinks
 * to folders are not followed (no loops).
 */
export async function* walkLocal(root: string): AsyncGenerator<WalkEntry> {
  const todo: { path: string; rel: string[] }[] = [{ path: root, rel: [] }];
  while (todo.length > 0) {
    const dir = todo.shift()!;
    let handle;
    try {
      handle = await opendir(dir.path, { bufferSize: 256 });
    } catch (err) {
      throw toFerryError(err, `cannot list ${dir.path}`);
    }
    for await (const d of handle) {
      const full = join(dir.path, d.name);
      const rel = [...dir.rel, d.name];
      let st;
      try {
        st = d.isSymbolicLink() ? await stat(full) : await lstat(full);
      } catch (err) {
        yield { kind: 'skip', rel, display: full, reason: toFerryError(err, `cannot read ${full}`).message, code: 'not-supported' };
        continue;
      }
      const entry: RemoteEntry = { name: d.name, type: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other', size: st.isFile() ? st.size : 0, mtime: st.mtimeMs, mode: st.mode & 0o777 };
      if (st.isDirectory()) {
        if (d.isSymbolicLink()) {
          yield { kind: 'skip', rel, display: full, reason: 'symbolic links to folders are not followed', code: 'not-supported' };
          continue;
        }
        yield { kind: 'dir', rel, entry };
        todo.push({ path: full, rel });
      } else if (st.isFile()) yield { kind: 'file', rel, entry };
      else yield { kind: 'skip', rel, display: full, reason: 'not a regular file', code: 'not-supported' };
    }
  }
}
