import type { ConnectionTarget } from '../../../shared/model/connection';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { TrustStore } from '../../trust/trust-store';
import { DEFAULT_TIMEOUTS, type ConnectOptions, type RemoteCapabilities, type RemoteFs, type Timeouts, type TransferOptions } from '../remote-fs';
import { assertSafePath, type ControlLimits } from './control-guard';
import { resolveCharset } from './ftp-charset';
import { FtpPool, type Lane } from './ftp-pool';
import { negotiate } from './ftp-negotiate';
import * as ops from './ftp-operations';
import { FtpSession, type SessionConfig, type SessionPlan } from './ftp-session';
import { downloadFile, uploadFile } from './ftp-transfer';

/** Knobs of the FTP adapter beyond ConnectOptions. */
export interface FtpAdapterOptions {
  /** Parallel transfer connections (0-16, default 4); browsing has one more of its own. 0: one shared connection. */
  readonly transferConnections?: number;
  /** NOOP on a connection idle this long, ms (default 60 s; 0 = never). */
  readonly keepaliveMs?: number;
  /** Largest listing accepted, bytes (default 16 MiB). */
  readonly maxListingBytes?: number;
  readonly limits?: ControlLimits;
}

/**
 * RemoteFs over FTP, FTPES and FTPS (basic-ftp underneath). Never hangs (every phase has a
 * deadline), never sends a password in clear text without consent, never follows a PASV
 * address elsewhere, bounds everything a server sends, and runs overlapping calls on a pool
 * of control connections.
 */
export class FtpRemoteFs implements RemoteFs {
  readonly target: ConnectionTarget;
  private readonly options: ConnectOptions;
  private readonly adapterOptions: FtpAdapterOptions;
  private readonly timeouts: Timeouts;
  private pool: FtpPool | undefined;
  private plan: SessionPlan | undefined;
  private homeDir = '/';
  private features = new Map<string, string>();
  private isConnected = false;
  /** The password the user typed when none was given (asked once, shared by the pool). */
  private askedPassword: Promise<string> | undefined;
  /** Aborted by close(): ends a connect() still under way (a prompt, a handshake) at once. */
  private readonly closing = new AbortController();

  constructor(options: ConnectOptions, adapterOptions: FtpAdapterOptions = {}) {
    this.options = options;
    this.target = options.target;
    this.adapterOptions = adapterOptions;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  get connected(): boolean {
    return this.isConnected;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.pool) throw new FerryError('invalid-request', 'already connected');
    if (this.closing.signal.aborted) throw new FerryError('cancelled', 'the connection was closed');
    const config = this.sessionConfig(signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal);
    const { protocol, siteId } = this.target;
    const { session, plan } = await negotiate(config, {
      protocol,
      stateDir: this.options.stateDir,
      prompter: this.options.prompter,
      logger: this.options.logger,
      ...(siteId !== undefined ? { siteId } : {}),
      ...(this.options.acceptNew !== undefined ? { acceptNew: this.options.acceptNew } : {}),
      ...(this.options.allowPlain !== undefined ? { allowPlain: this.options.allowPlain } : {}),
      ...(this.options.onTrustChanged ? { onTrustChanged: this.options.onTrustChanged } : {}),
    }).catch((err: unknown) => {
      // A typed password the server refused is asked for again by the next connect().
      if (err instanceof FerryError && err.code === 'auth-failed') this.askedPassword = undefined;
      throw err;
    });
    this.plan = plan;
    this.features = session.features;
    try {
      this.homeDir = await ops.pwd(session);
      if (this.closing.signal.aborted) throw new FerryError('cancelled', 'the connection was closed');
    } catch (err) {
      session.close();
      throw err;
    }
    const poolConfig = this.sessionConfig();
    this.pool = new FtpPool({
      open: async () => {
        const s = new FtpSession(poolConfig);
        try {
          await s.open(this.plan!, this.features);
        } catch (err) {
          this.reportChangedCertificate(err);
          throw err;
        }
        return s;
      },
      transferSlots: this.adapterOptions.transferConnections ?? 4,
      keepaliveMs: this.adapterOptions.keepaliveMs ?? 60_000,
      commandMs: this.timeouts.commandMs,
      logger: this.options.logger,
    });
    this.pool.adopt(session);
    this.isConnected = true;
  }

  /** Closes every connection; a connect() under way fails with 'cancelled'. Safe twice. */
  async close(): Promise<void> {
    this.isConnected = false;
    this.closing.abort();
    this.pool?.close();
  }

  capabilities(): RemoteCapabilities {
    return { rename: true, resumeUpload: true, resumeDownload: true, hashes: ops.offeredHashes(this.features) };
  }

  async home(): Promise<string> {
    this.livePool();
    return this.homeDir;
  }

  list(path: string, signal?: AbortSignal): Promise<RemoteEntry[]> {
    return this.run('browse', [path], (s) => ops.list(s, path, this.options.maxListEntries ?? 200_000, this.timeouts), signal);
  }

