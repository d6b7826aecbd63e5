import type { ErrorCode } from '../../../shared/ipc/errors';
import type { QueueUpdate, TransferRequest } from '../../../shared/model/transfer';
import { humanBytes } from '../../core/byte-size';

/** The `--json` summary of a get/put: counts, bytes, time, and every file that did not transfer. */
export interface TransferSummary {
  readonly ok: boolean;
  readonly direction: TransferRequest['direction'];
  readonly source: string;
  readonly destination: string;
  readonly files: { readonly total: number; readonly done: number; readonly failed: number; readonly skipped: number; readonly cancelled: number };
  readonly bytes: number;
  readonly seconds: number;
  readonly bytesPerSecond: number;
  readonly failures: readonly { readonly path: string; readonly code: ErrorCode; readonly message: string }[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** Builds the summary from the queue's final snapshot. */
export function summarize(snap: QueueUpdate, request: TransferRequest, elapsedMs: number): TransferSummary {
  const source = request.direction === 'download' ? request.remotePath : request.localPath;
  const destination = request.direction === 'download' ? request.localPath : request.remotePath;
  const pathOf = (i: QueueUpdate['items'][number]) => (request.direction === 'download' ? i.remotePath : i.localPath);
  const count = (state: string) => snap.items.filter((i) => i.state === state).length;
  const bytes = snap.items.filter((i) => i.state === 'done').reduce((n, i) => n + i.size, 0);
  const files = { total: snap.items.length, done: count('done'), failed: count('failed'), skipped: count('skipped'), cancelled: count('cancelled') };
  const seconds = Math.max(0.001, elapsedMs / 1000);
  return {
    ok: files.failed + files.skipped + files.cancelled === 0 && files.total > 0,
    direction: request.direction,
    source,
    destination,
    files,
    bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    bytesPerSecond: Math.round(bytes / seconds),
    failures: snap.items.filter((i) => i.state === 'failed').map((i) => ({ path: pathOf(i), code: i.error?.code ?? 'internal', message: i.error?.message ?? 'failed' })),
    skipped: snap.items.filter((i) => i.state === 'skipped').map((i) => ({ path: pathOf(i), reason: i.error?.message ?? 'skipped' })),
  };
}

/** One progress line for a terminal: bar, percent, files, rate, ETA. */
export function renderProgress(t: QueueUpdate['totals'], width = 24): string {
  const frac = t.bytes > 0 ? Math.min(1, t.transferred / t.bytes) : 0;
  const filled = Math.round(frac * width);
  const files = t.done + t.failed;
  const total = files + t.queued + t.active;
  const eta = t.eta === null ? '--:--' : clock(t.eta);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${files}/${total} files  ${human(t.transferred)}  ${human(t.rate)}/s  ETA ${eta}`;
}

/** Bytes in B, KiB, MiB, GiB (the core's one formatter). */
export const human = humanBytes;

function clock(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}
