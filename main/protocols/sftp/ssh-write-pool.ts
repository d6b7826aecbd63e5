import { randomFillSync } from 'node:crypto';
import type { Socket } from 'node:net';
import { onEachValue, type SshProtocol } from './ssh-internals';

/** Room for a CHANNEL_DATA packet of the 32 KiB payload servers allow, with header, padding and tag. */
const SLOT_BYTES = 33 * 1024;
/** Free slots kept; more in use at once are allocated and left to the garbage collector. */
const MAX_FREE = 256;
/** Authentication tag after each packet of the AEAD ciphers pooled here. */
const TAG_BYTES = 16;

interface SshCipher {
  allocPacket(payloadLen: number): Buffer;
}

/**
 * ssh2 cipher classes (lib/protocol/crypto.js, 1.x) whose packets are laid out as: length,
 * padding length, payload, random padding to this block size (at least 4 bytes), 16-byte tag.
 * Other ciphers keep ssh2's own allocation.
 */
const AEAD_BLOCK: Readonly<Record<string, number>> = {
  AESGCMCipherBinding: 16,
  AESGCMCipherNative: 16,
  ChaChaPolyCipherBinding: 8,
  ChaChaPolyCipherNative: 8,
};

const PATCHED = Symbol('ferry.writePool');

/** Counts, for tests. */
export interface WritePoolStats {
  /** Packets built in a pooled slot. */
  pooled: number;
  /** Slots allocated (the pool grows to what is in flight at once). */
  slots: number;
}

/**
 * Builds ssh2's outgoing packets in reused buffers. ssh2 allocates a new buffer per SSH packet
 * (32 KiB of data each), encrypts it in place and writes it to the socket: a GiB of short-lived
 * external memory per GiB uploaded, which V8 answers with full garbage collections. Here the
 * AEAD ciphers' `allocPacket` hands out a slot of a free list instead (same layout, same random
 * padding), and the socket's write returns the slot once the kernel has the bytes. A packet ssh2
 * holds back during a key exchange is built by ssh2 itself (it allocates those without the
 * cipher), so a slot is never kept across one.
 */
export function poolOutgoingPackets(proto: SshProtocol, socket: Socket): WritePoolStats {
  const stats: WritePoolStats = { pooled: 0, slots: 0 };
  const free: Buffer[] = [];
  const slotOf = new WeakMap<Buffer, Buffer>();
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  (socket as unknown as { write: (...args: unknown[]) => boolean }).write = (data: unknown, ...rest: unknown[]): boolean => {
    const slot = Buffer.isBuffer(data) && rest.length === 0 ? slotOf.get(data) : undefined;
    if (!slot) return write(data, ...rest);
    slotOf.delete(data as Buffer);
    return write(data, () => {
      if (free.length < MAX_FREE) free.push(slot);
    });
  };
  const patch = (cipher: (SshCipher & { [PATCHED]?: true }) | undefined): void => {
    if (!cipher || cipher[PATCHED]) return;
    cipher[PATCHED] = true;
    const block = AEAD_BLOCK[cipher.constructor.name];
    if (!block || typeof cipher.allocPacket !== 'function') return;
    const original = cipher.allocPacket.bind(cipher);
    cipher.allocPacket = (payloadLen: number): Buffer => {
      let pktLen = 4 + 1 + payloadLen;
      let padLen = block - ((pktLen - 4) & (block - 1));
      if (padLen < 4) padLen += block;
      pktLen += padLen;
      if (pktLen + TAG_BYTES > SLOT_BYTES) return original(payloadLen);
      let slot = free.pop();
      if (!slot) {
        slot = Buffer.allocUnsafe(SLOT_BYTES);
        stats.slots++;
      }
      stats.pooled++;
      const packet = slot.subarray(0, pktLen + TAG_BYTES);
      slotOf.set(packet, slot);
      packet.writeUInt32BE(pktLen - 4, 0);
      packet[4] = padLen;
      randomFillSync(packet, 5 + payloadLen, padLen);
      return packet;
    };
  };
  onEachValue(proto as unknown as { _cipher: SshCipher | undefined }, '_cipher', patch);
  return stats;
}
