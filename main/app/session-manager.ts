import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { Listing } from '../../shared/model/remote-entry';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import type { Prompter } from '../core/prompter';
import { connectRemoteFs } from '../protocols/adapter-factory';
import { SessionPrompter } from './session-prompter';
import type { ConnectOptions, RemoteFs, Timeouts } from '../protocols/remote-fs';

/** Credentials kept in main for a session's lifetime, so transfers can open their own connections. */
export interface SessionCredentials {
  readonly target: ConnectionTarget;
  readonly password?: string;
  readonly passphrase?: string;
  /** The session's prompter, remembering what the user already answered for it. */
  readonly prompter?: Prompter;
}

interface Session extends SessionCredentials {
  readonly fs: RemoteFs;
}

export interface SessionManagerOptions {
  readonly stateDir: string;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly timeouts?: () => Partial<Timeouts>;
  readonly onClosed?: (sessionId: string, reason?: string) => void;
  readonly onTrustChanged?: ConnectOptions['onTrustChanged'];
}

/** The GUI's browsing connections, one per open remote pane, keyed by an opaque id. */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: SessionManagerOptions) {}

  /** Builds adapter options for a target; reads the key file in main (never sent by the renderer). */
  async connectOptions(creds: SessionCredentials): Promise<ConnectOptions> {
    const { target } = creds;
    let privateKey: Buffer | undefined;
    if (target.keyFile && (target.auth === 'key' || target.auth === undefined)) {
      try {
        privateKey = await readFile(target.keyFile);
      } catch (err) {
        throw new FerryError('invalid-request', `cannot read the key file ${target.keyFile}`, (err as Error).message);
      }
    }
    const logger = this.options.logger.child(`${target.protocol} ${target.user ? `${target.user}@` : ''}${target.host}:${target.port}`);
    logger.addSecret(creds.password);
    logger.addSecret(creds.passphrase);
    const timeouts = this.options.timeouts?.();
    return {
      target,
      stateDir: this.options.stateDir,
      prompter: creds.prompter ?? this.options.prompter,
      logger,
      ...(creds.password !== undefined ? { password: creds.password } : {}),
      ...(creds.passphrase !== undefined ? { passphrase: creds.passphrase } : {}),
      ...(privateKey ? { privateKey } : {}),
      ...(timeouts ? { timeouts } : {}),
      ...(this.options.onTrustChanged ? { onTrustChanged: this.options.onTrustChanged } : {}),
    };
  }

  /** Opens a RemoteFs for these credentials (used by sessions and by the transfer queue). */
  async open(creds: SessionCredentials, overrides: Pick<ConnectOptions, 'connections'> = {}): Promise<RemoteFs> {
    const options = { ...(await this.connectOptions(creds)), ...overrides };
    try {
      return await connectRemoteFs(options);
    } catch (err) {
      const e = toFerryError(err);
      options.logger.log('error', `cannot connect to ${creds.target.host}:${creds.target.port}: ${e.message}${e.detail ? ` (${e.detail})` : ''}`);
      throw e;
    }
  }

  async connect(credentials: SessionCredentials): Promise<{ sessionId: string; home: string }> {
    const creds = { ...credentials, prompter: new SessionPrompter(credentials.prompter ?? this.options.prompter) };
    const fs = await this.open(creds);
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { ...creds, fs });
    const home = await fs.home().catch(() => '/');
    this.options.logger.log('info', `connected to ${creds.target.host}:${creds.target.port}`);
    return { sessionId, home };
  }

  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  credentials(sessionId: string): SessionCredentials {
    const s = this.get(sessionId);
    const { fs: _fs, ...creds } = s;
    return creds;
  }

  /** The browsing connection; reconnects once if it was lost. */
  async fs(sessionId: string): Promise<RemoteFs> {
    const s = this.get(sessionId);
    if (s.fs.connected) return s.fs;
    await s.fs.close().catch(() => undefined);
    const fresh = await this.open(s);
    this.sessions.set(sessionId, { ...s, fs: fresh });
    return fresh;
  }

  async list(sessionId: string, path: string): Promise<Listing> {
    const fs = await this.fs(sessionId);
    return { path, entries: await fs.list(path) };
  }

  async delete(sessionId: string, paths: readonly string[]): Promise<void> {
    const fs = await this.fs(sessionId);
    for (const p of paths) {
      const st = await fs.stat(p);
      if (st.type === 'dir') await fs.removeDir(p, { recursive: true });
      else await fs.removeFile(p);
    }
  }

  async close(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    await s.fs.close();
    this.options.onClosed?.(sessionId);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private get(sessionId: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s) throw new FerryError('invalid-request', 'that connection is closed; connect again');
    return s;
  }
}

