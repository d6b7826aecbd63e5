import type { FileEntryWithStats } from 'ssh2';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { joinRemote } from '../remote-fs';
import { hasStatus, SFTP_STATUS } from './sftp-errors';
import { toEntry, type SftpSession } from './sftp-session';

/** Caps on one listing, so a huge folder cannot exhaust memory. */
export interface ListLimits {
  /** More entries than this = 'limit-exceeded'. */
  readonly maxEntries: number;
  /** More bytes of names (file name + long name) than this = 'limit-exceeded'. */
  readonly maxBytes: number;
}

/** How many link targets are resolved at once. */
const READLINK_BATCH = 64;

/**
 * Lists a folder through opendir/readdir, one server batch at a time, stopping with
 * 'limit-exceeded' as soon as a cap is passed (ssh2's `readdir(path)` would accumulate without
 * bound). Symlinks are reported as symlinks with their target; they are never followed.
 */
export async function listFolder(session: SftpSession, path: string, limits: ListLimits, signal?: AbortSignal): Promise<RemoteEntry[]> {
  const handle = await session.call<Buffer>(`cannot list ${path}`, (cb) => session.sftp.opendir(path, cb));
  const entries: RemoteEntry[] = [];
  const links: number[] = [];
  let bytes = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw new FerryError('cancelled', `the listing of ${path} was cancelled`);
      let batch: FileEntryWithStats[];
      try {
        batch = await session.call<FileEntryWithStats[]>(`cannot list ${path}`, (cb) => session.sftp.readdir(handle, cb));
      } catch (err) {
        if (hasStatus((err as FerryError).cause, SFTP_STATUS.EOF)) break;
        throw err;
      }
      for (const item of batch) {
        bytes += Buffer.byteLength(item.filename) + Buffer.byteLength(item.longname ?? '');
        if (entries.length + 1 > limits.maxEntries || bytes > limits.maxBytes) {
          throw new FerryError('limit-exceeded', `${path} holds more than ${entries.length} entries (limits: ${limits.maxEntries} entries, ${limits.maxBytes} bytes of names)`);
        }
        const entry = toEntry(item.filename, item.attrs, item.longname);
        if (entry.type === 'symlink') links.push(entries.length);
        entries.push(entry);
      }
    }
  } finally {
    await session.close(handle, path).catch(() => undefined);
  }
  for (let i = 0; i < links.length; i += READLINK_BATCH) {
    await Promise.all(
      links.slice(i, i + READLINK_BATCH).map(async (index) => {
        const entry = entries[index]!;
        const target = await session.readlink(joinRemote(path, entry.name)).catch(() => undefined);
        if (target === undefined) return;
        // Link targets count against the same cap as the names: a server cannot grow a listing
        // past it through long targets either.
        bytes += Buffer.byteLength(target);
        if (bytes > limits.maxBytes) throw new FerryError('limit-exceeded', `the links in ${path} point to more than ${limits.maxBytes} bytes of names`);
        entries[index] = { ...entry, linkTarget: target };
      }),
    );
  }
  return entries;
}
