import type { InputAttributes, OpenMode, SFTPWrapper, Stats } from 'ssh2';
import type { EntryType, RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { coalesceRequests } from './request-coalescer';
import { sftpError } from './sftp-errors';
import { WriteBuffers } from './sftp-write-buffers';

/** Chunk size when the server does not announce `limits@openssh.com` (safe for every server). */
export const PORTABLE_CHUNK = 31952;
/**
 * Largest chunk Ferry asks for, even when a server allows more (OpenSSH allows 255 KiB). Measured
 * against OpenSSH 9.2 on loopback, 1 GiB in paired runs: 124 KiB requests download in a median
 * 1.35 s where 255 KiB ones take 1.67 s (uploads gain too; 32-96 KiB are no better). A likely
 * reason: below glibc's 128 KiB mmap threshold the server reuses its heap buffers instead of
 * mapping fresh pages for every request.
 */
export const MAX_CHUNK = 124 * 1024;

type Callback<T> = (err: Error | undefined | null, value?: T) => void;

/** While a key exchange holds a request's answer back, its deadline is looked at this often. */
const KEX_RECHECK_MS = 250;

/**
 * Promise wrappers over one ssh2 SFTP channel, each bounded by the per-command deadline, with
 * failures mapped to contract codes. Requests are pipelined: callers may overlap freely.
 */
export class SftpSession {
  /** WRITE packets in reused buffers (sftp-write-buffers.ts). */
  readonly writeBuffers = new WriteBuffers();

  constructor(
    readonly sftp: SFTPWrapper,
    private readonly commandMs: number,
    /** The TCP socket under the channel, corked while a burst of requests is issued. */
    private readonly socket?: { cork(): void; uncork(): void },
    /** True while a key exchange runs: no answer can come then, so no deadline runs out. */
    private readonly inKeyExchange: () => boolean = () => false,
  ) {}

  /**
   * Issues a burst of requests as one batch of socket writes: ssh2 writes every 32 KiB packet on
   * its own, and with Nagle off each would be its own syscall and TCP segment. Small requests
   * (READs) share SSH packets (request-coalescer.ts).
   */
  burst(issue: () => void): void {
    this.socket?.cork();
    try {
      coalesceRequests(this.sftp, issue);
    } finally {
      this.socket?.uncork();
    }
  }

  private dead: FerryError | undefined;
  private readonly pending = new Set<(err: FerryError) => void>();

  /** The connection is gone: fails every waiting request now (ssh2 may never call them back). */
  fail(err: FerryError): void {
    this.dead ??= err;
    for (const reject of [...this.pending]) reject(err);
  }

  /** Runs one request; `context` names it in the error message. */
  call<T>(context: string, start: (cb: Callback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        this.pending.delete(abort);
        return true;
      };
      const abort = (err: FerryError): void => {
        if (finish()) reject(err);
      };
      // A slow re-key (the connection guard tolerates minutes) stretches the deadline: the request
      // gets its full time again once the key exchange is over.
      const expire = (): void => {
        if (this.inKeyExchange()) {
          kexSeen = true;
          timer = setTimeout(expire, KEX_RECHECK_MS);
        } else if (kexSeen) {
          kexSeen = false;
          timer = setTimeout(expire, this.commandMs);
        } else {
          abort(new FerryError('timeout', `${context}: the server did not answer within ${Math.round(this.commandMs / 1000)} s`));
        }
      };
      let kexSeen = false;
      let timer = setTimeout(expire, this.commandMs);
      this.pending.add(abort);
      try {
        start((err, value) => {
          if (!finish()) return;
          if (err) reject(sftpError(err, context));
          else resolve(value as T);
        });
      } catch (err) {
        if (finish()) reject(sftpError(err, context));
      }
    });
  }

  /** Read and write size the server accepts: `limits@openssh.com` when announced, else 31952. */
  chunkSize(): { read: number; write: number } {
    const s = this.sftp as unknown as { _extensions?: Record<string, string>; _maxReadLen?: number; _maxWriteLen?: number };
    if (s._extensions?.['limits@openssh.com'] === '1' && s._maxReadLen && s._maxWriteLen) {
      return { read: Math.min(MAX_CHUNK, s._maxReadLen), write: Math.min(MAX_CHUNK, s._maxWriteLen) };
    }
    return { read: PORTABLE_CHUNK, write: PORTABLE_CHUNK };
  }

  /** True when the server announced this SFTP extension (e.g. `posix-rename@openssh.com`). */
  hasExtension(name: string): boolean {
    const s = this.sftp as unknown as { _extensions?: Record<string, string> };
    return s._extensions?.[name] !== undefined;
  }

  lstat(path: string): Promise<Stats> {
    return this.call(`cannot stat ${path}`, (cb) => this.sftp.lstat(path, cb));
  }

  open(path: string, flags: number | OpenMode): Promise<Buffer> {
    return this.call(`cannot open ${path}`, (cb) => this.sftp.open(path, flags, cb));
  }

  fstat(handle: Buffer, path: string): Promise<Stats> {
    return this.call(`cannot stat ${path}`, (cb) => this.sftp.fstat(handle, cb));
  }

  fsetstat(handle: Buffer, attrs: InputAttributes, path: string): Promise<void> {
    return this.call(`cannot change ${path}`, (cb) => this.sftp.fsetstat(handle, attrs, cb));
  }

  close(handle: Buffer, path: string): Promise<void> {
    return this.call(`cannot close ${path}`, (cb) => this.sftp.close(handle, cb));
  }

  readlink(path: string): Promise<string> {
    return this.call(`cannot read the link ${path}`, (cb) => this.sftp.readlink(path, cb));
  }
}

