import { renameSync, utimesSync, writeSync } from 'node:fs';
import { rename, utimes, type FileHandle } from 'node:fs/promises';

/**
 * When synchronous local calls stop: after one that takes over 50 ms, or three over 4 ms within a
 * second (one short stall on a busy machine is as likely the scheduler as the disk), they go to
 * the thread pool for 30 s.
 */
const SLOW_SYNC_MS = 4;
const VERY_SLOW_SYNC_MS = 50;
const STRIKES = 3;
const STRIKE_WINDOW_MS = 1000;
const SLOW_DISK_BACKOFF_MS = 30_000;
/** Until when local file operations go through the thread pool (a slow disk was seen). */
let asyncUntil = 0;
let strikes: number[] = [];

/**
 * The last local steps of a finished download (set the mtime, rename into place) run
 * synchronously while they are fast: microseconds each on a local disk, less than a thread
 * hand-off, which on a busy machine dominates a small file's cost. A slow disk (network, failing,
 * saturated) sends them to the thread pool for a while (see SLOW_SYNC_MS), so it stalls the event
 * loop only briefly (the same policy as the SFTP download's local file). Errors are those of the
 * asynchronous calls. The queue journal's appends go the same way.
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
  /** Writes all of `text` at the file's position (an append-mode handle appends). */
  async write(fh: FileHandle, text: string): Promise<void> {
    if (Date.now() >= asyncUntil) {
      const data = Buffer.from(text);
      timed(() => {
        for (let done = 0; done < data.length; ) done += writeSync(fh.fd, data, done, data.length - done);
      });
    } else await fh.write(text);
  },
};

function timed(op: () => void): void {
  const started = performance.now();
  try {
    op();
  } finally {
    const took = performance.now() - started;
    if (took > SLOW_SYNC_MS) {
      const now = Date.now();
      strikes = strikes.filter((t) => now - t < STRIKE_WINDOW_MS);
      strikes.push(now);
      if (took > VERY_SLOW_SYNC_MS || strikes.length >= STRIKES) {
        asyncUntil = now + SLOW_DISK_BACKOFF_MS;
        strikes = [];
      }
    }
  }
}
