import { homedir } from 'node:os';
import { createLogger, type Logger } from '../core/logger';
import { TrustStore } from '../trust/trust-store';
import type { EventSink } from './event-sink';
import { LogBuffer } from './log-buffer';
import { PromptBroker } from './prompt-broker';
import { SessionManager } from './session-manager';

export interface FerryCoreOptions {
  /** Where trust, consents, profiles and the queue journal live. */
  readonly stateDir: string;
  readonly events: EventSink;
  /** The local folder the UI starts in. */
  readonly home?: string;
  readonly logCapacity?: number;
}

/**
 * Everything the main process owns, in plain Node: sessions, prompts, the log, trust. The Electron
 * shell and the dev bridge both drive the same core through the handler table (main/ipc/handlers).
 */
export class FerryCore {
  readonly stateDir: string;
  readonly home: string;
  readonly log: LogBuffer;
  readonly logger: Logger;
  readonly prompts: PromptBroker;
  readonly sessions: SessionManager;
  readonly trust: TrustStore;

  constructor(options: FerryCoreOptions) {
    this.stateDir = options.stateDir;
    this.home = options.home ?? homedir();
    this.log = new LogBuffer(options.logCapacity ?? 100_000, (lines) => options.events.emit('log:lines', lines));
    this.logger = createLogger(this.log, 'app');
    this.prompts = new PromptBroker(options.events);
    this.trust = new TrustStore(this.stateDir);
    this.sessions = new SessionManager({
      stateDir: this.stateDir,
      prompter: this.prompts,
      logger: this.logger,
      onClosed: (sessionId, reason) => options.events.emit('session:closed', reason === undefined ? { sessionId } : { sessionId, reason }),
    });
  }

  /** Closes every connection and flushes the log; safe to call twice. */
  async close(): Promise<void> {
    this.prompts.cancelAll();
    await this.sessions.closeAll();
    this.log.close();
  }
}
