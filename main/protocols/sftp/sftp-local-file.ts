import { close, closeSync, ftruncate, open, openSync, write, writeSync } from 'node:fs';
import { DIRECT_AFTER_BYTES, DIRECT_BLOCK, DirectWriter } from '../../core/direct-writer';
import { syncIoAllowed, timedSync } from '../../core/sync-io-policy';

/**
 * The local side of an SFTP download. Opening, writing and closing run synchronously while they
 * are fast (a 4 KiB file costs three page-cache operations of microseconds each, far less than
 * three thread hand-offs, which on a busy machine dominate a small file's cost; lftp and sftp
 * write the same way). A slow disk (network, failing, saturated) sends every download in the
 * process to the thread pool for a while (main/core/sync-io-policy.ts), so it stalls the event
 * loop only briefly.
 *
 * Past DIRECT_AFTER_BYTES of in-order writes, the bytes go to a DirectWriter (O_DIRECT, see
 * main/core/direct-writer.ts): they are copied into its buffers at once, so the read buffer is
 * free again, and reach the file in big writes in order. A write out of order (a short read
 * being filled in) ends the direct writing: what is staged is written, and the rest of the file
 * goes the ordinary way. `durable()` keeps progress (and so checkpoints) to bytes in the file.
 */
export class LocalFile {
  private closed = false;
  private direct: DirectWriter | undefined;
  private directTried = false;
  /** Bytes written the ordinary way in order from the first write, and where the next in-order byte goes. */
  private plainBytes = 0;
  private nextInOrder: number | undefined;
  /** Writes wait for this one (the direct writer's buffers were full, or it is being finished). */
  private queue: Promise<void> | undefined;
  /** Called with the end of the bytes in the file each time a direct write lands. */
  onDurable: ((end: number) => void) | undefined;

  private constructor(private readonly fd: number) {}

  static async open(path: string, flags: number): Promise<LocalFile> {
    if (syncIoAllowed()) return new LocalFile(timedSync(() => openSync(path, flags, 0o644)));
    return new LocalFile(await new Promise<number>((resolve, reject) => open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd)))));
  }

  truncate(length: number): Promise<void> {
    return new Promise((resolve, reject) => ftruncate(this.fd, length, (err) => (err ? reject(err) : resolve())));
  }

  /** `mark` (the end of the contiguous bytes received), limited to what is in the file. */
  durable(mark: number): number {
    return this.direct ? Math.min(mark, this.direct.durable) : mark;
  }

  /**
   * Writes `n` bytes of `buf` at `position`: undefined when done already (the buffer may be
   * reused), else a promise. Throws when a synchronous write fails.
   */
  write(buf: Buffer, n: number, position: number): Promise<void> | undefined {
    if (this.queue) return this.enqueue(this.queue.then(() => this.writeNow(buf, n, position)));
    const pending = this.writeNow(buf, n, position);
    return pending ? this.enqueue(pending) : undefined;
  }

  /** Closes once, after the staged bytes are in the file; later calls resolve at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.queue?.catch(() => undefined);
      await this.direct?.finish();
    } finally {
      this.direct = undefined;
      if (syncIoAllowed()) timedSync(() => closeSync(this.fd));
      else await new Promise<void>((resolve, reject) => close(this.fd, (err) => (err ? reject(err) : resolve())));
    }
  }

  private enqueue(p: Promise<void>): Promise<void> {
    this.queue = p;
    const clear = (): void => {
      if (this.queue === p) this.queue = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  private writeNow(buf: Buffer, n: number, position: number): Promise<void> | undefined {
    const direct = this.direct;
    if (direct) {
      if (position !== direct.position) {
        // Out of order: finish the direct writes, then go on the ordinary way.
        this.direct = undefined;
        return direct.finish().then(() => this.plainWrite(buf, n, position));
      }
      const src = buf.subarray(0, n);
      const taken = direct.append(src);
      return taken === n ? undefined : this.appendRest(direct, src.subarray(taken));
    }
    if (!this.directTried && position === this.nextInOrder && this.plainBytes >= DIRECT_AFTER_BYTES && syncIoAllowed()) {
      const head = (DIRECT_BLOCK - (position % DIRECT_BLOCK)) % DIRECT_BLOCK;
      if (n > head) {
        this.directTried = true;
        if (head > 0) this.syncWrite(buf, 0, head, position);
        this.direct = DirectWriter.open(this.fd, position + head, { onDurable: (end) => this.onDurable?.(end) });
        if (this.direct) return this.writeNow(buf.subarray(head), n - head, position + head);
        return this.plainWrite(buf.subarray(head), n - head, position + head);
      }
    }
    return this.plainWrite(buf, n, position);
  }

  private async appendRest(direct: DirectWriter, rest: Buffer): Promise<void> {
    while (rest.length > 0) {
      await direct.ready();
      rest = rest.subarray(direct.append(rest));
    }
  }

  private plainWrite(buf: Buffer, n: number, position: number): Promise<void> | undefined {
    if (position === (this.nextInOrder ?? position)) this.plainBytes += n;
    this.nextInOrder = position + n;
    if (syncIoAllowed()) {
      this.syncWrite(buf, 0, n, position);
      return undefined;
    }
    return new Promise((resolve, reject) => {
      const more = (done: number): void => {
        if (done >= n) return resolve();
        write(this.fd, buf, done, n - done, position + done, (err, wrote) => (err ? reject(err) : more(done + wrote)));
      };
      more(0);
    });
  }

  private syncWrite(buf: Buffer, from: number, n: number, position: number): void {
    timedSync(() => {
      let done = 0;
      while (done < n) done += writeSync(this.fd, buf, from + done, n - done, position + done);
    });
  }
}
