import type { Client as SshClient } from 'ssh2';
import type { ConnectionTarget } from '../../../shared/model/connection';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { DEFAULT_TIMEOUTS, type ConnectOptions, type RemoteCapabilities, type RemoteFs, type Timeouts, type TransferOptions } from '../remote-fs';
import { checkFileAlgorithms, checkFileHash } from './check-file';
import { ConnectionGuard } from './connection-guard';
import { downloadFile } from './sftp-download';
import { sftpFileOps } from './sftp-file-ops';
import { listFolder } from './sftp-listing';
import { SftpSession } from './sftp-session';
import { resolveTuning, type ResolvedSftpTuning, type SftpTuning } from './sftp-tuning';
import { uploadFile } from './sftp-upload';
import { inKeyExchange as isRekeying, internalsOf } from './ssh-internals';
import { openSshConnection } from './ssh-connect';
import type { WritePoolStats } from './ssh-write-pool';
import { InFlightBudget, type PipelineLimits } from './transfer-pipeline';

/**
 * RemoteFs over SFTP (ssh2): one SSH connection, one SFTP channel, every call pipelined on it
 * (calls may overlap). Transfers use Ferry's own engine; the connection is guarded against the
 * re-key traps of ssh2 (see connection-guard.ts and strict-rekey-patch.ts).
 */
export class SftpRemoteFs implements RemoteFs {
  readonly target: ConnectionTarget;
  private readonly tuning: ResolvedSftpTuning;
  private readonly timeouts: Timeouts;
  private client: SshClient | undefined;
  private session: SftpSession | undefined;
  private guard: ConnectionGuard | undefined;
  private lost: FerryError | undefined;
  private closing: Promise<void> | undefined;
  private connecting: AbortController | undefined;
  private readonly budget: InFlightBudget;
  private writePool: WritePoolStats | undefined;

  constructor(
    private readonly options: ConnectOptions,
    tuning: SftpTuning = {},
  ) {
    this.target = options.target;
    this.tuning = resolveTuning(tuning);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.budget = new InFlightBudget(this.tuning.maxConnectionInFlightBytes);
  }

  get connected(): boolean {
    return this.session !== undefined && this.lost === undefined && this.closing === undefined;
  }

  /** Re-keys Ferry itself started on this connection (the server's own are not counted). */
  get rekeysStarted(): number {
    return this.guard?.rekeysStarted ?? 0;
  }

  /** SSH packets and SFTP WRITE packets built in reused buffers so far (tests). */
  get pooledPackets(): { ssh: number; writes: number } {
    return { ssh: this.writePool?.pooled ?? 0, writes: this.session?.writeBuffers.pooled ?? 0 };
  }

  /** Most bytes ever in flight at once over all transfers of this connection. */
  get peakInFlightBytes(): number {
    return this.budget.peak;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.session || this.connecting) throw new FerryError('invalid-request', 'already connected');
    if (this.closing) throw new FerryError('connection-lost', 'the connection is closed');
    const { host, port } = this.target;
    // close() during connect() cancels it, so no connection outlives its adapter.
    this.connecting = new AbortController();
    const signals = signal ? [signal, this.connecting.signal] : [this.connecting.signal];
    let conn: Awaited<ReturnType<typeof openSshConnection>>;
    try {
      conn = await openSshConnection(
        this.options,
        { knownHostsPath: this.tuning.knownHostsPath, env: this.tuning.env, ...(this.tuning.ciphers ? { ciphers: this.tuning.ciphers } : {}), ...(this.tuning.debug ? { debug: this.tuning.debug } : {}) },
        AbortSignal.any(signals),
      );
    } finally {
      this.connecting = undefined;
    }
    this.client = conn.client;
    this.writePool = conn.writePool;
    const client = conn.client;
    this.session = new SftpSession(conn.sftp, this.timeouts.commandMs, internalsOf(client)._sock, () => {
      const proto = internalsOf(client)._protocol;
      return proto !== undefined && isRekeying(proto);
    });
    const markLost = (reason: FerryError): void => {
      if (!this.lost) this.lost = reason;
      this.guard?.stop();
      this.session?.fail(this.lost);
    };
    this.guard = new ConnectionGuard(conn.client, {
      keepaliveMs: this.tuning.keepaliveMs,
      deadAfterMs: this.timeouts.idleMs,
      deadDuringKexMs: this.tuning.deadDuringKexMs,
      rekeyAfterBytes: this.tuning.rekeyAfterBytes,
      logger: this.options.logger,
      onDead: (silentMs) => {
        markLost(new FerryError('connection-lost', `${host}:${port} stopped answering (silent for ${Math.round(silentMs / 1000)} s)`));
        internalsOf(conn.client)._sock?.destroy();
      },
    });
    this.guard.start();
    conn.client.on('error', (err: Error) => {
      const reason = conn.verifier.failure ?? new FerryError('connection-lost', `the connection to ${host}:${port} failed`, err.message);
      this.options.logger.log('error', reason.message);
      markLost(reason);
    });
    conn.client.on('close', () => markLost(new FerryError('connection-lost', `the connection to ${host}:${port} was closed`)));
    conn.sftp.on('close', () => markLost(new FerryError('connection-lost', `the SFTP channel to ${host}:${port} was closed`)));
    this.options.logger.log('info', `connected to ${host}:${port} over SFTP`);
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.connecting?.abort();
    const client = this.client;
    this.guard?.stop();
    this.closing = new Promise<void>((resolve) => {
      if (!client) return resolve();
      const sock = internalsOf(client)._sock;
      if (!sock || sock.destroyed) return resolve();
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2000);
      timer.unref();
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
    return this.closing;
  }

