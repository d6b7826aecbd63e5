import { constants, createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { FTPError } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { TransferOptions } from '../remote-fs';
import { sendCommand } from './ftp-control';
import { ftpError } from './ftp-errors';
import { stat as remoteStat } from './ftp-operations';
import { prepareDownload } from './data-tap';
import { retrieveToFile } from './ftp-retrieve';
import type { FtpSession } from './ftp-session';

/** Upload read size: fewer, larger disk reads and TLS writes (Node streams default to 64 KiB). */
const STREAM_BUFFER = 1 << 20;
const PROGRESS_EVERY_MS = 250;

/**
 * Watches one transfer: reports progress (`count`: bytes done) a few times a second and, when no
 * byte moved (`moved`: bytes received or sent, which may run ahead of `count`) for
 * `idleMs` (before the first byte, during, or while waiting for the final reply), closes the
 * session so the transfer fails with 'timeout'. An abort signal closes it too ('cancelled').
 */
function watch(session: FtpSession, idleMs: number, count: () => number, options: TransferOptions, base: number, moved: () => number = count): { stop(): void; verdict(err: unknown, what: string): FerryError } {
  let last = -1;
  let idle = 0;
  let reason: FerryError | undefined;
  const timer = setInterval(() => {
    options.onProgress?.({ transferred: base + count() });
    const n = moved();
    if (n !== last) {
      last = n;
      idle = 0;
      return;
    }
    idle += PROGRESS_EVERY_MS;
    if (idle >= idleMs && !reason) {
      reason = new FerryError('timeout', `no data moved for ${Math.round(idleMs / 1000)} s`);
      session.close();
    }
  }, PROGRESS_EVERY_MS);
  const onAbort = (): void => {
    reason ??= new FerryError('cancelled', 'cancelled');
    session.close();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    stop() {
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
    verdict(err, what) {
      return reason ?? ftpError(err, what);
    },
  };
}

/**
 * RETR (with REST when resuming) into `localPath`: the file is cut to `offset` first (when it
 * holds another size), then written from there. Resolves with the local file's final size.
 */
export async function downloadFile(session: FtpSession, remotePath: string, localPath: string, options: TransferOptions = {}): Promise<number> {
  const offset = options.offset ?? 0;
  if (options.signal?.aborted) throw new FerryError('cancelled', 'cancelled');
  let handle;
  try {
    handle = await open(localPath, constants.O_WRONLY | constants.O_CREAT, 0o644);
    // Only when the size is wrong: on ext4, truncating a file to 0 (even an empty new one) makes
    // its close() start writing the whole file back (auto_da_alloc), ~0.4 s per GiB of waiting.
    if ((await handle.stat()).size !== offset) await handle.truncate(offset);
  } catch (err) {
    await handle?.close();
    throw ftpError(err, `cannot write ${localPath}`);
  }
  const progress = { written: 0, received: 0 };
  const watcher = watch(session, session.endpoint.timeouts.idleMs, () => progress.written, options, offset, () => progress.received);
  try {
    const { client } = session;
    // The data connection reads into one reused buffer (data-tap.ts) when passive mode dials it.
    await prepareDownload(client.ftp, () => client.prepareTransfer(client.ftp));
    await retrieveToFile(client.ftp, remotePath, { fd: handle.fd, position: offset, direct: true }, progress);
  } catch (err) {
    if (!session.closed && !(err instanceof FTPError)) session.close();
    throw watcher.verdict(err, `cannot download ${remotePath}`);
  } finally {
    watcher.stop();
    // Any write still in flight lands before the file is closed (close waits for pending operations).
    await handle.close().catch(() => undefined);
    // What is in the file, also after a failure: a retry resumes from there, not from the last
    // timed report (up to 250 ms behind).
    options.onProgress?.({ transferred: offset + progress.written });
  }
  return offset + progress.written;
}

/**
 * The size the server reports for `path`: SIZE, or MLST / the parent's listing when the server
 * refuses SIZE. A server that cannot tell is an error (the size check is never skipped).
 */
async function serverSize(session: FtpSession, path: string): Promise<number> {
  const { commandMs } = session.endpoint.timeouts;
  const res = await sendCommand(session.client, `SIZE ${path}`, commandMs, `SIZE ${path}`).catch((err: unknown) => {
    // A negative reply leaves the connection usable: ask another way. Anything else is fatal.
    if (session.closed) throw err;
    return undefined;
  });
  const m = res && /^213\s+(\d+)\s*$/.exec(res.message);
  if (m) return Number(m[1]);
  const entry = await remoteStat(session, path, session.endpoint.timeouts).catch((err: unknown) => {
    const fe = ftpError(err, `cannot check the size of ${path}`);
    throw new FerryError(fe.code, `the upload of ${path} cannot be verified: the server does not report its size (${fe.message})`, fe.detail, { cause: err });
  });
  if (entry.type !== 'file') throw new FerryError('protocol-error', `the upload of ${path} cannot be verified: the server reports a ${entry.type}, not a file`);
  return entry.size;
}

/**
 * STOR, or APPE from `offset` when resuming (after SIZE confirms the server holds exactly
 * `offset` bytes). Once the server confirmed the transfer, its size of the file is checked
 * against the local file (a server that dropped bytes fails the upload with 'protocol-error').
 * Resolves with the size the server reports.
 */
export async function uploadFile(session: FtpSession, localPath: string, remotePath: string, options: TransferOptions = {}): Promise<number> {
  const offset = options.offset ?? 0;
  if (options.signal?.aborted) throw new FerryError('cancelled', 'cancelled');
  const local = await stat(localPath).catch((err: unknown) => {
    throw ftpError(err, `cannot read ${localPath}`);
  });
  if (offset > local.size) throw new FerryError('invalid-request', `cannot resume ${remotePath} at ${offset}: ${localPath} holds only ${local.size} bytes`);
  if (offset > 0) {
    const res = await sendCommand(session.client, `SIZE ${remotePath}`, session.endpoint.timeouts.commandMs, `SIZE ${remotePath}`);
    const remoteSize = Number.parseInt(res.message.slice(4), 10);
    if (Number.isFinite(remoteSize) && remoteSize !== offset) {
      throw new FerryError('invalid-request', `cannot resume ${remotePath} at ${offset}: the server holds ${remoteSize} bytes`);
    }
  }
  // Sized to the file: a 1 MiB read buffer per 4 KiB file would churn the garbage collector.
  const source = createReadStream(localPath, { start: offset, ...(local.size > offset ? { end: local.size - 1 } : {}), highWaterMark: Math.max(64 * 1024, Math.min(STREAM_BUFFER, local.size - offset)) });
  const watcher = watch(session, session.endpoint.timeouts.idleMs, () => source.bytesRead, options, offset);
  try {
    if (offset > 0) await session.client.appendFrom(source, remotePath);
    else await session.client.uploadFrom(source, remotePath);
  } catch (err) {
    if (!session.closed && !(err && typeof (err as { code?: unknown }).code === 'number')) session.close();
    throw watcher.verdict(err, `cannot upload ${remotePath}`);
  } finally {
    watcher.stop();
    source.destroy();
    // The server cannot hold more than was read. Reported whatever happens (a failure now, or in
    // the SIZE check below): a retry resumes from the server's size, which the caller limits by
    // this, and a stale timed report could lie below it (APPE cannot go back).
    options.onProgress?.({ transferred: offset + source.bytesRead });
  }
  const expected = local.size - offset;
  if (source.bytesRead !== expected) {
    throw new FerryError('partial', `${localPath} changed while it was uploaded: sent ${source.bytesRead} of ${expected} bytes`);
  }
  const size = await serverSize(session, remotePath);
  if (size !== local.size) {
    throw new FerryError('protocol-error', `the server holds ${size} bytes of ${remotePath} after the upload, not the ${local.size} bytes of ${localPath}`, `server ${size}, local ${local.size}`);
  }
  options.onProgress?.({ transferred: size });
  return size;
}
