import type { SFTPWrapper } from 'ssh2';

/** SFTP packet type of a READ answer. */
const SSH_FXP_DATA = 103;
/** length(4) + type(1) + request id(4) + data length(4): enough to route a DATA packet. */
const HEADER_BYTES = 13;

/** The parts of ssh2's SFTP object (lib/protocol/SFTP.js, ssh2 1.x) this module works with. */
interface SftpInternals {
  push(data: Buffer | null): boolean | undefined;
  _requests: Record<number, { buffer?: Buffer; cb?: (err: Error | undefined, data: Buffer, nb: number) => void } | undefined>;
  _maxInPktLen: number;
}

const INSTALLED = Symbol('ferry.dataFastPath');

/**
 * Frames the SFTP byte stream before ssh2 does, so the data of a READ answer goes straight from
 * the SSH packet into the buffer its read() was given. ssh2 first gathers every SFTP packet that
 * spans several SSH packets (a 255 KiB answer spans eight) into a new buffer of its own, then
 * copies the data out of it: a second copy, and a quarter of a GiB of short-lived buffers per GiB
 * downloaded, which V8 counts as external memory and answers with full garbage collections that
 * compete with the transfer for the CPU.
 *
 * Every other packet is handed to ssh2 whole and in a buffer of its own (ssh-read-ring.ts relies
 * on that), so ssh2 parses exactly what it did before. A DATA packet takes the fast way only when its request is
 * known, was given a buffer, and the data fits it; otherwise ssh2 handles it as usual (including
 * its errors for oversized or malformed packets).
 */
export function installDataFastPath(sftp: SFTPWrapper): void {
  const s = sftp as unknown as SftpInternals & { [INSTALLED]?: true };
  if (s[INSTALLED]) return;
  s[INSTALLED] = true;
  const ssh2Push = s.push.bind(s);
  const header = Buffer.alloc(HEADER_BYTES);
  let headerLen = 0;
  /** Bytes of the current packet still to come (fast or gathered), 0 between packets. */
  let remaining = 0;
  let target: Buffer | undefined;
  let filled = 0;
  let done: (() => void) | undefined;
  let gathered: Buffer | undefined;

  const finishFast = (): void => {
    const cb = done!;
    target = undefined;
    done = undefined;
    cb();
  };

  const deliverGathered = (): void => {
    const whole = gathered!;
    gathered = undefined;
    ssh2Push(whole);
  };

  s.push = (data: Buffer | null): boolean | undefined => {
    if (data === null) return ssh2Push(null);
    let p = 0;
    /** Where the packet being framed began in this chunk; -1 when it began in an earlier one. */
    let packetStart = headerLen === 0 ? 0 : -1;
    while (p < data.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, data.length - p);
        if (target) data.copy(target, filled, p, p + n);
        else data.copy(gathered!, gathered!.length - remaining, p, p + n);
        filled += n;
        remaining -= n;
        p += n;
        if (remaining === 0) {
          if (target) finishFast();
          else deliverGathered();
        }
        continue;
      }
      // Between packets: gather the header (it may span SSH packets too).
      if (headerLen === 0) packetStart = p;
      if (headerLen < 4) {
        const n = Math.min(4 - headerLen, data.length - p);
        data.copy(header, headerLen, p, p + n);
        headerLen += n;
        p += n;
        if (headerLen < 4) continue;
        const pktLen = header.readUInt32BE(0);
        if (pktLen === 0 || pktLen > s._maxInPktLen) {
          // Let ssh2 report the bad length exactly as it would have.
          const bad = Buffer.from(header.subarray(0, 4));
          headerLen = 0;
          ssh2Push(Buffer.concat([bad, data.subarray(p)]));
          return undefined;
        }
      }
      const total = 4 + header.readUInt32BE(0);
      const want = Math.min(HEADER_BYTES, total);
      if (headerLen < want) {
        const n = Math.min(want - headerLen, data.length - p);
        data.copy(header, headerLen, p, p + n);
        headerLen += n;
        p += n;
        if (headerLen < want) continue;
      }
      headerLen = 0;
      if (total >= HEADER_BYTES && header[4] === SSH_FXP_DATA) {
        const reqId = header.readUInt32BE(5);
        const dataLen = header.readUInt32BE(9);
        const req = s._requests[reqId];
        const buffer = req?.buffer;
        const cb = req?.cb;
        if (buffer && cb && 9 + dataLen === total - 4 && dataLen <= buffer.length) {
          // The request stays registered until its data is all in: if the channel dies
          // meanwhile, ssh2 fails it as it fails every open request (and it is not answered twice).
          target = buffer;
          filled = 0;
          remaining = dataLen;
          done = () => {
            if (s._requests[reqId] !== req) return;
            delete s._requests[reqId];
            cb(undefined, buffer, dataLen);
          };
          if (remaining === 0) finishFast();
          continue;
        }
      }
      // Any other packet goes to ssh2 whole, in a buffer of its own: ssh2 may keep parts of it
      // (an open file's handle), and `data` may be a read buffer that is about to be reused.
      if (packetStart >= 0 && packetStart + total <= data.length) {
        p = packetStart + total;
        ssh2Push(Buffer.from(data.subarray(packetStart, p)));
        continue;
      }
      gathered = Buffer.allocUnsafe(total);
      header.copy(gathered, 0, 0, want);
      filled = want;
      remaining = total - want;
      if (remaining === 0) deliverGathered();
    }
    return undefined;
  };
}
