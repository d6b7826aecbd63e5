import type { ConnectionTarget } from '../../shared/model/connection';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import type { Logger } from '../core/logger';
import type { Prompter } from '../core/prompter';

/** Per-phase deadlines and limits; every adapter honours them. */
export interface Timeouts {
  /** TCP connect + greeting / SSH handshake, ms. */
  readonly connectMs: number;
  /** TLS handshake, ms (FTP). */
  readonly tlsMs: number;
  /** Login / authentication, ms. */
  readonly loginMs: number;
  /** Each command (not a whole transfer), ms. */
  readonly commandMs: number;
  /** No data moved on a transfer for this long = connection lost, ms. */
  readonly idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 20_000, tlsMs: 15_000, loginMs: 20_000, commandMs: 30_000, idleMs: 60_000 };

/** Everything an adapter needs to connect: target, secrets, where trust lives, who to ask, where to log. */
export interface ConnectOptions {
  readonly target: ConnectionTarget;
  /** Password (or keyboard-interactive answer source); never logged. */
  readonly password?: string;
  /** Private key contents (SFTP), already read from `target.keyFile`. */
  readonly privateKey?: Buffer;
  readonly passphrase?: string;
  /** Use the ssh-agent at this socket (defaults to SSH_AUTH_SOCK when auth is 'agent'). */
  readonly agent?: string;
  /** Folder for known hosts, pinned certificates and consents. */
  readonly stateDir: string;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly timeouts?: Partial<Timeouts>;
  /** Trust a host key / certificate seen for the first time without asking (CLI --accept-new). */
  readonly acceptNew?: boolean;
  /** Consent to continue without encryption was given up front (CLI --allow-plain). */
  readonly allowPlain?: boolean;
  /** Max entries in one listing before 'limit-exceeded'. */
  readonly maxListEntries?: number;
  /**
   * Control connections this RemoteFs may hold in all, for adapters that pool them (FTP; by
   * default one for browsing plus four for transfers). 1 = browsing and transfers share one
   * connection: the transfer queue, which opens one RemoteFs per parallel slot, asks for 1 so a
   * site sees one connection per parallel transfer, like lftp's and FileZilla's.
   */
  readonly connections?: number;
  /**
   * Called when a connection refuses a changed host key or pinned certificate, so the trust center
   * can offer to replace it (the only place a changed key is ever trusted).
   */
  readonly onTrustChanged?: (change: TrustChange) => void;
}

/** A changed host key or certificate, as refused by a connection. */
export interface TrustChange {
  readonly kind: 'host-key' | 'certificate';
  readonly host: string;
  readonly port: number;
  readonly type: string;
  readonly fingerprint: string;
  readonly previousFingerprint: string;
}

export interface TransferProgress {
  /** Bytes of the file now present at the destination (offset included). */
  readonly transferred: number;
}

export interface TransferOptions {
  /** Resume from this byte offset (the destination already holds that many good bytes). */
  readonly offset?: number;
  /**
   * Downloads: the size a listing reported. An adapter may plan its reads by it instead of asking
   * the server first, but must still read to EOF (the file may have changed since) and resolve
   * with the size it found; the caller checks that against a fresh stat.
   */
  readonly expectedSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TransferProgress) => void;
}

/** What a server lets us do; the transfer engine adapts to it. */
export interface RemoteCapabilities {
  readonly rename: boolean;
  readonly resumeUpload: boolean;
  readonly resumeDownload: boolean;
  /** Hash algorithms the server can compute for us, e.g. ['sha256']. */
  readonly hashes: readonly string[];
}

/**
 * One connection to one server, whatever the protocol. The queue, the CLI and the UI speak only
 * this. No I/O happens before `connect()`; `close()` is safe to call twice. All paths are absolute
 * server paths with '/' separators. Failures reject with a FerryError carrying a contract code.
 * Calls may overlap: SFTP pipelines them on one channel; FTP runs them on an internal pool of
 * control connections (basic-ftp allows one command at a time per client) and queues the rest.
 */
export interface RemoteFs {
  readonly target: ConnectionTarget;
  connect(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
  /** True between a successful connect() and a close() or a lost connection. */
  readonly connected: boolean;
  capabilities(): RemoteCapabilities;
  /** The folder the server puts us in after login. */
  home(): Promise<string>;
  list(path: string, signal?: AbortSignal): Promise<RemoteEntry[]>;
  /** lstat: a symlink is reported as a symlink. */
  stat(path: string): Promise<RemoteEntry>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** With recursive, deletes the whole tree without following symlinks. */
  removeDir(path: string, options?: { recursive?: boolean }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /**
   * Copies the remote file into the local file at `localPath`, writing from `offset`
   * (the local file is truncated to `offset` first). Resolves with the final size.
   */
  download(remotePath: string, localPath: string, options?: TransferOptions): Promise<number>;
  /**
   * Copies the local file to `remotePath`; with `offset`, sends bytes from there on and appends.
   * Resolves with the final size.
   */
  upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<number>;
  /** Server-side hash of a file, when the server offers one; undefined otherwise. */
  hash?(path: string, algorithm: string): Promise<string | undefined>;
}

/** Joins server paths with '/', never producing '//' . */
export function joinRemote(dir: string, name: string): string {
  if (dir === '' || dir === '/') return `/${name}`;
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** Parent folder of a server path. */
export function remoteDirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/** Last segment of a server path. */
export function remoteBasename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
