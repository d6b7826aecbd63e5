import type { SFTPWrapper } from 'ssh2';

/** Fixed part of an SFTP WRITE packet: length, type, id, handle length, offset, data length. */
const WRITE_OVERHEAD = 4 + 1 + 4 + 4 + 8 + 4;
const MAX_FREE = 40;

/**
 * SFTP WRITE packets in reused buffers. ssh2's `write()` allocates a new buffer per request
 * (header + the whole chunk, 255 KiB) and copies the data into it: a GiB of short-lived
 * external memory per GiB uploaded, answered by V8 with full garbage collections. ssh2 offers no
 * way to pass that buffer in, so for the one synchronous call of `write()` the first
 * `Buffer.allocUnsafe` of exactly that packet's size (the packet, by ssh2 1.x's SFTP.js) is
 * served from a free list; any other size goes to the original. The buffer comes back when the
 * server has answered the request: by then every byte of it has been sent, even if ssh2 had to
 * hold it back for the channel window.
 */
export class WriteBuffers {
  private readonly free = new Map<number, Buffer<ArrayBuffer>[]>();
  /** Requests whose packet came from the pool (tests check that the pool is really used). */
  pooled = 0;

  write(sftp: SFTPWrapper, handle: Buffer, buf: Buffer, off: number, len: number, position: number, cb: (err: Error | undefined) => void): void {
    const size = WRITE_OVERHEAD + handle.length + len;
    const list = this.free.get(size);
    let lent: Buffer<ArrayBuffer> | undefined;
    const original = Buffer.allocUnsafe;
    Buffer.allocUnsafe = (n: number): Buffer<ArrayBuffer> => {
      Buffer.allocUnsafe = original;
      if (n !== size) return original(n);
      lent = list?.pop() ?? original(n);
      return lent;
    };
    try {
      sftp.write(handle, buf, off, len, position, (err) => {
        if (lent) this.giveBack(size, lent);
        cb(err ?? undefined);
      });
    } finally {
      Buffer.allocUnsafe = original;
    }
    if (lent) this.pooled++;
  }

  private giveBack(size: number, b: Buffer<ArrayBuffer>): void {
    let list = this.free.get(size);
    if (!list) {
      // One size per chunk size in use (the last chunk of a file is the odd one out).
      if (this.free.size >= 4) this.free.clear();
      this.free.set(size, (list = []));
    }
    if (list.length < MAX_FREE) list.push(b);
  }
}
