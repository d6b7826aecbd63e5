import { writev, writevSync } from 'node:fs';
import type { Socket } from 'node:net';
import { FTPError, type FTPContext, type FTPResponse } from 'basic-ftp';
import { syncIoAllowed, timedSync } from '../../core/sync-io-policy';

/** Bytes waiting for the disk at most before the data connection is paused. */
const MAX_PENDING = 4 << 20;
/** Received bytes gathered into one synchronous write while writes stay fast. */
const SYNC_BATCH = 64 << 10;

/** Where the bytes of a RETR go: an open file, from a position. */
export interface FileTarget {
  readonly fd: number;
  readonly position: number;
}

/** Progress of one retrieval, read by the caller's watchdog and progress reports. */
export interface RetrieveProgress {
  /** Bytes on disk so far (written, not merely received). */
  written: number;
}

/**
 * RETR (after REST when `target.position` > 0) straight from the data connection into the file:
 * what arrives while a write is in flight is gathered into the next positional writev, at most
 * one write is in flight (so the file always holds a contiguous prefix, and a slow transfer
 * still reaches the disk chunk by chunk), and the data connection is paused while more than
 * MAX_PENDING bytes wait for the disk. basic-ftp's downloadTo pipes through two streams; this
 * path costs about a third less CPU per byte, which is what a busy machine gives us.
 * The data connection must already be open (prepareTransfer). Resolves once the server
 * confirmed the transfer AND every byte is on disk, and in every case only once no write is in
 * flight (the caller may close the file at once). An error reply rejects with basic-ftp's
 * FTPError; any other failure with the socket or file error (the caller closes the session).
 */
export function retrieveToFile(ftp: FTPContext, remotePath: string, target: FileTarget, progress: RetrieveProgress): Promise<FTPResponse> {
  const data = ftp.dataSocket as Socket | undefined;
  if (!data) return Promise.reject(new Error('no data connection is open for RETR'));
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let position = target.position;
  let writing = false;
  let dataEnded = false;
  let started = false;
  let reply: FTPResponse | undefined;
  let settle: ((err?: Error) => void) | undefined;
  /** Set once the outcome is known: no further write is started after it. */
  let stopped = false;
  let finalize: (() => void) | undefined;

  const writeNow = (): void => {
    const buffers = batch;
    const n = batchBytes;
    batch = [];
    batchBytes = 0;
    try {
      timedSync(() => writevSync(target.fd, buffers, position));
    } catch (err) {
      settle?.(err as Error);
      return;
    }
    position += n;
    progress.written += n;
  };

  const tryFinish = (): void => {
    if (dataEnded && !writing && batchBytes === 0 && reply) settle?.();
  };
  /**
   * Writes are synchronous while the process's sync-I/O policy allows (main/core/sync-io-policy.ts):
   * a write into the page cache takes microseconds, and doing it here spares a thread hand-off per
   * batch, which on a busy machine costs more than the write itself (lftp and curl write the same
   * way). A slow disk switches to asynchronous writes, so it stalls the event loop only briefly.
   * Less than SYNC_BATCH is written at the end of the event-loop turn that brought it, so a slow
   * trickle still reaches the disk.
   */
  let turnEnd: NodeJS.Immediate | undefined;
  const flush = (final = false): void => {
    if (stopped) return;
    if (syncIoAllowed() && !writing) {
      if (batchBytes > 0 && (final || batchBytes >= SYNC_BATCH)) writeNow();
      else if (batchBytes > 0) turnEnd ??= setImmediate(() => {
        turnEnd = undefined;
        flush(true);
      });
      return tryFinish();
    }
    if (writing || batchBytes === 0) return tryFinish();
    const buffers = batch;
    const n = batchBytes;
    batch = [];
    batchBytes = 0;
    writing = true;
    writev(target.fd, buffers, position, (err) => {
      writing = false;
      if (!err) {
        position += n;
        progress.written += n;
      }
      // The outcome was decided while this write ran: report it now that the file is quiet.
      if (stopped) return finalize?.();
      if (err) return settle?.(err);
      if (data.isPaused() && batchBytes < MAX_PENDING) data.resume();
      flush();
    });
  };
  const onData = (chunk: Buffer): void => {
    batch.push(chunk);
    batchBytes += chunk.length;
    flush();
    if (batchBytes >= MAX_PENDING) data.pause();
  };
  const onEnd = (): void => {
    dataEnded = true;
    flush(true);
  };

  const command = target.position > 0 ? `REST ${target.position}` : `RETR ${remotePath}`;
  return ftp.handle(command, (res, task) => {
    settle ??= (err) => {
      settle = () => undefined;
      stopped = true;
      if (turnEnd) clearImmediate(turnEnd);
      data.removeListener('data', onData);
      data.removeListener('end', onEnd);
      ftp.socket.setTimeout(ftp.timeout);
      ftp.dataSocket = undefined;
      // Settle only when no write is in flight: the caller closes the file right after.
      finalize = () => {
        finalize = undefined;
        if (err) task.reject(err);
        else task.resolve(reply!);
      };
      if (!writing) finalize();
    };
    if (res instanceof Error) return settle(res);
    if (res.code === 350 && target.position > 0 && !started) {
      ftp.send(`RETR ${remotePath}`);
    } else if ((res.code === 150 || res.code === 125) && !started) {
      started = true;
      // The data connection carries the transfer now: the control connection may sit silent
      // for as long as it lasts (the caller's watchdog looks after stalls).
      ftp.socket.setTimeout(0);
      data.on('data', onData);
      data.once('end', onEnd);
    } else if (res.code >= 200 && res.code < 300) {
      reply = res;
      tryFinish();
    } else if (res.code >= 300 && res.code < 400) {
      settle(new FTPError(res));
    }
  });
}
