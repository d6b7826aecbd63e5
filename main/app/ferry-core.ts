import { homedir } from 'node:os';
import type { AppSettings } from '../../shared/ipc/contract';
import type { ConnectionTarget } from '../../shared/model/connection';
import { FerryError } from '../core/ferry-error';
import { createLogger, type Logger } from '../core/logger';
import { openProfileBackend, type ProfileBackend } from '../profiles/profile-backend';
import { SettingsStore } from '../profiles/settings-store';
import { secretForSite, targetForSite } from '../profiles/site-connection';
import { SiteStore } from '../profiles/site-store';
import type { RemoteFs } from '../protocols/remote-fs';
import { TransferQueue } from '../transfers/transfer-queue';
import { ConsentStore } from '../trust/consent-store';
import { SecretStore, type SafeStorageLike } from '../trust/secret-store';
import { TrustCenter } from '../trust/trust-center';
import { TrustStore } from '../trust/trust-store';
import type { EventSink } from './event-sink';
import { LogBuffer } from './log-buffer';
import { PromptBroker } from './prompt-broker';
import { SessionManager, type SessionCredentials } from './session-manager';

export interface FerryCoreOptions {
  /** Where trust, consents, profiles, secrets and the queue journal live. */
  readonly stateDir: string;
  readonly events: EventSink;
  /** The local folder the UI starts in. */
  readonly home?: string;
  readonly logCapacity?: number;
  /** Electron's safeStorage in the app; null (nothing stored without a master password) elsewhere. */
  readonly safeStorage?: SafeStorageLike | null;
  /** Profiles document; conf in `profiles.json` of the state dir by default. */
  readonly profiles?: ProfileBackend;
  /** Opens a local file with the OS (Electron's shell); absent in the dev bridge. */
  readonly openLocal?: (path: string) => Promise<'open' | 'reveal'>;
}

/**
 * Everything the main process owns, in plain Node: sessions, the transfer queue, prompts, the
 * log, profiles, secrets and trust. The Electron shell and the dev bridge both drive the same core
 * through the handler table (main/ipc/handlers). No I/O before `start()`.
 */
export class FerryCore {
  readonly stateDir: string;
  readonly home: string;
  readonly log: LogBuffer;
  readonly logger: Logger;
  readonly prompts: PromptBroker;
  readonly sessions: SessionManager;
  readonly trust: TrustStore;
  readonly trustCenter: TrustCenter;
  readonly secrets: SecretStore;
  private readonly options: FerryCoreOptions;
  private profileBackend: ProfileBackend | undefined;
  private siteStore: SiteStore | undefined;
  private settingsStore: SettingsStore | undefined;
  private transferQueue: TransferQueue | undefined;
  private closed = false;
  /** The Settings' log level asks for debug lines; they are dropped otherwise. */
  private debugLog = false;

  constructor(options: FerryCoreOptions) {
    this.options = options;
    this.stateDir = options.stateDir;
    this.home = options.home ?? homedir();
    this.log = new LogBuffer(options.logCapacity ?? 100_000, (lines) => options.events.emit('log:lines', lines));
    this.logger = createLogger({ write: (line) => (line.level !== 'debug' || this.debugLog ? this.log.write(line) : undefined) }, 'app');
    this.prompts = new PromptBroker(options.events);
    this.trust = new TrustStore(this.stateDir);
    this.trustCenter = new TrustCenter(this.trust);
    this.secrets = new SecretStore(this.stateDir, options.safeStorage ?? null);
    this.sessions = new SessionManager({
      stateDir: this.stateDir,
      prompter: this.prompts,
      logger: this.logger,
      timeouts: () => {
        const ms = this.settings.get().timeoutSec * 1000;
        return { connectMs: ms, tlsMs: Math.min(ms, 15_000), loginMs: ms, commandMs: ms, idleMs: Math.max(ms * 2, 60_000) };
      },
      onTrustChanged: (change) => this.trustCenter.noteChanged(change),
      onClosed: (sessionId, reason) => options.events.emit('session:closed', reason === undefined ? { sessionId } : { sessionId, reason }),
    });
  }

