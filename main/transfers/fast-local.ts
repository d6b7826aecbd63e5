import { renameSync, utimesSync } from 'node:fs';
import { rename, utimes } from 'node:fs/promises';

/** A synchronous operation slower than this sends them all to the thread pool for a while. */
const SLOW_SYNC_MS = 4;
const SLOW_DISK_BACKOFF_MS = 30_000;
let asyncUntil = 0;

/**
 * The last local steps of a finished download (set the mtime, rename into place) run
 * synchronously while they are fast: microseconds each on a local disk, less than a thread
 * hand-off, which on a busy machine dominates a small file's cost. The first slow one (a network
 * or failing disk) sends them to the thread pool for 30 s, so the event loop waits on at most
 * one slow operation. Errors are the same as the asynchronous calls'.
 */
export const fastLocal = {
  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    if (Date.now() >= asyncUntil) timed(() => utimesSync(path, atime, mtime));
    else await utimes(path, atime, mtime);
  },
  async rename(from: string, to: string): Promise<void> {
    if (Date.now() >= asyncUntil) timed(() => renameSync(from, to));
    else await rename(from, to);
  },
};

function timed(op: () => void): void {
  const started = performance.now();
  try {
    op();
  } finally {
    if (performance.now() - started > SLOW_SYNC_MS) asyncUntil = Date.now() + SLOW_DISK_BACKOFF_MS;
  }
}
