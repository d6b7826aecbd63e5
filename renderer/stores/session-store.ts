import { create } from 'zustand';
import type { FerryErrorShape } from '../../shared/ipc/errors';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { SiteProfile } from '../../shared/model/site';
import { ferry } from '../ferry-api';
import { errorShape, unwrap } from '../lib/result';

/** Connection state of the remote pane: at most one browsing session at a time. */
export interface SessionState {
  readonly status: 'idle' | 'connecting' | 'connected';
  readonly sessionId: string | null;
  readonly target: ConnectionTarget | null;
  readonly home: string | null;
  /** The saved site behind this session, when it came from the site manager. */
  readonly site: SiteProfile | null;
  readonly error: FerryErrorShape | null;
  /** Why main closed the session, when it did. */
  readonly closedReason: string | null;
  /** Opens a session; the password goes to main in this call and is not kept here. */
  connect(target: ConnectionTarget, password?: string): Promise<boolean>;
  connectSite(site: SiteProfile): Promise<boolean>;
  disconnect(): Promise<void>;
  handleClosed(sessionId: string, reason?: string): void;
  clearError(): void;
}

/** "sftp://alice@example.org:22", for titles and the log filter. */
export function targetLabel(t: ConnectionTarget): string {
  return `${t.protocol}://${t.user ? `${t.user}@` : ''}${t.host}:${t.port}`;
}

/** The remote session store. Subscribers (the remote pane) react to `sessionId` changes. */
export const useSessionStore = create<SessionState>()((set, get) => {
  // Bumped by every connect and disconnect: a connect that finishes after the user moved on
  // (disconnected, or connected elsewhere) is closed instead of taking over the pane.
  let attempt = 0;

  async function open(
    target: ConnectionTarget,
    invoke: () => ReturnType<ReturnType<typeof ferry>['sessionConnect']>,
    site: SiteProfile | null,
  ): Promise<boolean> {
    const mine = ++attempt;
    const previous = get().sessionId;
    set({ status: 'connecting', error: null, closedReason: null, sessionId: null, target, site });
    if (previous) await ferry().sessionClose({ sessionId: previous });
    try {
      const { sessionId, home } = await unwrap(invoke());
      if (mine !== attempt) {
        void ferry().sessionClose({ sessionId });
        return false;
      }
      set({ status: 'connected', sessionId, home });
      return true;
    } catch (err) {
      if (mine === attempt) set({ status: 'idle', error: errorShape(err), target: null, site: null });
      return false;
    }
  }

  return {
    status: 'idle',
    sessionId: null,
    target: null,
    home: null,
    site: null,
    error: null,
    closedReason: null,
    connect: (target, password) =>
      open(target, () => ferry().sessionConnect(password ? { target, password } : { target }), null),
    connectSite: (site) =>
      open(
        { protocol: site.protocol, host: site.host, port: site.port, user: site.user, auth: site.auth, siteId: site.id },
        () => ferry().sitesConnect({ id: site.id }),
        site,
      ),
    async disconnect() {
      attempt++;
      const { sessionId } = get();
      set({ status: 'idle', sessionId: null, target: null, home: null, site: null, closedReason: null });
      if (sessionId) await ferry().sessionClose({ sessionId });
    },
    handleClosed(sessionId, reason) {
      if (get().sessionId !== sessionId) return;
      set({ status: 'idle', sessionId: null, home: null, closedReason: reason ?? 'The server closed the connection.' });
    },
    clearError: () => set({ error: null }),
  };
});