  /** Opens the profiles, replays the transfer journal and starts the queue. */
  async start(): Promise<void> {
    const settings = this.settings.get();
    this.debugLog = settings.logLevel === 'debug';
    const queue = new TransferQueue(this.stateDir, (target, sessionId) => this.connectForTransfer(target, sessionId), this.prompts, this.logger, {
      parallel: settings.parallel,
      siteLimit: (target) => this.siteTransferLimit(target),
    });
    queue.onUpdate((update) => this.options.events.emit('queue:update', update));
    await queue.start();
    this.transferQueue = queue;
  }

  get profiles(): ProfileBackend {
    this.profileBackend ??= this.options.profiles ?? openProfileBackend(this.stateDir);
    return this.profileBackend;
  }

  get sites(): SiteStore {
    this.siteStore ??= new SiteStore(this.profiles, this.secrets, new ConsentStore(this.stateDir));
    return this.siteStore;
  }

  get settings(): SettingsStore {
    this.settingsStore ??= new SettingsStore(this.profiles);
    return this.settingsStore;
  }

  /** Saves a settings change and applies it at once: parallel transfers to the queue, the log level to the log. */
  updateSettings(patch: Partial<AppSettings>): AppSettings {
    const next = this.settings.set(patch);
    this.debugLog = next.logLevel === 'debug';
    this.transferQueue?.setParallel(next.parallel);
    return next;
  }

  /** A saved site's own transfer limit (Site Manager), when the transfer is for a saved site. */
  private siteTransferLimit(target: ConnectionTarget): number | undefined {
    if (target.siteId === undefined) return undefined;
    try {
      return this.sites.stored(target.siteId).transferLimit;
    } catch {
      return undefined;
    }
  }

  get queue(): TransferQueue {
    if (!this.transferQueue) throw new Error('the transfer queue is not started');
    return this.transferQueue;
  }

  /** Credentials for a saved site: the stored secret, or the user is asked. */
  async siteCredentials(siteId: string): Promise<SessionCredentials> {
    const site = this.sites.stored(siteId);
    const target = targetForSite(site);
    const secret = await secretForSite(site, this.secrets, this.prompts);
    if (secret === undefined) return { target };
    return site.auth === 'key' ? { target, passphrase: secret } : { target, password: secret };
  }

  /** Connects a saved site's browsing session and records its use. */
  async connectSite(siteId: string): Promise<{ sessionId: string; home: string }> {
    const creds = await this.siteCredentials(siteId);
    const result = await this.sessions.connect(creds);
    this.sites.recordUse(siteId);
    const site = this.sites.stored(siteId);
    return { sessionId: result.sessionId, home: site.remoteDir ?? this.sites.lastPaths(siteId)?.remote ?? result.home };
  }

  /** The transfer queue's own connections: a GUI session's credentials, a saved site's, or the target alone. */
  private async connectForTransfer(target: ConnectionTarget, sessionId?: string): Promise<RemoteFs> {
    // One transfer connection per RemoteFs: the queue opens one RemoteFs per parallel slot.
    const one = { connections: 1 };
    if (sessionId !== undefined && this.sessions.has(sessionId)) return this.sessions.open(this.sessions.credentials(sessionId), one);
    if (target.siteId !== undefined) return this.sessions.open(await this.siteCredentials(target.siteId), one);
    return this.sessions.open({ target }, one);
  }

  /** Opens a local file with the OS, where the shell can. */
  async openLocal(path: string): Promise<'open' | 'reveal'> {
    if (!this.options.openLocal) throw new FerryError('not-supported', 'opening files with the system is only available in the desktop app');
    return this.options.openLocal(path);
  }

  /** Stops transfers (resumable from the journal), closes every connection, flushes the log; safe twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.prompts.cancelAll();
    await this.transferQueue?.close();
    await this.sessions.closeAll();
    this.log.close();
  }
}
