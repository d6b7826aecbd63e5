import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { Client, FTPError, type FTPResponse } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import { DEFAULT_CONTROL_LIMITS, guardControl, type ControlLimits } from './control-guard';
import { greet, runOnClient, sendCommand, sendIgnoringError, tcpConnect, tlsHandshake, type Endpoint } from './ftp-control';
import { ftpError } from './ftp-errors';
import type { FtpCharset } from './ftp-charset';
import { activeStrategy } from './active-mode';
import { passiveStrategy } from './passive-mode';

/** How the control connection is protected, settled once per RemoteFs by the first connection. */
export type TlsMode = 'none' | 'explicit' | 'implicit';

/** What every further connection of a RemoteFs does: the mode and the (verified) TLS options. */
export interface SessionPlan {
  readonly mode: TlsMode;
  readonly tls?: ConnectionOptions;
}

/** Everything one control connection needs; shared by all sessions of a RemoteFs. */
export interface SessionConfig {
  readonly endpoint: Endpoint;
  readonly user: string;
  /** The password, asked for (once per RemoteFs) only when login is about to send it. */
  readonly password: () => Promise<string>;
  readonly logger: Logger;
  /** Charset of the control connection and listings. */
  readonly charset: FtpCharset;
  readonly maxListingBytes: number;
  readonly limits?: ControlLimits;
  /** Active mode: the server opens data connections to Ferry (EPRT/PORT); passive otherwise. */
  readonly active?: boolean;
}

interface ContextInternals {
  tlsOptions: ConnectionOptions;
}

/**
 * One basic-ftp Client with Ferry's rules around it: every phase (connect, greeting, TLS, login,
 * each command) runs against its own deadline, control replies are bounded and logged, data
 * connections go only to the control address. One operation at a time: the pool guarantees it.
 */
export class FtpSession {
  readonly client: Client;
  features = new Map<string, string>();
  private readonly config: SessionConfig;

  constructor(config: SessionConfig) {
    this.config = config;
    this.client = new Client(config.endpoint.timeouts.idleMs, { allowSeparateTransferHost: false, maxListingBytes: config.maxListingBytes });
    // Bytes in and out as one char each: guardControl and the listing parser apply the charset.
    this.client.ftp.encoding = 'latin1';
    const parseList = this.client.parseList;
    this.client.parseList = (raw) => parseList(config.charset.decode(Buffer.from(raw, 'latin1')));
    guardControl(this.client, config.logger, config.limits ?? DEFAULT_CONTROL_LIMITS, config.charset);
    const strategy = config.active ? activeStrategy : passiveStrategy;
    this.client.prepareTransfer = strategy(config.logger, config.endpoint.timeouts.connectMs);
  }

  get closed(): boolean {
    return this.client.closed;
  }

  get endpoint(): Endpoint {
    return this.config.endpoint;
  }

  /** "TLSv1.3 TLS_AES_128_GCM_SHA256" on an encrypted control connection, else undefined. */
  get tlsDescription(): string | undefined {
    const socket = this.client.ftp.socket as Partial<TLSSocket>;
    if (typeof socket.getCipher !== 'function') return undefined;
    return `${socket.getProtocol?.() ?? ''} ${socket.getCipher()?.name ?? ''}`.trim();
  }

  close(): void {
    this.client.close();
  }

  /** TCP connect and greeting, no TLS. */
  async connectPlain(): Promise<FTPResponse> {
    const socket = await tcpConnect(this.config.endpoint);
    return greet(this.client, socket, this.config.endpoint);
  }

  /** TCP connect, TLS handshake, then the greeting inside TLS. Returns the TLS socket to inspect. */
  async connectImplicit(tls: ConnectionOptions): Promise<TLSSocket> {
    const raw = await tcpConnect(this.config.endpoint);
    const secure = await tlsHandshake(raw, tls, this.config.endpoint);
    await greet(this.client, secure, this.config.endpoint);
    (this.client.ftp as unknown as ContextInternals).tlsOptions = tls;
    return secure;
  }

