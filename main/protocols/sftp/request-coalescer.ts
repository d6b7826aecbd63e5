import type { SFTPWrapper } from 'ssh2';

/** The parts of ssh2's SFTP channel (lib/protocol/SFTP.js, ssh2 1.x) the coalescer works with. */
interface SftpChannelInternals {
  _protocol?: { channelData(chan: number, data: Buffer): void };
  outgoing?: { id: number; packetSize: number };
}

/**
 * While `issue` runs, the SFTP requests it sends on this channel are gathered and sent in as few
 * SSH packets as the server's packet size allows, instead of one SSH packet each.
 *
 * SFTP is a byte stream inside the channel, so several requests may share one CHANNEL_DATA
 * message. ssh2 sends every request on its own: a download refilling its pipeline with eight READ
 * requests of ~40 bytes pays eight packets on both sides (framing, random padding, an AES-GCM
 * setup and tag each, and on the server a decryption, a channel write and a wake-up each). The
 * bytes, their order and the channel window are unchanged: ssh2 has already counted each payload
 * against the window before handing it over, and everything gathered is sent before this returns.
 *
 * Anything sent on another channel meanwhile first flushes what is gathered, so the order of the
 * connection's messages stays what ssh2 meant. Payloads are referenced, not copied, until the
 * flush (ssh2 builds a new buffer for every request, and the flush is synchronous).
 */
export function coalesceRequests(sftp: SFTPWrapper, issue: () => void): void {
  const s = sftp as unknown as SftpChannelInternals;
  const proto = s._protocol;
  const chan = s.outgoing?.id;
  const max = s.outgoing?.packetSize ?? 0;
  if (!proto || typeof proto.channelData !== 'function' || typeof chan !== 'number' || max <= 0) {
    issue();
    return;
  }
  const hadOwn = Object.prototype.hasOwnProperty.call(proto, 'channelData');
  const original = proto.channelData;
  let parts: Buffer[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
    parts = [];
    bytes = 0;
    original.call(proto, chan, data);
  };
  proto.channelData = (id: number, data: Buffer): void => {
    if (id !== chan || !Buffer.isBuffer(data) || data.length >= max) {
      flush();
      original.call(proto, id, data);
      return;
    }
    if (bytes + data.length > max) flush();
    parts.push(data);
    bytes += data.length;
  };
  try {
    issue();
  } finally {
    if (hadOwn) proto.channelData = original;
    else delete (proto as { channelData?: unknown }).channelData;
    flush();
  }
}
