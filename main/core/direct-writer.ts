import { close, constants, openSync, statfsSync, write } from 'node:fs';

/**
 * Sequential writes of a big download that bypass the page cache (Linux O_DIRECT).
 *
 * Why: a download written through the page cache makes the kernel find a fresh page for every
 * 4 KiB. In a VM whose host reclaims the guest's free memory (free-page reporting, balloons:
 * common for cloud and Firecracker guests, and this project's CI machine), touching such a page
 * traps to the host: measured here, writing 1 GiB through the cache costs 0.2 to 3 s of system
 * CPU depending on what the host reclaimed, more than the transfer itself, while O_DIRECT from
 * reused buffers costs 0.02-0.1 s and runs at the disk's speed (1.6-1.9 GB/s here). The data is
 * also on the device when the download ends, so the fsync of checkpoints and of the finished
 * file costs next to nothing, and a multi-GB download does not evict the user's page cache.
 *
 * How: bytes are copied into page-aligned staging buffers (O_DIRECT needs the memory, the file
 * offset and the length aligned) and each full buffer is written with one positional write,
 * never more than one at a time, so the file always holds a contiguous prefix of the download
 * (a crash leaves no hole; resume relies on that). The last partial block goes through the
 * caller's ordinary descriptor. Aligned memory comes from one WebAssembly.Memory (its base is
 * page-aligned, unlike a Buffer's), shared by every writer of the process: when its buffers are
 * taken, or the platform or file system has no O_DIRECT, callers keep their ordinary writes.
 */

/** Alignment of file offsets, lengths and memory for O_DIRECT (covers 512- and 4096-byte devices). */
export const DIRECT_BLOCK = 4096;
/** One staging buffer: one write to the disk. */
const STAGE_BYTES = 4 << 20;
/** Buffers in the process-wide pool; a writer takes two (one filling while the other is written). */
const POOL_STAGES = 8;
/** A transfer switches to direct writes after this many bytes (small files stay in the page cache). */
export const DIRECT_AFTER_BYTES = 8 << 20;

/**
 * File systems on local block devices, by statfs magic: ext2/3/4, XFS, btrfs, F2FS. Elsewhere
 * (NFS, SMB, FUSE, tmpfs...) direct writes either gain nothing or turn every 4 MiB into a
 * synchronous round trip, so the page cache stays in charge.
 */
const LOCAL_FILE_SYSTEMS: ReadonlySet<number> = new Set([0xef53, 0x58465342, 0x9123683e, 0xf2f52010]);

let pool: Buffer[] | undefined;

/** WebAssembly.Memory, typed here: the Node lib of this project's tsconfig declares only WebAssembly's types. */
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory;

function takeStages(): [Buffer, Buffer] | undefined {
  if (!pool) {
    const memory = new WasmMemory({ initial: (POOL_STAGES * STAGE_BYTES) / 65536, maximum: (POOL_STAGES * STAGE_BYTES) / 65536 });
    pool = Array.from({ length: POOL_STAGES }, (_, i) => Buffer.from(memory.buffer, i * STAGE_BYTES, STAGE_BYTES));
  }
  if (pool.length < 2) return undefined;
  return [pool.pop()!, pool.pop()!];
}

/** Whether direct writes may be tried here: Linux, and not switched off by FERRY_NO_DIRECT_IO=1. */
export function directIoAvailable(): boolean {
  return process.platform === 'linux' && constants.O_DIRECT !== undefined && process.env.FERRY_NO_DIRECT_IO !== '1';
}

/** Whether the open file lives on a local block-device file system (LOCAL_FILE_SYSTEMS). */
function onLocalFileSystem(fd: number): boolean {
  return directWritesPossibleAt(`/proc/self/fd/${fd}`);
}

/** Whether files at `path` (a file or folder) may get direct writes: platform, switch and file system. */
export function directWritesPossibleAt(path: string): boolean {
  if (!directIoAvailable()) return false;
  try {
    return LOCAL_FILE_SYSTEMS.has(Number(statfsSync(path).type));
  } catch {
    return false;
  }
}

