import type { InvokeRequest, InvokeResponse } from '../../shared/ipc/contract';
import type { Prompter } from '../core/prompter';
import { ConsentStore } from '../trust/consent-store';
import { SecretStore, type SafeStorageLike } from '../trust/secret-store';
import { TrustCenter } from '../trust/trust-center';
import type { TrustStore } from '../trust/trust-store';
import { importFileZilla } from './filezilla-import';
import { openProfileBackend, type ProfileBackend } from './profile-backend';
import { SettingsStore } from './settings-store';
import { secretForSite, targetForSite } from './site-connection';
import { SiteStore } from './site-store';

/** Everything behind the `sites:*`, `trust:*` and `settings:*` channels, built once per app. */
export interface ProfileServices {
  readonly sites: SiteStore;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly consents: ConsentStore;
  readonly trustCenter: TrustCenter;
}

/**
 * Opens profiles.json and secrets.json in the state dir. `safeStorage` is Electron's (see
 * safe-storage-secrets.ts) in the app and null in plain Node (dev bridge, tests): then secrets are
 * kept only under a master password, or not at all. `backend` lets the app pass electron-store.
 */
export function createProfileServices(stateDir: string, safeStorage: SafeStorageLike | null, trust: TrustStore, backend: ProfileBackend = openProfileBackend(stateDir)): ProfileServices {
  const secrets = new SecretStore(stateDir, safeStorage);
  const consents = new ConsentStore(stateDir);
  return { sites: new SiteStore(backend, secrets, consents), settings: new SettingsStore(backend), secrets, consents, trustCenter: new TrustCenter(trust) };
}

type ProfileChannel = 'sites:list' | 'sites:save' | 'sites:delete' | 'sites:connect' | 'sites:import-filezilla' | 'trust:list' | 'trust:remove' | 'settings:get' | 'settings:set';

/** The handlers for this module's channels, shaped like main/ipc/handlers.ts entries. */
export type ProfileHandlers = { [C in ProfileChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> };

/** What `sites:connect` needs from the session manager. */
export interface ProfileConnectDeps {
  connect(creds: { target: ReturnType<typeof targetForSite>; password?: string; passphrase?: string }): Promise<{ sessionId: string; home: string }>;
  readonly prompter: Prompter;
}

/**
 * One function per channel. Secrets go in (`sites:save`) and never come out: `sites:connect`
 * reads the stored secret (or asks) in main and hands it to the session manager.
 */
export function profileHandlers(services: ProfileServices, deps: ProfileConnectDeps): ProfileHandlers {
  const { sites, settings, secrets, trustCenter } = services;
  return {
    'sites:list': () => sites.list(),
    'sites:save': (req) => sites.save(req.site),
    'sites:delete': async (req) => (await sites.delete(req.id), null),
    'sites:connect': async (req) => {
      const site = sites.stored(req.id);
      const secret = await secretForSite(site, secrets, deps.prompter);
      const target = targetForSite(site);
      const creds = secret === undefined ? { target } : site.auth === 'key' ? { target, passphrase: secret } : { target, password: secret };
      const result = await deps.connect(creds);
      sites.recordUse(site.id);
      return result;
    },
    'sites:import-filezilla': async (req) => {
      const report = await importFileZilla(req.xml, sites);
      return { imported: report.imported, skipped: report.skipped };
    },
    'trust:list': () => trustCenter.list(),
    'trust:remove': async (req) => (await trustCenter.remove(req.kind, req.host, req.port), null),
    'settings:get': async () => settings.get(),
    'settings:set': async (req) => settings.set(req.settings),
  };
}
