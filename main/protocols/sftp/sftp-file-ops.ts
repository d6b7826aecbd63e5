import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { joinRemote, remoteBasename, remoteDirname } from '../remote-fs';
import { listFolder, type ListLimits } from './sftp-listing';
import { toEntry, type SftpSession } from './sftp-session';

/** How many deletions of one folder run at once (pipelined on the channel). */
const DELETE_BATCH = 32;

/** The single-path operations of the SFTP adapter. */
export interface SftpFileOps {
  stat(path: string): Promise<RemoteEntry>;
  mkdir(path: string, recursive: boolean): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  removeDir(path: string, recursive: boolean): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
}

/**
 * File operations over one SFTP session. SFTP v3 reports most failures as a bare FAILURE; where
 * the reason matters (an existing target) it is found out with an lstat afterwards.
 */
export function sftpFileOps(s: SftpSession, limits: ListLimits): SftpFileOps {
  const exists = (path: string): Promise<RemoteEntry | undefined> => stat(path).catch(() => undefined);

  async function stat(path: string): Promise<RemoteEntry> {
    const attrs = await s.lstat(path);
    const entry = toEntry(remoteBasename(path) || '/', attrs);
    if (entry.type !== 'symlink') return entry;
    const linkTarget = await s.readlink(path).catch(() => undefined);
    return linkTarget === undefined ? entry : { ...entry, linkTarget };
  }

  async function mkdirOne(path: string): Promise<void> {
    try {
      await s.call<void>(`cannot create ${path}`, (cb) => s.sftp.mkdir(path, cb));
    } catch (err) {
      const there = await exists(path);
      if (there) throw new FerryError('already-exists', `cannot create ${path}: it already exists`, undefined, { cause: err });
      throw err;
    }
  }

  async function mkdirp(path: string): Promise<void> {
    const there = await exists(path);
    if (there?.type === 'dir') return;
    if (there) throw new FerryError('already-exists', `cannot create ${path}: a file with that name exists`);
    const parent = remoteDirname(path);
    if (parent !== path) await mkdirp(parent);
    try {
      await mkdirOne(path);
    } catch (err) {
      if ((await exists(path))?.type === 'dir') return; // created meanwhile by someone else
      throw err;
    }
  }

  async function removeTree(path: string): Promise<void> {
    const entries = await listFolder(s, path, limits);
    for (let i = 0; i < entries.length; i += DELETE_BATCH) {
      await Promise.all(
        entries.slice(i, i + DELETE_BATCH).map((e) => {
          const child = joinRemote(path, e.name);
          return e.type === 'dir' ? removeTree(child) : removeFile(child);
        }),
      );
    }
    await s.call<void>(`cannot delete ${path}`, (cb) => s.sftp.rmdir(path, cb));
  }

  function removeFile(path: string): Promise<void> {
    return s.call<void>(`cannot delete ${path}`, (cb) => s.sftp.unlink(path, cb));
  }

  return {
    stat,
    mkdir: (path, recursive) => (recursive ? mkdirp(path) : mkdirOne(path)),
    async rename(from, to) {
      if (s.hasExtension('posix-rename@openssh.com')) {
        await s.call<void>(`cannot rename ${from}`, (cb) => s.sftp.ext_openssh_rename(from, to, cb));
        return;
      }
      try {
        await s.call<void>(`cannot rename ${from}`, (cb) => s.sftp.rename(from, to, cb));
      } catch (err) {
        if ((await exists(from)) && (await exists(to))) throw new FerryError('already-exists', `cannot rename ${from}: ${to} already exists`, undefined, { cause: err });
        throw err;
      }
    },
    removeFile,
    async removeDir(path, recursive) {
      if (!recursive) return s.call<void>(`cannot delete ${path}`, (cb) => s.sftp.rmdir(path, cb));
      const top = await stat(path);
      // A link to a folder is removed as a link: its target is never touched.
      if (top.type !== 'dir') return removeFile(path);
      return removeTree(path);
    },
    chmod: (path, mode) => s.call<void>(`cannot change the permissions of ${path}`, (cb) => s.sftp.chmod(path, mode, cb)),
  };
}