  stat(path: string): Promise<RemoteEntry> {
    return this.run('browse', [path], (s) => ops.stat(s, path, this.timeouts));
  }

  mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.run('browse', [path], (s) => ops.mkdir(s, path, options?.recursive ?? false));
  }

  rename(from: string, to: string): Promise<void> {
    return this.run('browse', [from, to], (s) => ops.rename(s, from, to));
  }

  removeFile(path: string): Promise<void> {
    return this.run('browse', [path], (s) => ops.removeFile(s, path));
  }

  removeDir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.run('browse', [path], (s) => ops.removeDir(s, path, options?.recursive ?? false, this.options.maxListEntries ?? 200_000, this.timeouts));
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.run('browse', [path], (s) => ops.chmod(s, path, mode));
  }

  download(remotePath: string, localPath: string, options?: TransferOptions): Promise<number> {
    return this.run('transfer', [remotePath], (s) => downloadFile(s, remotePath, localPath, options), options?.signal);
  }

  upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<number> {
    return this.run('transfer', [remotePath], (s) => uploadFile(s, localPath, remotePath, options), options?.signal);
  }

  async hash(path: string, algorithm: string): Promise<string | undefined> {
    if (!ops.offeredHashes(this.features).includes(algorithm)) return undefined;
    return this.run('browse', [path], (s) => ops.hash(s, path, algorithm));
  }

  /** A pinned certificate replaced while we were connected: tell the trust center (never trusted here). */
  private reportChangedCertificate(err: unknown): void {
    const pin = this.plan?.tls as { checkServerIdentity?: unknown } | undefined;
    if (!(err instanceof FerryError) || err.code !== 'cert-changed' || !err.detail || !pin?.checkServerIdentity) return;
    const { host, port } = this.target;
    void new TrustStore(this.options.stateDir)
      .get('certificate', host, port)
      .then((record) => {
        if (record && record.fingerprint !== err.detail) {
          this.options.onTrustChanged?.({ kind: 'certificate', host, port, type: 'x509', fingerprint: err.detail!, previousFingerprint: record.fingerprint });
        }
      })
      .catch(() => undefined);
  }

  private livePool(): FtpPool {
    if (!this.pool || !this.isConnected) throw new FerryError('invalid-request', 'not connected');
    return this.pool;
  }

  private async run<T>(lane: Lane, paths: readonly string[], work: (s: FtpSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const charset = resolveCharset(this.target.charset);
    for (const p of paths) {
      assertSafePath(p);
      // A name the site's charset cannot write fails here, before a command is half sent.
      charset.encode(p);
      if (!p.startsWith('/')) throw new FerryError('invalid-request', `"${p}" is not an absolute path`);
    }
    const lease = await this.livePool().acquire(lane, signal);
    try {
      return await work(lease.session);
    } finally {
      lease.release();
    }
  }

  /** Asks for the password of a named user once; a refusal is 'auth-failed', a close 'cancelled'. */
  private askPassword(user: string, signal?: AbortSignal): Promise<string> {
    if (this.askedPassword) return this.askedPassword;
    const asking = (async () => {
      const subject = `${user}@${this.target.host}`;
      const answer = await this.options.prompter.ask({ kind: 'secret', purpose: 'password', subject }, signal).catch((err: unknown) => {
        throw signal?.aborted ? new FerryError('cancelled', 'cancelled') : err;
      });
      if (signal?.aborted) throw new FerryError('cancelled', 'cancelled');
      if (answer === null) throw new FerryError('auth-failed', `no password was given for ${subject}: the login was cancelled`);
      this.options.logger.addSecret(answer.value);
      return answer.value;
    })();
    this.askedPassword = asking;
    // A failed ask may be retried by a later connect().
    asking.catch(() => {
      if (this.askedPassword === asking) this.askedPassword = undefined;
    });
    return asking;
  }

  private sessionConfig(signal?: AbortSignal): SessionConfig {
    const { target, password, logger } = this.options;
    const anonymous = target.auth === 'anonymous' || !target.user || target.user === 'anonymous' || target.user === 'ftp';
    logger.addSecret(password);
    const charset = resolveCharset(target.charset);
    return {
      endpoint: { host: target.host, port: target.port, timeouts: this.timeouts, ...(signal ? { signal } : {}) },
      user: anonymous && !target.user ? 'anonymous' : target.user!,
      password: password !== undefined || anonymous ? async () => password ?? 'anonymous@' : () => this.askPassword(target.user!, signal),
      logger,
      charset,
      maxListingBytes: this.adapterOptions.maxListingBytes ?? 16 * 1024 * 1024,
      ...(target.passive === false ? { active: true } : {}),
      ...(this.adapterOptions.limits ? { limits: this.adapterOptions.limits } : {}),
    };
  }
}