/** The write call, replaceable by tests (to simulate a file system that refuses O_DIRECT). */
export type PositionalWrite = (fd: number, buf: Buffer, offset: number, length: number, position: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void) => void;

/** Options of DirectWriter.open. */
export interface DirectWriterOptions {
  /** Called with the end of the bytes in the file after each write. */
  readonly onDurable?: (end: number) => void;
  /** Staged bytes older than this (ms) are written even if their buffer is not full (default 1000). */
  readonly flushEveryMs?: number;
  readonly write?: PositionalWrite;
}

export class DirectWriter {
  /** The buffer appends go to, how much it holds, and how much of that is written (or being written). */
  private fill: Buffer;
  private fillLen = 0;
  private fillFlushed = 0;
  /** The other buffer, unless a write of it is in flight. */
  private spare: Buffer | undefined;
  private writing = false;
  private failure: Error | undefined;
  private waiters: Array<() => void> = [];
  private finished = false;
  /** After a refused direct write, writes go through the ordinary descriptor instead. */
  private target: number;
  private nextPos: number;
  private durableEnd: number;
  private lastWriteAt = performance.now();
  private readonly stages: [Buffer, Buffer];
  private readonly onDurable: ((end: number) => void) | undefined;
  private readonly flushEveryMs: number;
  private readonly writeAt: PositionalWrite;

  private constructor(
    private readonly directFd: number,
    private readonly plainFd: number,
    start: number,
    stages: [Buffer, Buffer],
    options: DirectWriterOptions,
  ) {
    this.stages = stages;
    this.fill = stages[0];
    this.spare = stages[1];
    this.target = directFd;
    this.nextPos = start;
    this.durableEnd = start;
    this.onDurable = options.onDurable;
    this.flushEveryMs = options.flushEveryMs ?? 1000;
    this.writeAt = options.write ?? write;
  }

  /**
   * A writer appending at `start` (a multiple of DIRECT_BLOCK) to the file open as `plainFd`,
   * which the caller keeps and closes. The second descriptor is opened through /proc/self/fd, so
   * it is the same file even if its path was swapped meanwhile. Undefined when direct writes are
   * not possible or not worth it here (platform, a file system not on a local disk, no /proc, no
   * free buffers): the caller goes on as before.
   */
  static open(plainFd: number, start: number, options: DirectWriterOptions = {}): DirectWriter | undefined {
    if (!directIoAvailable() || start % DIRECT_BLOCK !== 0 || !onLocalFileSystem(plainFd)) return undefined;
    const stages = takeStages();
    if (!stages) return undefined;
    let fd: number;
    try {
      fd = openSync(`/proc/self/fd/${plainFd}`, constants.O_WRONLY | constants.O_DIRECT);
    } catch {
      pool!.push(...stages);
      return undefined;
    }
    return new DirectWriter(fd, plainFd, start, stages, options);
  }

  /** Where the next appended byte goes. */
  get position(): number {
    return this.nextPos;
  }

  /** End of the bytes already in the file (a contiguous prefix). */
  get durable(): number {
    return this.durableEnd;
  }

  /** False once a write failed (the error is thrown by append and finish). */
  get healthy(): boolean {
    return this.failure === undefined;
  }

  /**
   * Copies as much of `src` as the buffers take and returns how many bytes that was; see ready().
   * A full buffer is written at once; on a slow transfer, whole blocks staged for longer than
   * flushEveryMs are written too, so progress (which counts bytes in the file) keeps moving.
   */
  append(src: Buffer): number {
    if (this.failure) throw this.failure;
    if (this.finished) throw new Error('the direct writer is finished');
    let taken = 0;
    while (taken < src.length) {
      if (this.fillLen === STAGE_BYTES && !this.rotate()) break;
      const n = src.copy(this.fill, this.fillLen, taken, Math.min(src.length, taken + STAGE_BYTES - this.fillLen));
      this.fillLen += n;
      this.nextPos += n;
      taken += n;
    }
    if (this.fillLen === STAGE_BYTES) this.rotate();
    else if (!this.writing && performance.now() - this.lastWriteAt >= this.flushEveryMs) this.flushBlocks();
    return taken;
  }

