import { randomUUID } from 'node:crypto';
import type { SiteInput } from '../../shared/model/site';
import { DEFAULT_SETTINGS, type LastPaths, type StoredSite } from './profile-schema';
import { validateSettings } from './settings-validation';
import { validateSiteInput } from './site-validation';

/** The document version this build writes. conf records it in the file (`__internal__`). */
export const PROFILE_SCHEMA_VERSION = '1.0.0';

/** The store a migration sees: conf's own get/set/delete. */
export interface MigrationStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * Versioned migrations, run by conf in order for every version above the file's and up to
 * PROFILE_SCHEMA_VERSION; conf restores the file if one throws. Add a key per new version.
 */
export const PROFILE_MIGRATIONS: Record<string, (store: MigrationStore) => void> = {
  /**
   * 1.0.0: brings any earlier document (development builds kept sites as an id -> site map and
   * settings without a layout; hand edits) to the v1 shape. Sites that cannot be repaired are kept
   * aside under `invalidSites`, never dropped silently.
   */
  '1.0.0': (store) => {
    const { sites, invalid } = normalizeSites(store.get('sites'));
    store.set('sites', sites);
    if (invalid.length > 0) store.set('invalidSites', [...asArray(store.get('invalidSites')), ...invalid]);
    store.set('settings', normalizeSettings(store.get('settings')));
    store.set('lastPaths', normalizeLastPaths(store.get('lastPaths')));
  },
};

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.entries(value).map(([id, v]) => (v && typeof v === 'object' && !('id' in v) ? { ...v, id } : v));
  return [];
}

function normalizeSites(raw: unknown): { sites: StoredSite[]; invalid: unknown[] } {
  const sites: StoredSite[] = [];
  const invalid: unknown[] = [];
  const seen = new Set<string>();
  const now = Date.now();
  for (const entry of asArray(raw)) {
    try {
      const r = entry as Partial<StoredSite> & Record<string, unknown>;
      const protocol = r.protocol ?? 'sftp';
      const input = {
        passive: true,
        charset: 'utf8',
        transferLimit: 4,
        folder: '',
        auth: protocol === 'sftp' ? 'password' : r.user ? 'password' : 'anonymous',
        ...r,
      } as SiteInput;
      const fields = validateSiteInput({ ...input, name: input.name ?? input.host, user: input.user ?? '' });
      const id = typeof r.id === 'string' && r.id.length > 0 && r.id.length <= 128 && !seen.has(r.id) ? r.id : randomUUID();
      seen.add(id);
      const createdAt = typeof r.createdAt === 'number' ? r.createdAt : now;
      sites.push({
        id,
        ...fields,
        createdAt,
        updatedAt: typeof r.updatedAt === 'number' ? r.updatedAt : createdAt,
        ...(typeof r.lastUsed === 'number' ? { lastUsed: r.lastUsed } : {}),
      });
    } catch {
      invalid.push(entry);
    }
  }
  return { sites, invalid };
}

function normalizeSettings(raw: unknown): typeof DEFAULT_SETTINGS {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  let settings = DEFAULT_SETTINGS;
  // Keep each old value that is still valid on its own; fall back to the default for the rest.
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
    try {
      settings = validateSettings(settings, { [key]: key === 'layout' ? { ...DEFAULT_SETTINGS.layout, ...(value as object) } : value });
    } catch {
      // an invalid old value: the default stays
    }
  }
  return settings;
}

function normalizeLastPaths(raw: unknown): Record<string, LastPaths> {
  const out: Record<string, LastPaths> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [id, value] of Object.entries(raw)) {
    const v = value as Partial<LastPaths> | null;
    if (!v || typeof v !== 'object' || id === '__proto__') continue;
    out[id] = {
      ...(typeof v.local === 'string' ? { local: v.local.slice(0, 4096) } : {}),
      ...(typeof v.remote === 'string' ? { remote: v.remote.slice(0, 4096) } : {}),
      at: typeof v.at === 'number' ? v.at : 0,
    };
  }
  return out;
}
