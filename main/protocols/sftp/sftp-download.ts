import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FerryError, toFerryError } from '../../core/ferry-error';
import type { TransferOptions } from '../remote-fs';
import { sftpError } from './sftp-errors';
import type { SftpSession } from './sftp-session';
import { PipelineState, RangeWatermark, type PipelineLimits } from './transfer-pipeline';

/** Length of a read past the known end: it normally only meets EOF; a growing file continues from it. */
const PROBE_BYTES = 32 * 1024;

interface Range {
  readonly start: number;
  readonly length: number;
}

/**
 * Downloads one file with many reads in flight (bounded by bytes, not by count), writing each
 * chunk at its own offset. Reads continue until the server says EOF, so a short read is simply
 * re-requested and a file that shrinks ends the transfer with a clear error instead of a spin.
 * Offsets are plain numbers: exact up to 2^53, far past 4 GiB.
 */
export async function downloadFile(session: SftpSession, remotePath: string, localPath: string, options: TransferOptions, limits: PipelineLimits): Promise<number> {
  const offset = options.offset ?? 0;
  const handle = await session.open(remotePath, 'r');
  let local: FileHandle | undefined;
  const state = new PipelineState(limits, options, `the download of ${remotePath}`);
  try {
    // A fresh download may trust the listing's size to plan its reads (one round trip less per
    // file): the reads still go on to EOF, and the caller compares the result with a fresh stat.
    const hinted = offset === 0 && options.expectedSize !== undefined;
    const sizeAtOpen = hinted ? options.expectedSize! : (await session.fstat(handle, remotePath)).size;
    if (offset > sizeAtOpen) throw new FerryError('invalid-request', `cannot resume ${remotePath} at byte ${offset}: the file has only ${sizeAtOpen} bytes`);
    try {
      local = await open(localPath, constants.O_WRONLY | constants.O_CREAT | (offset === 0 ? constants.O_TRUNC : 0), 0o644);
      if (offset > 0) await local.truncate(offset);
    } catch (err) {
      throw toFerryError(err, `cannot write ${localPath}`);
    }
    const end = await pump(session, handle, local, state, offset, sizeAtOpen, limits, localPath);
    if (end < sizeAtOpen && !hinted) {
      throw new FerryError('protocol-error', `${remotePath} shrank from ${sizeAtOpen} to ${end} bytes while it was being read; try again once it is stable`);
    }
    try {
      await local.close();
    } catch (err) {
      throw toFerryError(err, `cannot write ${localPath}`);
    } finally {
      local = undefined;
    }
    state.progress(end, true);
    return end;
  } finally {
    state.dispose();
    await local?.close().catch(() => undefined);
    await session.close(handle, remotePath).catch(() => undefined);
  }
}

async function pump(
  session: SftpSession,
  handle: Buffer,
  local: FileHandle,
  state: PipelineState,
  offset: number,
  sizeAtOpen: number,
  limits: PipelineLimits,
  localPath: string,
): Promise<number> {
  const chunk = limits.chunkSize;
  const watermark = new RangeWatermark(offset);
  const retries: Range[] = [];
  const pool: Buffer[] = [];
  let next = offset;
  let eofAt = Number.POSITIVE_INFINITY;
  /** Highest byte known to exist; reads past it are single probes for EOF or growth. */
  let knownEnd = sizeAtOpen;
  let probing = false;

  const issue = (range: Range): void => {
    // Full chunks share a pool; a short read or a probe gets a buffer of its own size, so a small
    // file does not cost a chunk-sized allocation (255 KiB each, thousands of them per second).
    const pooled = range.length === chunk;
    const buf = (pooled ? pool.pop() : undefined) ?? Buffer.allocUnsafe(range.length);
    const isProbe = range.start >= knownEnd;
    if (isProbe) probing = true;
    state.claim(range.length);
    const settle = (): void => {
      if (pooled) pool.push(buf);
      if (isProbe) probing = false;
      state.settled(range.length);
    };
    try {
      session.sftp.read(handle, buf, 0, range.length, range.start, (err, bytesRead) => {
        if (err) {
          state.fail(sftpError(err, 'cannot read the remote file'));
          settle();
          return;
        }
        if (bytesRead === 0) {
          eofAt = Math.min(eofAt, range.start);
          settle();
          return;
        }
        const landed = range.start + bytesRead;
        if (landed > knownEnd) knownEnd = landed;
        if (bytesRead < range.length) retries.push({ start: landed, length: range.length - bytesRead });
        local.write(buf, 0, bytesRead, range.start).then(
          () => {
            watermark.add(range.start, landed);
            state.progress(watermark.mark);
            settle();
          },
          (werr: unknown) => {
            state.fail(toFerryError(werr, `cannot write ${localPath}`));
            settle();
          },
        );
      });
    } catch (err) {
      state.fail(sftpError(err, 'cannot read the remote file'));
      settle();
    }
  };

  for (;;) {
    if (state.error) break;
    let issued = false;
    session.burst(() => {
      while (!state.error && state.hasRoom()) {
        const retry = retries.findIndex((r) => r.start < eofAt);
        if (retry >= 0) {
          issue(retries.splice(retry, 1)[0]!);
        } else if (next < eofAt && (next < knownEnd || !probing)) {
          const length = next < knownEnd ? Math.min(chunk, knownEnd - next) : Math.min(chunk, PROBE_BYTES);
          issue({ start: next, length });
          next += length;
        } else {
          break;
        }
        issued = true;
      }
    });
    retries.splice(0, retries.length, ...retries.filter((r) => r.start < eofAt));
    if (state.inFlight === 0 && !issued && retries.length === 0) break;
    await state.waitForChange();
  }
  await state.drain();
  if (state.error) throw state.error;
  if (!Number.isFinite(eofAt)) throw new FerryError('protocol-error', 'the download ended without reaching the end of the file');
  if (watermark.mark !== eofAt) throw new FerryError('protocol-error', `the download has a gap at byte ${watermark.mark} before the end at ${eofAt}`);
  return eofAt;
}
