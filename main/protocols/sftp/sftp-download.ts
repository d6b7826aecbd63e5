import { constants } from 'node:fs';
import { FerryError, toFerryError } from '../../core/ferry-error';
import type { TransferOptions } from '../remote-fs';
import { sftpError } from './sftp-errors';
import { LocalFile } from './sftp-local-file';
import type { SftpSession } from './sftp-session';
import { PipelineState, RangeWatermark, type PipelineLimits } from './transfer-pipeline';

/** Length of a read past the known end: it normally only meets EOF; a growing file continues from it. */
const PROBE_BYTES = 32 * 1024;
/** Bytes of READs issued together once a download's pipeline is full (see pump). */
const REFILL_BATCH_BYTES = 1024 * 1024;
/** Files listed below this size are fetched with one read and no pipeline bookkeeping. */
const ONE_READ_BYTES = 64 * 1024;

interface Range {
  readonly start: number;
  readonly length: number;
  /** Asked one byte past the listed size: a short answer ending at that size is the EOF. */
  readonly endCheck?: boolean;
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
  let local: LocalFile | undefined;
  let state: PipelineState | undefined;
  try {
    // A fresh download may trust the listing's size to plan its reads (one round trip less per
    // file): the reads still go on to EOF, and the caller compares the result with a fresh stat.
    const hinted = offset === 0 && options.expectedSize !== undefined;
    const sizeAtOpen = hinted ? options.expectedSize! : (await session.fstat(handle, remotePath)).size;
    if (offset > sizeAtOpen) throw new FerryError('invalid-request', `cannot resume ${remotePath} at byte ${offset}: the file has only ${sizeAtOpen} bytes`);
    try {
      local = await LocalFile.open(localPath, constants.O_WRONLY | constants.O_CREAT | (offset === 0 ? constants.O_TRUNC : 0));
      if (offset > 0) await local.truncate(offset);
    } catch (err) {
      throw toFerryError(err, `cannot write ${localPath}`);
    }
    let from = offset;
    let knownEnd = sizeAtOpen;
    let planned = hinted;
    if (hinted && sizeAtOpen < Math.min(ONE_READ_BYTES, limits.chunkSize)) {
      // A small file: one read of one byte more than listed. An answer of exactly the listed size
      // is the whole file (a short read ends only at EOF); anything else means the file changed
      // since it was listed, and the pipeline below reads on from there to EOF.
      const got = await readOnce(session, handle, remotePath, sizeAtOpen + 1, options.signal);
      try {
        if (got.length > 0) await local.write(got, got.length, 0);
        // Closing twice is harmless: the finally below finds it closed.
        if (got.length === sizeAtOpen) await local.close();
      } catch (err) {
        throw toFerryError(err, `cannot write ${localPath}`);
      }
      if (got.length === sizeAtOpen) {
        options.onProgress?.({ transferred: got.length });
        return got.length;
      }
      from = got.length;
      knownEnd = got.length;
      planned = false;
    }
    state = new PipelineState(limits, options, `the download of ${remotePath}`);
    const end = await pump(session, handle, local, state, from, knownEnd, planned, limits, localPath);
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
    state?.dispose();
    await local?.close().catch(() => undefined);
    await session.close(handle, remotePath).catch(() => undefined);
  }
}

/** One read at offset 0 (within the server's read size): the bytes it returned, none at EOF. */
async function readOnce(session: SftpSession, handle: Buffer, remotePath: string, length: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const cancelled = (): FerryError => new FerryError('cancelled', `the download of ${remotePath} was cancelled`);
  if (signal?.aborted) throw cancelled();
  const buf = Buffer.allocUnsafe(length);
  const n = await session.call<number>('cannot read the remote file', (cb) => session.sftp.read(handle, buf, 0, length, 0, (err, bytesRead) => cb(err, bytesRead)));
  if (signal?.aborted) throw cancelled();
  return buf.subarray(0, n);
}

async function pump(
  session: SftpSession,
  handle: Buffer,
  local: LocalFile,
  state: PipelineState,
  offset: number,
  sizeAtOpen: number,
  hinted: boolean,
  limits: PipelineLimits,
  localPath: string,
): Promise<number> {
  const chunk = limits.chunkSize;
  const watermark = new RangeWatermark(offset);
  // Bytes staged for a direct write count as transferred once they are in the file.
  local.onDurable = (end) => state.progress(Math.min(watermark.mark, end));
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
    const isProbe = range.start >= knownEnd || range.endCheck === true;
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
        if (bytesRead < range.length) {
          if (range.endCheck && landed === sizeAtOpen) eofAt = Math.min(eofAt, landed);
          else retries.push({ start: landed, length: range.length - bytesRead });
        }
        const written = (): void => {
          watermark.add(range.start, landed);
          state.progress(local.durable(watermark.mark));
          settle();
        };
        const failed = (werr: unknown): void => {
          state.fail(toFerryError(werr, `cannot write ${localPath}`));
          settle();
        };
        let pending: Promise<void> | undefined;
        try {
          pending = local.write(buf, bytesRead, range.start);
        } catch (werr) {
          failed(werr);
          return;
        }
        if (pending) pending.then(written, failed);
        else written();
      });
    } catch (err) {
      state.fail(sftpError(err, 'cannot read the remote file'));
      settle();
    }
  };

  // Once the pipeline runs, READs go out in batches (an eighth of the window, at most 1 MiB):
  // a few SSH packets per batch instead of one per request, for both sides.
  const batch = Math.max(chunk, Math.min(REFILL_BATCH_BYTES, Math.floor(limits.maxInFlightBytes / 8)));
  for (;;) {
    if (state.error) break;
    let issued = false;
    const refill = state.inFlight === 0 || retries.length > 0 || state.room() >= batch || (next >= knownEnd && !probing);
    if (refill) session.burst(() => {
      while (!state.error && state.hasRoom()) {
        const retry = retries.findIndex((r) => r.start < eofAt);
        if (retry >= 0) {
          issue(retries.splice(retry, 1)[0]!);
        } else if (next < eofAt && (next < knownEnd || !probing)) {
          let length = next < knownEnd ? Math.min(chunk, knownEnd - next) : Math.min(chunk, PROBE_BYTES);
          // SFTP has a read of a disk file return every byte asked for up to EOF: the read that
          // ends at the listed size asks for one byte more, and a short answer ending exactly
          // there is the EOF, which spares a probe (a third of the requests of a small file).
          const endCheck = hinted && next + length === sizeAtOpen && length < chunk;
          if (endCheck) length++;
          issue({ start: next, length, endCheck });
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
  if (state.error) {
    // Every byte up to the watermark has been written or staged: once the staged bytes are in the
    // file, report them, so a retry resumes from there and not from the last throttled report.
    if (await local.close().then(() => true, () => false)) state.progress(watermark.mark, true);
    throw state.error;
  }
  if (!Number.isFinite(eofAt)) throw new FerryError('protocol-error', 'the download ended without reaching the end of the file');
  if (watermark.mark !== eofAt) throw new FerryError('protocol-error', `the download has a gap at byte ${watermark.mark} before the end at ${eofAt}`);
  return eofAt;
}