  /** Sends AUTH TLS. Resolves with the refusal text when the server says no (the connection stays usable). */
  async requestTls(): Promise<string | undefined> {
    try {
      const res = await sendCommand(this.client, 'AUTH TLS', this.config.endpoint.timeouts.commandMs, 'AUTH TLS', this.config.endpoint.signal);
      if (res.code !== 234 && res.code !== 334) return `the server answered AUTH TLS with ${res.message.slice(0, 200)}`;
      return undefined;
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof FTPError) return `the server refused AUTH TLS (${cause.message.slice(0, 200)})`;
      throw err;
    }
  }

  /** Upgrades the control connection after 234, within the TLS deadline. */
  async upgrade(tls: ConnectionOptions): Promise<TLSSocket> {
    const secure = await tlsHandshake(this.client.ftp.socket, tls, this.config.endpoint).catch((err: unknown) => {
      this.client.close();
      throw err;
    });
    this.client.ftp.socket = secure;
    (this.client.ftp as unknown as ContextInternals).tlsOptions = tls;
    return secure;
  }

  /** Options for every data connection from now on (after the certificate decision). */
  useTlsOptions(tls: ConnectionOptions): void {
    (this.client.ftp as unknown as ContextInternals).tlsOptions = tls;
  }

  /**
   * Opens a fully ready session following a settled plan (no prompts: the first session asked).
   * `features` from an earlier session of the same server spare a FEAT round trip.
   */
  async open(plan: SessionPlan, features?: ReadonlyMap<string, string>): Promise<void> {
    if (plan.mode === 'implicit') {
      await this.connectImplicit(plan.tls!);
    } else {
      await this.connectPlain();
      if (plan.mode === 'explicit') {
        const refused = await this.requestTls();
        if (refused !== undefined) {
          this.client.close();
          throw new FerryError('tls-unavailable', `${this.config.endpoint.host}:${this.config.endpoint.port}: ${refused}`);
        }
        await this.upgrade(plan.tls!);
      }
    }
    await this.login(features);
  }

  /** USER/PASS within the login deadline, then FEAT (unless known), binary mode, MLST facts and PROT P. */
  async login(features?: ReadonlyMap<string, string>): Promise<void> {
    const { endpoint, user, charset } = this.config;
    const tls = this.client.ftp.hasTLS;
    // Only now, with TLS settled or clear text consented to, may a password be asked for.
    const password = await this.config.password();
    if (charset.name === 'utf-8') await sendIgnoringError(this.client, 'OPTS UTF8 ON', endpoint.timeouts.commandMs);
    try {
      await runOnClient(this.client, endpoint.timeouts.loginMs, 'login', () => this.client.login(user, password), endpoint.signal);
    } catch (err) {
      const fe = err instanceof FerryError ? err : ftpError(err, 'login');
      if ((fe.cause as unknown) instanceof FTPError) {
        this.client.close();
        throw new FerryError('auth-failed', `login as ${user} on ${endpoint.host}:${endpoint.port} failed: ${(fe.cause as FTPError).message.slice(0, 200)}`);
      }
      throw fe;
    }
    this.features = features ? new Map(features) : parseFeatures(await sendIgnoringError(this.client, 'FEAT', endpoint.timeouts.commandMs));
    // STRU F (file structure) is every server's default: not sent.
    await sendCommand(this.client, 'TYPE I', endpoint.timeouts.commandMs);
    if (this.features.has('MLST')) {
      this.client.availableListCommands = ['MLSD', 'LIST -a', 'LIST'];
      await sendIgnoringError(this.client, 'OPTS MLST type;size;modify;unix.mode;unix.owner;unix.group;unix.ownername;unix.groupname;', endpoint.timeouts.commandMs);
    } else {
      this.client.availableListCommands = ['LIST -a', 'LIST'];
    }
    if (tls) {
      await sendIgnoringError(this.client, 'PBSZ 0', endpoint.timeouts.commandMs);
      try {
        await sendCommand(this.client, 'PROT P', endpoint.timeouts.commandMs);
      } catch (err) {
        this.client.close();
        throw new FerryError('tls-unavailable', `${endpoint.host}:${endpoint.port} refused to encrypt data connections (PROT P)`, (err as Error).message);
      }
    }
  }
}

/** FEAT reply -> feature name (upper case) -> parameters. */
export function parseFeatures(res: FTPResponse): Map<string, string> {
  const features = new Map<string, string>();
  if (res.code >= 400) return features;
  for (const line of res.message.split('\n').slice(1, -1)) {
    const entry = line.trim();
    if (!entry) continue;
    const space = entry.indexOf(' ');
    features.set((space < 0 ? entry : entry.slice(0, space)).toUpperCase(), space < 0 ? '' : entry.slice(space + 1));
  }
  return features;
}
