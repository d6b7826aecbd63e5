import net from 'node:net';

/** SSH_MSG_CHANNEL_DATA. */
const MSG_CHANNEL_DATA = 94;
const SLOTS = 4;
const SLOT_BYTES = 512 * 1024;

/**
 * A TCP connection for ssh2 that reads into a few buffers of its own, used in turn, instead of
 * a new 64 KiB buffer per read (Node's default). At hundreds of MB/s those buffers add up to a
 * GiB of short-lived external memory per GiB received, and V8 answers with a full garbage
 * collection every 64 MB or so: measured here, half the client's CPU time of a download, taken
 * from the SSH server that shares the machine's cores.
 *
 * Reused buffers are safe only for bytes ssh2 is done with when the read's handler returns.
 * Until `share()` every read is handed over as a copy (the handshake, whose messages ssh2
 * keeps). After it, `own()` (applied to every decrypted payload) copies each payload except the
 * channel data of the one SFTP channel whose packets are framed by sftp-data-fast-path.ts (which
 * copies everything it does not consume at once); anything ssh2 keeps is therefore a copy. What
 * ssh2's decipher keeps across reads (a packet waiting for its authentication tag) stays valid
 * for the next SLOTS - 1 reads, and is authenticated before use, so a buffer reused too early
 * shows up as a failed MAC, never as wrong data.
 */
export class ReadRing {
  readonly socket: net.Socket;
  private sharedChannel: number | undefined;

  constructor(host: string, port: number) {
    const slots = Array.from({ length: SLOTS }, () => Buffer.allocUnsafe(SLOT_BYTES));
    let next = 0;
    this.socket = net.connect({
      host,
      port,
      onread: {
        buffer: () => slots[next++ % SLOTS]!,
        callback: (n: number, buf: Uint8Array) => {
          const view = Buffer.from(buf.buffer, buf.byteOffset, n);
          this.socket.emit('data', this.sharedChannel === undefined ? Buffer.from(view) : view);
          return true;
        },
      },
    });
  }

  /** From now on reads are handed over in place; `channelId` is the SFTP channel's local id. */
  share(channelId: number): void {
    this.sharedChannel = channelId;
  }

  /** The payload ssh2 may keep: a copy, unless it is data for the fast-path SFTP channel. */
  own(payload: Buffer): Buffer {
    if (this.sharedChannel === undefined) return payload;
    if (payload[0] === MSG_CHANNEL_DATA && payload.length >= 5 && payload.readUInt32BE(1) === this.sharedChannel) return payload;
    return Buffer.from(payload);
  }
}
