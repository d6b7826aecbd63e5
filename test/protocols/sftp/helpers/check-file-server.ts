import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2, { type SFTPWrapper } from 'ssh2';

const { STATUS_CODE } = ssh2.utils.sftp;

/** How the test server answers `check-file-name`. */
export interface CheckFileOptions {
  /** Value of the `check-file` extension in VERSION ('' = announced without a list). */
  readonly announce: string;
  /** Algorithms it really computes (default: those announced). */
  readonly computes?: readonly string[];
  /** Answer with a wrong hash (a server-side copy that differs). */
  readonly corrupt?: boolean;
  /** Leave out the leading "check-file" string of the reply, as some servers do. */
  readonly bareReply?: boolean;
  /** Never answer the request. */
  readonly silent?: boolean;
  /** Requests seen: [path, algorithm list]. */
  readonly seen?: [string, string][];
}

interface SftpInternals {
  _protocol: { channelData(id: number, data: Buffer): void };
  outgoing: { id: number };
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (s: string | Buffer): Buffer => {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  return Buffer.concat([u32(b.length), b]);
};

/**
 * Makes ssh2's server SFTP (which knows no extensions) offer and answer `check-file-name`: the
 * VERSION packet gets a `check-file` extension, and EXTENDED requests for it are answered with
 * the hash of the file under `local(path)`. ssh2 has no API for either, so raw packets are sent.
 */
export function serveCheckFile(sftp: SFTPWrapper, local: (p: string) => string, options: CheckFileOptions): void {
  const s = sftp as unknown as SftpInternals;
  const proto = s._protocol;
  const send = (payload: Buffer): void => proto.channelData(s.outgoing.id, Buffer.concat([u32(payload.length), payload]));
  const original = proto.channelData.bind(proto);
  s._protocol = Object.create(proto, {
    channelData: {
      value: (id: number, data: Buffer): void => {
        // VERSION (type 2, version 3, no extensions): add ours.
        if (id === s.outgoing.id && data.length === 9 && data[4] === 2) {
          const body = Buffer.concat([Buffer.from([2]), u32(3), str('check-file'), str(options.announce)]);
          return original(id, Buffer.concat([u32(body.length), body]));
        }
        return original(id, data);
      },
    },
  }) as SftpInternals['_protocol'];
  sftp.on('EXTENDED', (reqid: number, name: string, data: Buffer) => {
    if (name !== 'check-file-name') return sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED);
    const path = data.subarray(4, 4 + data.readUInt32BE(0)).toString();
    const at = 4 + data.readUInt32BE(0);
    const algos = data.subarray(at + 4, at + 4 + data.readUInt32BE(at)).toString();
    options.seen?.push([path, algos]);
    if (options.silent) return;
    const computes = options.computes ?? options.announce.split(',').filter(Boolean);
    const algo = algos.split(',').find((a) => computes.includes(a));
    if (!algo) return sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED);
    readFile(local(path)).then(
      (bytes) => {
        const hash = createHash(algo).update(bytes).digest();
        if (options.corrupt) hash[0] = (hash[0]! + 1) & 0xff;
        const head = options.bareReply ? Buffer.alloc(0) : str('check-file');
        send(Buffer.concat([Buffer.from([201]), u32(reqid), head, str(algo), hash]));
      },
      () => sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE),
    );
  });
}
