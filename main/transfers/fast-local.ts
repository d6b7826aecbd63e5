import { renameSync, utimesSync, writeSync } from 'node:fs';
import { rename, utimes, type FileHandle } from 'node:fs/promises';
import { syncIoAllowed, timedSync } from '../core/sync-io-policy';

/**
 * The last local steps of a finished download (set the mtime, rename into place) run
 * synchronously while they are fast: microseconds each on a local disk, less than a thread
 * hand-off, which on a busy machine dominates a small file's cost. A slow disk (network, failing,
 * saturated) sends them to the thread pool for a while (main/core/sync-io-policy.ts), so it stalls the event
 * loop only briefly (the same policy as the SFTP download's local file). Errors are those of the
 * asynchronous calls. The queue journal's appends go the same way.
 */
export const fastLocal = {
  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    if (syncIoAllowed()) timedSync(() => utimesSync(path, atime, mtime));
    else await utimes(path, atime, mtime);
  },
  async rename(from: string, to: string): Promise<void> {
    if (syncIoAllowed()) timedSync(() => renameSync(from, to));
    else await rename(from, to);
  },
  /** Writes all of `text` at the file's position (an append-mode handle appends). */
  async write(fh: FileHandle, text: string): Promise<void> {
    if (syncIoAllowed()) {
      const data = Buffer.from(text);
      timedSync(() => {
        for (let done = 0; done < data.length; ) done += writeSync(fh.fd, data, done, data.length - done);
      });
    } else await fh.write(text);
  },
};
