import { writev, writevSync } from 'node:fs';
import type { Socket } from 'node:net';
import { FTPError, type FTPContext, type FTPResponse } from 'basic-ftp';
import { DIRECT_AFTER_BYTES, DIRECT_BLOCK, DirectWriter } from '../../core/direct-writer';
import { syncIoAllowed, timedSync } from '../../core/sync-io-policy';
import { tapOf } from './data-tap';

/** Bytes waiting for the disk at most before the data connection is paused. */
const MAX_PENDING = 4 << 20;
/** Received bytes gathered into one synchronous write while writes stay fast. */
const SYNC_BATCH = 64 << 10;

/** Where the bytes of a RETR go: an open file, from a position. */
export interface FileTarget {
  readonly fd: number;
  readonly position: number;
  /** Whether bytes past DIRECT_AFTER_BYTES may go past the page cache (core/direct-writer.ts). */
  readonly direct?: boolean;
}

/** Progress of one retrieval, read by the caller's watchdog and progress reports. */
export interface RetrieveProgress {
  /** Bytes on disk so far (written, not merely received). */
  written: number;
  /** Bytes received so far (what shows the transfer is alive). */
  received: number;
}

/**
 * RETR (after REST when `target.position` > 0) straight from the data connection into the file:
 * what arrives while a write is in flight is gathered into the next positional writev, at most
 * one write is in flight (so the file always holds a contiguous prefix, and a slow transfer
 * still reaches the disk chunk by chunk), and the data connection is paused while more than
 * MAX_PENDING bytes wait for the disk. basic-ftp's downloadTo pipes through two streams; this
 * path costs about a third less CPU per byte, which is what a busy machine gives us.
 * Past DIRECT_AFTER_BYTES the bytes go to a DirectWriter instead (O_DIRECT, same guarantees:
 * one write at a time, contiguous prefix, `written` counts bytes in the file), when the
 * platform and file system allow it.
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
  let direct: DirectWriter | undefined;
  let directTried = target.direct !== true;
  /** Set when the connection reads through a reused buffer (data-tap.ts): chunks kept past onData are copied. */
  const tap = tapOf(data);
  /** Bytes the direct writer has not taken yet (its buffers were full); the data connection is paused meanwhile. */
  const overflow: Buffer[] = [];
  /** Set while the direct writer writes its last bytes; the outcome waits for it. */
  let directFinishing: Promise<void> | undefined;

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
    if (!dataEnded || writing || batchBytes > 0) return;
    if (direct) {
      if (overflow.length > 0) return;
      directFinishing ??= direct.finish().then(
        () => {
          direct = undefined;
          tryFinish();
        },
        (err: Error) => settle?.(err),
      );
      return;
    }
    if (reply) settle?.();
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
  /** Hands bytes to the direct writer, keeping what it cannot take yet (and pausing the connection). */
  const feedDirect = (chunk: Buffer, transient: boolean): void => {
    if (overflow.length > 0) {
      overflow.push(transient ? Buffer.from(chunk) : chunk);
      return;
    }
    let taken: number;
    try {
      taken = direct!.append(chunk);
    } catch (err) {
      settle?.(err as Error);
      return;
    }
    if (taken === chunk.length) return;
    overflow.push(transient ? Buffer.from(chunk.subarray(taken)) : chunk.subarray(taken));
    data.pause();
    const drain = (): void => {
      if (stopped || !direct) return;
      while (overflow.length > 0) {
        const head = overflow[0]!;
        let n: number;
        try {
          n = direct.append(head);
        } catch (err) {
          settle?.(err as Error);
          return;
        }
        if (n < head.length) {
          overflow[0] = head.subarray(n);
          direct.ready().then(drain, (err: Error) => settle?.(err));
          return;
        }
        overflow.shift();
      }
      data.resume();
      if (dataEnded) tryFinish();
    };
    direct!.ready().then(drain, (err: Error) => settle?.(err));
  };
  /**
   * Once this transfer has written DIRECT_AFTER_BYTES (and writes are synchronous, so none is in
   * flight), the bytes up to the next block boundary are written as before and the rest goes to
   * a DirectWriter. Returns the part of `chunk` still to handle the ordinary way.
   */
  const maybeGoDirect = (chunk: Buffer, transient: boolean): Buffer | undefined => {
    if (directTried || writing || !syncIoAllowed() || position + batchBytes - target.position < DIRECT_AFTER_BYTES) return chunk;
    const head = (DIRECT_BLOCK - ((position + batchBytes) % DIRECT_BLOCK)) % DIRECT_BLOCK;
    if (chunk.length <= head) return chunk;
    directTried = true;
    batch.push(chunk.subarray(0, head));
    batchBytes += head;
    if (batchBytes > 0) writeNow();
    if (stopped) return undefined;
    direct = DirectWriter.open(target.fd, position, {
      onDurable: (end) => {
        progress.written = end - target.position;
        position = end;
      },
    });
    if (!direct) return chunk.subarray(head);
    feedDirect(chunk.subarray(head), transient);
    return undefined;
  };
  /** `transient`: the chunk lives in a reused buffer, valid only during this call. */
  const onData = (incoming: Buffer, transient = false): void => {
    progress.received += incoming.length;
    if (direct) return feedDirect(incoming, transient);
    const chunk = maybeGoDirect(incoming, transient);
    if (!chunk) return;
    batch.push(transient ? Buffer.from(chunk) : chunk);
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
      tap?.detach();
      data.removeListener('data', onData);
      data.removeListener('end', onEnd);
      ftp.socket.setTimeout(ftp.timeout);
      ftp.dataSocket = undefined;
      // Settle only when no write is in flight: the caller closes the file right after. The
      // direct writer's staged bytes are good (they arrived in order) and are written first.
      const done = (): void => {
        finalize = undefined;
        if (err) task.reject(err);
        else task.resolve(reply!);
      };
      const pending = direct ? (directFinishing ?? direct.finish()) : undefined;
      finalize = pending ? () => void pending.then(done, (werr: Error) => ((err ??= werr), done())) : done;
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
      if (tap) tap.attach(data, (chunk) => onData(chunk, true));
      else data.on('data', onData);
      data.once('end', onEnd);
    } else if (res.code >= 200 && res.code < 300) {
      reply = res;
      tryFinish();
    } else if (res.code >= 300 && res.code < 400) {
      settle(new FTPError(res));
    }
  });
}
