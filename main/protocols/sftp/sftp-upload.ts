import { open, type FileHandle } from 'node:fs/promises';
import { FerryError, toFerryError } from '../../core/ferry-error';
import type { TransferOptions } from '../remote-fs';
import { sftpError } from './sftp-errors';
import type { SftpSession } from './sftp-session';
import { PipelineState, RangeWatermark, type PipelineLimits } from './transfer-pipeline';

const OPEN_WRITE = 0x02;
const OPEN_CREAT = 0x08;
const OPEN_TRUNC = 0x10;
/** Chunks sent per local read. */
const BURST = 8;

/**
 * Uploads one file with many writes in flight (bounded by bytes). Without an offset the remote
 * file is created or truncated; with one, bytes from `offset` on are written from there and the
 * remote file is cut to `offset` first if it is longer. ssh2 copies each chunk into its packet
 * at once, so a single read buffer is reused. Resolves with the remote file's final size.
 */
export async function uploadFile(session: SftpSession, localPath: string, remotePath: string, options: TransferOptions, limits: PipelineLimits): Promise<number> {
  const offset = options.offset ?? 0;
  let local: FileHandle;
  try {
    local = await open(localPath, 'r');
  } catch (err) {
    throw toFerryError(err, `cannot read ${localPath}`);
  }
  const state = new PipelineState(limits, options, `the upload of ${localPath}`);
  let handle: Buffer | undefined;
  try {
    const localSize = (await local.stat()).size;
    if (offset > localSize) throw new FerryError('invalid-request', `cannot resume the upload at byte ${offset}: ${localPath} has only ${localSize} bytes`);
    handle = await session.open(remotePath, offset > 0 ? OPEN_WRITE | OPEN_CREAT : OPEN_WRITE | OPEN_CREAT | OPEN_TRUNC);
    if (offset > 0) {
      const remoteSize = (await session.fstat(handle, remotePath)).size;
      if (remoteSize < offset) throw new FerryError('invalid-request', `cannot resume ${remotePath} at byte ${offset}: it has only ${remoteSize} bytes`);
      if (remoteSize > offset) await session.fsetstat(handle, { size: offset }, remotePath);
    }
    const end = await pump(session, handle, local, state, offset, limits, localPath, remotePath);
    const h = handle;
    handle = undefined;
    await session.close(h, remotePath);
    state.progress(end, true);
    return end;
  } finally {
    state.dispose();
    await local.close().catch(() => undefined);
    if (handle) await session.close(handle, remotePath).catch(() => undefined);
  }
}

async function pump(
  session: SftpSession,
  handle: Buffer,
  local: FileHandle,
  state: PipelineState,
  offset: number,
  limits: PipelineLimits,
  localPath: string,
  remotePath: string,
): Promise<number> {
  const chunk = limits.chunkSize;
  // One local read feeds a burst of up to BURST requests; ssh2 copies each chunk at once.
  const block = Buffer.allocUnsafe(chunk * Math.max(1, Math.min(BURST, Math.floor(limits.maxInFlightBytes / chunk))));
  const watermark = new RangeWatermark(offset);
  let position = offset;
  let localEof = false;
  /** Sends one chunk whose bytes were already claimed. */
  const send = (buf: Buffer, n: number, start: number): void => {
    try {
      session.writeBuffers.write(session.sftp, handle, buf, 0, n, start, (err) => {
        if (err) state.fail(sftpError(err, `cannot write ${remotePath}`));
        else {
          watermark.add(start, start + n);
          state.progress(watermark.mark);
        }
        state.settled(n);
      });
    } catch (err) {
      state.fail(sftpError(err, `cannot write ${remotePath}`));
      state.settled(n);
    }
  };
  while (!state.error) {
    if (!localEof && state.hasRoom()) {
      const room = Math.max(chunk, Math.floor(state.room() / chunk) * chunk);
      const want = Math.min(block.length, room);
      // Claimed before the read, so transfers running meanwhile cannot overshoot the budget.
      state.claim(want);
      let n: number;
      try {
        n = (await local.read(block, 0, want, position)).bytesRead;
      } catch (err) {
        state.settled(want);
        state.fail(toFerryError(err, `cannot read ${localPath}`));
        break;
      }
      state.settled(want - n);
      if (state.error) {
        state.settled(n);
        break;
      }
      if (n === 0) localEof = true;
      const base = position;
      position += n;
      session.burst(() => {
        for (let off = 0; off < n; off += chunk) send(block.subarray(off, Math.min(n, off + chunk)), Math.min(chunk, n - off), base + off);
      });
      continue;
    }
    if (localEof && state.inFlight === 0) break;
    await state.waitForChange();
  }
  await state.drain();
  if (state.error) {
    // The server has confirmed every byte up to the watermark: a retry may resume from there.
    state.progress(watermark.mark, true);
    throw state.error;
  }
  return watermark.mark;
}
