/**
 * When local file calls may run synchronously on the event loop. A page-cache write, open or
 * rename takes microseconds, less than a hand-off to the thread pool, which on a busy machine
 * dominates a small file's cost (lftp and OpenSSH's sftp write the same way). A slow disk
 * (network share, failing or saturated drive) must not stall the event loop, though: after one
 * call over VERY_SLOW_SYNC_MS, or STRIKES calls over SLOW_SYNC_MS within STRIKE_WINDOW_MS (one
 * short stall on a busy machine is as likely the scheduler as the disk), every caller in the
 * process goes to the thread pool for SLOW_DISK_BACKOFF_MS.
 */
const SLOW_SYNC_MS = 4;
const VERY_SLOW_SYNC_MS = 50;
const STRIKES = 3;
const STRIKE_WINDOW_MS = 1000;
const SLOW_DISK_BACKOFF_MS = 30_000;

/** Until when local file operations go through the thread pool (a slow disk was seen). */
let asyncUntil = 0;
let strikes: number[] = [];

/** True while synchronous local file calls are allowed. */
export function syncIoAllowed(): boolean {
  return Date.now() >= asyncUntil;
}

/** Runs one synchronous local file call and counts it against the policy when it was slow. */
export function timedSync<T>(op: () => T): T {
  const started = performance.now();
  try {
    return op();
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

/** Tests: forget any slow disk seen. */
export function resetSyncIoPolicy(): void {
  asyncUntil = 0;
  strikes = [];
}
