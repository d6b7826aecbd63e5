import { lstat, mkdir, readdir, readlink, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Listing, RemoteEntry } from '../../shared/model/remote-entry';
import { FerryError, toFerryError } from '../core/ferry-error';

/** Upper bound on a local listing, so a pathological folder cannot exhaust memory. */
const MAX_LOCAL_ENTRIES = 1_000_000;

/** Lists a local folder without following symlinks; unreadable entries are still shown. */
export async function listLocal(path: string, options: { showHidden?: boolean } = {}): Promise<Listing> {
  if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) {
    throw new FerryError('invalid-request', `"${path}" is not an absolute path`);
  }
  let names: string[];
  try {
    names = await readdir(path);
  } catch (err) {
    throw toFerryError(err, `cannot list ${path}`);
  }
  if (names.length > MAX_LOCAL_ENTRIES) throw new FerryError('limit-exceeded', `${path} holds more than ${MAX_LOCAL_ENTRIES} entries`);
  const visible = options.showHidden === false ? names.filter((n) => !n.startsWith('.')) : names;
  const entries: RemoteEntry[] = [];
  const BATCH = 256;
  for (let i = 0; i < visible.length; i += BATCH) {
    const batch = await Promise.all(visible.slice(i, i + BATCH).map((name) => statEntry(path, name)));
    entries.push(...batch);
  }
  return { path, entries };
}

async function statEntry(dir: string, name: string): Promise<RemoteEntry> {
  const full = join(dir, name);
  try {
    const st = await lstat(full);
    const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    const entry: RemoteEntry = { name, type, size: type === 'dir' ? 0 : st.size, mtime: st.mtimeMs, mode: st.mode & 0o7777 };
    if (type === 'symlink') {
      const linkTarget = await readlink(full).catch(() => undefined);
      return linkTarget === undefined ? entry : { ...entry, linkTarget };
    }
    return entry;
  } catch {
    return { name, type: 'other', size: 0, mtime: null, mode: null };
  }
}

export async function mkdirLocal(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (err) {
    throw toFerryError(err, `cannot create ${path}`);
  }
}

export async function renameLocal(from: string, to: string): Promise<void> {
  try {
    await lstat(to).then(
      () => {
        throw new FerryError('already-exists', `${to} already exists`);
      },
      () => undefined,
    );
    await rename(from, to);
  } catch (err) {
    throw toFerryError(err, `cannot rename ${from}`);
  }
}

/** Deletes files and folders (recursively, never following symlinks). */
export async function deleteLocal(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    try {
      await rm(p, { recursive: true, force: false });
    } catch (err) {
      throw toFerryError(err, `cannot delete ${p}`);
    }
  }
}
