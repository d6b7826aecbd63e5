import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { QueueUpdate, TransferRequest } from '../../shared/model/transfer';
import { createLogger, type Logger } from '../../main/core/logger';
import type { Prompter } from '../../main/core/prompter';
import type { LogLine } from '../../shared/model/log-line';
import { TransferQueue, type TransferQueueOptions } from '../../main/transfers/transfer-queue';
import type { ConnectFn } from '../../main/transfers/connection-pool';

export const TARGET: ConnectionTarget = { protocol: 'sftp', host: 'fake.test', port: 22, user: 'u' };

/** A per-test temp folder, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-transfers-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A logger that keeps lines for assertions. */
export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { logger: createLogger({ write: (l) => lines.push(l) }, 'test'), lines };
}

/** Builds and starts a queue with fast test defaults. */
export async function startQueue(
  stateDir: string,
  connect: ConnectFn,
  options: TransferQueueOptions & { prompter?: Prompter } = {},
): Promise<{ queue: TransferQueue; updates: QueueUpdate[]; lines: LogLine[] }> {
  const { logger, lines } = memoryLogger();
  const prompter: Prompter = options.prompter ?? { ask: async () => null };
  const queue = new TransferQueue(stateDir, connect, prompter, logger, { backoff: { baseMs: 5, maxMs: 40 }, updateIntervalMs: 20, ...options });
  const updates: QueueUpdate[] = [];
  queue.onUpdate((u) => updates.push(u));
  await queue.start();
  return { queue, updates, lines };
}

export function download(remotePath: string, localPath: string, extra: Partial<TransferRequest> = {}): TransferRequest {
  return { direction: 'download', target: TARGET, remotePath, localPath, recursive: true, ...extra };
}

export function upload(localPath: string, remotePath: string, extra: Partial<TransferRequest> = {}): TransferRequest {
  return { direction: 'upload', target: TARGET, remotePath, localPath, recursive: true, ...extra };
}

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  return b;
}

/** Byte equality without vitest's element-by-element diff (slow on MiBs). */
export function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a !== undefined && b !== undefined && a.equals(b);
}

/** Polls until `cond` holds (bounded, so a broken test fails instead of hanging). */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
