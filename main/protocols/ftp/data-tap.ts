import type { Socket } from 'node:net';
import type { FTPContext } from 'basic-ftp';

/** The one read buffer of a tapped data connection (Node decrypts or receives into it). */
const TAP_BUFFER = 64 << 10;
/** Bytes kept from before the consumer attached; past this the connection is paused. */
const EARLY_LIMIT = 4 << 20;

/**
 * Receives a download's data connection through Node's `onread` option instead of 'data' events:
 * every read lands in one reused buffer and goes to a plain callback, without a new Buffer, a
 * stream push and an event per chunk. For a TLS data connection (TLS records arrive 16 KiB at a
 * time) that is a third less client CPU per byte, measured against vsftpd, which on a machine
 * the server already keeps busy is what decides the speed. Node offers `onread` only to sockets
 * it dials itself, so the tap must be asked for before the data connection is opened
 * (`prepareDownload`), and the consumer must copy whatever it keeps past its callback.
 */
export class DataTap {
  /** Called with each chunk (valid only during the call); false pauses the connection. */
  private consumer: ((chunk: Buffer) => boolean | void) | undefined;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private socket: Socket | undefined;
  private pausedEarly = false;
  readonly onread = {
    buffer: Buffer.allocUnsafe(TAP_BUFFER),
    callback: (n: number, buf: Buffer): boolean => this.deliver(buf.subarray(0, n)),
  };

  /** Hands every chunk from now on (and any that came before) to `consumer`. */
  attach(socket: Socket, consumer: (chunk: Buffer) => boolean | void): void {
    this.socket = socket;
    this.consumer = consumer;
    const early = this.early;
    this.early = [];
    this.earlyBytes = 0;
    for (const chunk of early) consumer(chunk);
    if (this.pausedEarly) {
      this.pausedEarly = false;
      if (!socket.destroyed) socket.resume();
    }
  }

  /** Stops delivering; chunks still arriving are dropped (the transfer's outcome is known). */
  detach(): void {
    this.consumer = () => undefined;
  }

  private deliver(chunk: Buffer): boolean {
    if (this.consumer) return this.consumer(chunk) !== false;
    // Before the server's 150 reached the transfer: keep a copy (the buffer is reused).
    this.early.push(Buffer.from(chunk));
    this.earlyBytes += chunk.length;
    if (this.earlyBytes < EARLY_LIMIT) return true;
    this.pausedEarly = true;
    return false;
  }
}

const pending = new WeakMap<FTPContext, DataTap>();
const bySocket = new WeakMap<Socket, DataTap>();

/**
 * Runs `prepare` (the transfer strategy that opens the data connection) with a tap asked for,
 * so the connection it dials carries a download through it. The request ends with `prepare`
 * either way: a later listing never gets a tap meant for a download.
 */
export async function prepareDownload(ftp: FTPContext, prepare: () => Promise<unknown>): Promise<void> {
  pending.set(ftp, new DataTap());
  try {
    await prepare();
  } finally {
    pending.delete(ftp);
  }
}

/** The tap asked for the data connection being opened now, if any (it is taken: used once). */
export function takePendingTap(ftp: FTPContext): DataTap | undefined {
  const tap = pending.get(ftp);
  pending.delete(ftp);
  return tap;
}

/** Records that `socket` delivers through `tap`. */
export function bindTap(socket: Socket, tap: DataTap): void {
  bySocket.set(socket, tap);
}

/** The tap of an open data connection, when it was opened with one. */
export function tapOf(socket: Socket): DataTap | undefined {
  return bySocket.get(socket);
}
