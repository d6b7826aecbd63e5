import type { Client, ClientChannel } from 'ssh2';
import { FerryError } from '../../core/ferry-error';

/**
 * Server-side file hashes over SFTP's `check-file-name` extension (filexfer draft 09, 9.1.2),
 * offered by servers such as ProFTPD's mod_sftp (not by OpenSSH). ssh2's SFTP client drops the
 * body of extended replies it does not know, so the request runs on a channel of its own where
 * Ferry speaks the few SFTP packets it needs itself: INIT/VERSION, one EXTENDED request, and its
 * EXTENDED_REPLY or STATUS. Transfers never touch that channel.
 */

const FXP_INIT = 1;
const FXP_VERSION = 2;
const FXP_STATUS = 101;
const FXP_EXTENDED = 200;
const FXP_EXTENDED_REPLY = 201;
const STATUS_NO_SUCH_FILE = 2;
const STATUS_PERMISSION_DENIED = 3;
/** A hash reply is tiny: anything bigger than this is refused. */
const MAX_PACKET = 64 * 1024;
/** Algorithms Ferry asks for, most preferred first (names as in the draft). */
const PREFERENCE = ['sha256', 'sha512', 'sha384', 'sha224', 'sha1', 'md5'];
const EXTENSION_NAMES = ['check-file', 'check-file-name'];

/**
 * Hash algorithms a server offers, from the extensions of its SFTP VERSION packet: the listed
 * ones Ferry knows, in Ferry's order of preference; a bare `check-file` announcement means
 * "ask": then SHA-256 is tried (a server without it answers with a status, and the size check
 * still stands).
 */
export function checkFileAlgorithms(extensions: Readonly<Record<string, string>> | undefined): string[] {
  if (!extensions) return [];
  const announced = EXTENSION_NAMES.map((n) => extensions[n]).find((v) => v !== undefined);
  if (announced === undefined) return [];
  const listed = announced
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  if (listed.length === 0) return ['sha256'];
  return PREFERENCE.filter((a) => listed.includes(a));
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function str(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([u32(b.length), b]);
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([u32(body.length + 1), Buffer.from([type]), body]);
}

/** The `check-file-name` request: the whole file (offset 0, length 0) as one hash (block size 0). */
export function checkFileRequest(id: number, path: string, algorithm: string): Buffer {
  return packet(FXP_EXTENDED, Buffer.concat([u32(id), str('check-file-name'), str(path), str(algorithm), Buffer.alloc(8), Buffer.alloc(8), u32(0)]));
}

/** Reads length-prefixed SFTP packets from a channel, one at a time, with a size cap. */
class PacketReader {
  private buffered = Buffer.alloc(0);
  private waiter: ((p: Buffer) => void) | undefined;
  private failure: ((e: Error) => void) | undefined;
  private error: Error | undefined;

  constructor(channel: ClientChannel) {
    channel.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.pump();
    });
    channel.on('close', () => this.fail(new FerryError('connection-lost', 'the server closed the hash channel')));
    channel.on('error', (e: Error) => this.fail(new FerryError('connection-lost', `the hash channel failed: ${e.message}`)));
  }

  next(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.waiter = resolve;
      this.failure = reject;
      this.pump();
    });
  }

  private fail(e: Error): void {
    this.error ??= e;
    this.failure?.(this.error);
    this.waiter = undefined;
    this.failure = undefined;
  }

  private pump(): void {
    if (this.buffered.length >= 4) {
      const len = this.buffered.readUInt32BE(0);
      if (len === 0 || len > MAX_PACKET) return this.fail(new FerryError('protocol-error', `the server sent a ${len}-byte hash reply (at most ${MAX_PACKET} expected)`));
    }
    if (!this.waiter || this.buffered.length < 4) return;
    const len = this.buffered.readUInt32BE(0);
    if (this.buffered.length < 4 + len) return;
    const p = this.buffered.subarray(4, 4 + len);
    this.buffered = this.buffered.subarray(4 + len);
    const w = this.waiter;
    this.waiter = undefined;
    this.failure = undefined;
    w(p);
  }
}

/** Reads SFTP strings from a packet body. */
function reader(body: Buffer, at: number): { str(): Buffer; u32(): number; rest(): Buffer } {
  let p = at;
  const need = (n: number): void => {
    if (p + n > body.length) throw new FerryError('protocol-error', 'the server sent a truncated hash reply');
  };
  return {
    u32() {
      need(4);
      p += 4;
      return body.readUInt32BE(p - 4);
    },
    str() {
      const n = this.u32();
      need(n);
      p += n;
      return body.subarray(p - n, p);
    },
    rest() {
      return body.subarray(p);
    },
  };
}

/**
 * Interprets the answer to a check-file request: lower-case hex of the hash, undefined when the
 * server cannot hash with this algorithm, a FerryError for a missing or forbidden file.
 */
export function parseCheckFileAnswer(p: Buffer, id: number, path: string, algorithm: string): string | undefined {
  const r = reader(p, 1);
  if (r.u32() !== id) throw new FerryError('protocol-error', 'the server answered a hash request Ferry did not send');
  if (p[0] === FXP_STATUS) {
    const code = r.u32();
    if (code === STATUS_NO_SUCH_FILE) throw new FerryError('no-such-file', `cannot hash ${path}: no such file`);
    if (code === STATUS_PERMISSION_DENIED) throw new FerryError('permission-denied', `cannot hash ${path}: permission denied`);
    // OP_UNSUPPORTED (this algorithm or this file) or FAILURE: no hash, the size check stands.
    return undefined;
  }
  if (p[0] !== FXP_EXTENDED_REPLY) throw new FerryError('protocol-error', `the server answered a hash request with packet type ${p[0]}`);
  // Draft 09 puts the string "check-file" first; some servers start with the algorithm.
  let used = r.str().toString('utf8');
  if (used === 'check-file') used = r.str().toString('utf8');
  if (used.toLowerCase() !== algorithm) return undefined;
  const hash = r.rest();
  if (hash.length === 0) throw new FerryError('protocol-error', `the server sent an empty ${algorithm} hash for ${path}`);
  return hash.toString('hex');
}

/** Opens a raw `sftp` subsystem channel. */
function openSubsystem(client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.subsys('sftp', (err, channel) => (err ? reject(new FerryError('not-supported', `the server refused a second SFTP channel: ${err.message}`)) : resolve(channel)));
    } catch (err) {
      reject(new FerryError('connection-lost', `cannot open a channel: ${(err as Error).message}`));
    }
  });
}

/** The server's hash of `path` (whole file) with `algorithm`, lower-case hex; undefined when it cannot. */
export async function checkFileHash(client: Client, path: string, algorithm: string, deadlineMs: number): Promise<string | undefined> {
  let channel: ClientChannel | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FerryError('timeout', `the server did not hash ${path} within ${Math.round(deadlineMs / 1000)} s`)), deadlineMs);
  });
  const work = async (): Promise<string | undefined> => {
    channel = await openSubsystem(client);
    channel.stderr.resume();
    const packets = new PacketReader(channel);
    channel.write(packet(FXP_INIT, u32(3)));
    const version = await packets.next();
    if (version[0] !== FXP_VERSION) throw new FerryError('protocol-error', `the server answered SFTP INIT with packet type ${version[0]}`);
    const id = 1;
    channel.write(checkFileRequest(id, path, algorithm));
    return parseCheckFileAnswer(await packets.next(), id, path, algorithm);
  };
  const answer = work();
  // Lost to the deadline, its failure (the channel closed under it) is of no interest.
  answer.catch(() => undefined);
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
    channel?.close();
  }
}