  capabilities(): RemoteCapabilities {
    const extensions = (this.session?.sftp as unknown as { _extensions?: Record<string, string> } | undefined)?._extensions;
    return { rename: true, resumeUpload: true, resumeDownload: true, hashes: checkFileAlgorithms(extensions) };
  }

  /** The server's hash of a file (SFTP `check-file-name`), when it offers that algorithm. */
  async hash(path: string, algorithm: string): Promise<string | undefined> {
    this.live();
    if (!this.client || !this.capabilities().hashes.includes(algorithm)) return undefined;
    return checkFileHash(this.client, path, algorithm, this.timeouts.commandMs * 10);
  }

  async home(): Promise<string> {
    const s = this.live();
    return s.call<string>('cannot find the home folder', (cb) => s.sftp.realpath('.', cb));
  }

  async list(path: string, signal?: AbortSignal): Promise<RemoteEntry[]> {
    const maxEntries = this.options.maxListEntries ?? this.tuning.maxListEntries;
    const entries = await this.logged('command', `list ${path}`, () => listFolder(this.live(), path, { maxEntries, maxBytes: this.tuning.maxListBytes }, signal));
    this.options.logger.log('reply', `${path}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`);
    return entries;
  }

  async stat(path: string): Promise<RemoteEntry> {
    return this.logged('debug', `stat ${path}`, () => sftpFileOps(this.live(), this.listLimits()).stat(path));
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.logged('command', `mkdir ${options?.recursive ? '-p ' : ''}${path}`, () => sftpFileOps(this.live(), this.listLimits()).mkdir(path, options?.recursive === true));
  }

  async rename(from: string, to: string): Promise<void> {
    return this.logged('command', `rename ${from} to ${to}`, () => sftpFileOps(this.live(), this.listLimits()).rename(from, to));
  }

  async removeFile(path: string): Promise<void> {
    return this.logged('command', `remove ${path}`, () => sftpFileOps(this.live(), this.listLimits()).removeFile(path));
  }

  async removeDir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.logged('command', `rmdir ${options?.recursive ? '-r ' : ''}${path}`, () => sftpFileOps(this.live(), this.listLimits()).removeDir(path, options?.recursive === true));
  }

  async chmod(path: string, mode: number): Promise<void> {
    return this.logged('command', `chmod ${mode.toString(8).padStart(3, '0')} ${path}`, () => sftpFileOps(this.live(), this.listLimits()).chmod(path, mode));
  }

  /** Logs one SFTP operation as a command line, and its failure as the server's reply. */
  private async logged<T>(level: 'command' | 'debug', what: string, op: () => Promise<T>): Promise<T> {
    this.options.logger.log(level, what);
    try {
      return await op();
    } catch (err) {
      this.options.logger.log(level === 'debug' ? 'debug' : 'reply', `${what}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  async download(remotePath: string, localPath: string, options: TransferOptions = {}): Promise<number> {
    const s = this.live();
    return this.wrapLost(downloadFile(s, remotePath, localPath, options, this.pipelineLimits(s.chunkSize().read)));
  }

  async upload(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<number> {
    const s = this.live();
    return this.wrapLost(uploadFile(s, localPath, remotePath, options, this.pipelineLimits(s.chunkSize().write)));
  }

  private pipelineLimits(serverChunk: number): PipelineLimits {
    const chunkSize = Math.min(serverChunk, this.tuning.chunkSize ?? serverChunk);
    const client = this.client;
    const inKeyExchange = (): boolean => {
      const proto = client ? internalsOf(client)._protocol : undefined;
      return proto !== undefined && isRekeying(proto);
    };
    return { chunkSize, maxInFlightBytes: Math.max(chunkSize, this.tuning.maxInFlightBytes), idleMs: this.timeouts.idleMs, inKeyExchange, budget: this.budget };
  }

  private listLimits(): { maxEntries: number; maxBytes: number } {
    return { maxEntries: this.options.maxListEntries ?? this.tuning.maxListEntries, maxBytes: this.tuning.maxListBytes };
  }

  /** Reports why the connection died rather than the echo of it on a request. */
  private async wrapLost<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (this.lost && err instanceof FerryError && err.code === 'connection-lost') throw this.lost;
      throw err;
    }
  }

  private live(): SftpSession {
    if (this.lost) throw this.lost;
    if (this.closing) throw new FerryError('connection-lost', 'the connection is closed');
    if (!this.session) throw new FerryError('invalid-request', 'not connected: call connect() first');
    return this.session;
  }
}