const S_IFMT = 0o170000;

/** Entry type from POSIX mode bits; symlinks stay symlinks (we use lstat, never stat). */
export function entryType(mode: number | undefined): EntryType {
  if (mode === undefined) return 'other';
  switch (mode & S_IFMT) {
    case 0o040000:
      return 'dir';
    case 0o100000:
      return 'file';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

/** Longest owner / group name taken from a server's long name; longer ones are not names. */
const MAX_OWNER_CHARS = 64;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
/** Type and permissions, link count, owner, group, size: the start of an `ls -l` line. */
const LS_LINE = /^\s*[-dlbcps?][-rwxsStTl+.@]{9}\S*\s+\d+\s+(\S+)\s+(\S+)\s+\S/;

/**
 * Owner and group from an SFTP v3 long name ("-rw-r--r--  1 alice staff  1234 Jan  1 12:00 name",
 * the `ls -l` line OpenSSH sends), falling back to the numeric uid / gid of the attributes.
 * Fields that do not look like an `ls -l` line are ignored, never guessed at.
 */
export function ownerAndGroup(longname: string | undefined, attrs: Partial<Stats>): { owner?: string; group?: string } {
  const m = longname === undefined ? null : LS_LINE.exec(longname.length > 512 ? longname.slice(0, 512) : longname);
  const name = (value: string | undefined) => (value && value.length <= MAX_OWNER_CHARS && !CONTROL_CHARS.test(value) ? value : undefined);
  const owner = name(m?.[1]) ?? (typeof attrs.uid === 'number' ? String(attrs.uid) : undefined);
  const group = name(m?.[2]) ?? (typeof attrs.gid === 'number' ? String(attrs.gid) : undefined);
  return { ...(owner !== undefined ? { owner } : {}), ...(group !== undefined ? { group } : {}) };
}

/** A RemoteEntry from SFTP attributes (and the long name, when the server sent one). */
export function toEntry(name: string, attrs: Partial<Stats>, longname?: string): RemoteEntry {
  const type = entryType(attrs.mode);
  return {
    name,
    type,
    size: type === 'dir' ? 0 : (attrs.size ?? 0),
    mtime: typeof attrs.mtime === 'number' ? attrs.mtime * 1000 : null,
    mode: typeof attrs.mode === 'number' ? attrs.mode & 0o7777 : null,
    ...ownerAndGroup(longname, attrs),
  };
}