  /** Resolves when append() can take bytes again (or rejects with the write error). */
  ready(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.fillLen < STAGE_BYTES) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  /**
   * Writes what is staged (the whole blocks directly, the last partial block through the ordinary
   * descriptor), closes the direct descriptor and returns the buffers. Also the way out after a
   * failure elsewhere: the staged bytes are good and are kept. Rejects if a write failed.
   */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      while (this.writing) await new Promise<void>((r) => this.waiters.push(r));
      if (!this.failure) {
        const blocks = this.fillLen - (this.fillLen % DIRECT_BLOCK);
        if (blocks > this.fillFlushed) await this.writeFully(this.target, this.fill, this.fillFlushed, blocks - this.fillFlushed, this.durableEnd);
        if (this.fillLen > blocks) await this.writeFully(this.plainFd, this.fill, blocks, this.fillLen - blocks, this.durableEnd + blocks - this.fillFlushed);
        this.durableEnd = this.nextPos;
        this.fillFlushed = this.fillLen;
        this.onDurable?.(this.durableEnd);
      }
    } catch (err) {
      this.failure ??= err as Error;
    } finally {
      await new Promise<void>((r) => close(this.directFd, () => r()));
      pool!.push(...this.stages);
    }
    if (this.failure) throw this.failure;
  }

  /** Writes the rest of the full fill buffer and goes on in the spare; false while a write runs. */
  private rotate(): boolean {
    if (this.writing || !this.spare) return false;
    const buf = this.fill;
    const from = this.fillFlushed;
    this.fill = this.spare;
    this.spare = undefined;
    this.fillLen = 0;
    this.fillFlushed = 0;
    this.launch(buf, from, STAGE_BYTES, () => (this.spare = buf));
    return true;
  }

  /** Writes the whole blocks staged in the fill buffer that are not written yet. */
  private flushBlocks(): void {
    const end = this.fillLen - (this.fillLen % DIRECT_BLOCK);
    if (end <= this.fillFlushed) return;
    const from = this.fillFlushed;
    this.fillFlushed = end;
    this.launch(this.fill, from, end, () => undefined);
  }

  /** One write of buf[from, to) at the end of the file's bytes; only ever one at a time. */
  private launch(buf: Buffer, from: number, to: number, release: () => void): void {
    this.writing = true;
    this.lastWriteAt = performance.now();
    this.writeFully(this.target, buf, from, to - from, this.durableEnd).then(
      () => {
        this.durableEnd += to - from;
        release();
        this.afterWrite();
        this.onDurable?.(this.durableEnd);
      },
      (err: Error) => {
        this.failure ??= err;
        release();
        this.afterWrite();
      },
    );
  }

  private afterWrite(): void {
    this.writing = false;
    if (this.fillLen === STAGE_BYTES && !this.failure && !this.finished) this.rotate();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** One positional write to the end, continuing after short writes; a first refused direct write falls back to the ordinary descriptor. */
  private writeFully(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const step = (done: number): void => {
        if (done >= length) return resolve();
        this.writeAt(fd, buf, offset + done, length - done, position + done, (err, n) => {
          if (err?.code === 'EINVAL' && fd === this.directFd && this.target === this.directFd) {
            // The file system takes O_DIRECT at open but refuses the write: ordinary writes from here on.
            this.target = this.plainFd;
            fd = this.plainFd;
            return step(done);
          }
          if (err) return reject(err);
          step(done + n);
        });
      };
      step(0);
    });
  }
}

/** Tests: the buffers in the pool now (all of them once every writer has finished). */
export function freeDirectStages(): number {
  return pool?.length ?? POOL_STAGES;
}
