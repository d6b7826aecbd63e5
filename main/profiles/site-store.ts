import { randomUUID } from 'node:crypto';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import type { ProfileBackend } from './profile-backend';
import type { LastPaths, StoredSite } from './profile-schema';
import { usesSecret, validateSiteInput } from './site-validation';

/** Where site passwords and passphrases go (SecretStore); the site store only asks yes/no questions. */
export interface SiteSecrets {
  save(id: string, secret: string): Promise<boolean>;
  /** The secret, or undefined when none is stored or it cannot be decrypted now (locked). */
  read(id: string): Promise<string | undefined>;
  has(id: string): Promise<boolean>;
  remove(id: string): Promise<void>;
}

/** Per-site consent to plain FTP (ConsentStore), keyed by site id. */
export interface SiteConsents {
  hasPlainFtp(key: string): Promise<boolean>;
  revokePlainFtp(key: string): Promise<void>;
}

const MAX_SITES = 10_000;

/**
 * Saved sites: create, update, delete, list as renderer-safe SiteProfiles (no secret, only
 * `hasSecret`). Every input is validated; a site's secret and plain-FTP consent follow its life
 * (consent is withdrawn when the server it was given for changes).
 */
export class SiteStore {
  constructor(
    private readonly backend: ProfileBackend,
    private readonly secrets: SiteSecrets,
    private readonly consents: SiteConsents,
    private readonly now: () => number = Date.now,
  ) {}

  /** All sites, by folder then name, as the renderer may see them. */
  async list(): Promise<SiteProfile[]> {
    const sites = [...this.backend.get('sites')].sort((a, b) => a.folder.localeCompare(b.folder) || a.name.localeCompare(b.name));
    return Promise.all(sites.map((s) => this.toProfile(s)));
  }

  /** The stored site, for main's own use (connecting); throws `invalid-request` for an unknown id. */
  stored(id: string): StoredSite {
    const site = this.backend.get('sites').find((s) => s.id === id);
    if (!site) throw new FerryError('invalid-request', 'There is no saved site with that id');
    return site;
  }

  async get(id: string): Promise<SiteProfile> {
    return this.toProfile(this.stored(id));
  }

  /**
   * Creates a site (no id) or updates one (its id). `secret`: undefined keeps the stored one, ''
   * forgets it, anything else is handed to the secret store (which may decline: no keyring).
   */
  async save(input: SiteInput): Promise<SiteProfile> {
    const fields = validateSiteInput(input);
    const sites = this.backend.get('sites');
    const now = this.now();
    let site: StoredSite;
    let serverChanged = false;
    if (input.id !== undefined) {
      const old = this.stored(input.id);
      serverChanged = old.protocol !== fields.protocol || old.host !== fields.host || old.port !== fields.port;
      site = { id: old.id, ...fields, createdAt: old.createdAt, updatedAt: now, ...(old.lastUsed !== undefined ? { lastUsed: old.lastUsed } : {}) };
      this.backend.set('sites', sites.map((s) => (s.id === old.id ? site : s)));
    } else {
      if (sites.length >= MAX_SITES) throw new FerryError('limit-exceeded', `Ferry keeps at most ${MAX_SITES} sites`);
      site = { id: randomUUID(), ...fields, createdAt: now, updatedAt: now };
      this.backend.set('sites', [...sites, site]);
    }
    if (!usesSecret(site.auth) || input.secret === '') await this.secrets.remove(site.id);
    else if (input.secret !== undefined) await this.secrets.save(site.id, input.secret);
    if (serverChanged) await this.consents.revokePlainFtp(site.id);
    return this.toProfile(site);
  }

  /**
   * Copies a saved site under a new id as "<name> (copy)", with its stored secret: the secret is
   * copied here in main and never crosses IPC. Plain-FTP consent and remembered folders stay with
   * the original (they were given for it). A stored secret that cannot be read now (master
   * password not entered, keyring gone) is an error rather than a copy that silently lost it.
   */
  async duplicate(id: string): Promise<SiteProfile> {
    const old = this.stored(id);
    const sites = this.backend.get('sites');
    if (sites.length >= MAX_SITES) throw new FerryError('limit-exceeded', `Ferry keeps at most ${MAX_SITES} sites`);
    let secret: string | undefined;
    if (usesSecret(old.auth) && (await this.secrets.has(id))) {
      secret = await this.secrets.read(id);
      if (secret === undefined) {
        throw new FerryError('auth-failed', `the stored password of "${old.name}" cannot be read now (enter the master password first), so the site was not duplicated`);
      }
    }
    const now = this.now();
    const { lastUsed: _l, ...fields } = old;
    const name = `${old.name} (copy)`.slice(0, 128);
    const site: StoredSite = { ...fields, id: randomUUID(), name, createdAt: now, updatedAt: now };
    this.backend.set('sites', [...sites, site]);
    if (secret !== undefined) await this.secrets.save(site.id, secret);
    return this.toProfile(site);
  }

  /** Deletes a site with its secret, consent and remembered folders. Unknown ids are an error. */
  async delete(id: string): Promise<void> {
    this.stored(id);
    this.backend.set('sites', this.backend.get('sites').filter((s) => s.id !== id));
    const paths = { ...this.backend.get('lastPaths') };
    delete paths[id];
    this.backend.set('lastPaths', paths);
    await this.secrets.remove(id);
    await this.consents.revokePlainFtp(id);
  }

  /** Records a successful connection and, if given, the folders open at the time. */
  recordUse(id: string, paths: { local?: string; remote?: string } = {}): void {
    const now = this.now();
    this.backend.set('sites', this.backend.get('sites').map((s) => (s.id === id ? { ...s, lastUsed: now } : s)));
    const local = typeof paths.local === 'string' && paths.local.length <= 4096 ? paths.local : undefined;
    const remote = typeof paths.remote === 'string' && paths.remote.length <= 4096 ? paths.remote : undefined;
    if (local === undefined && remote === undefined) return;
    const old = this.backend.get('lastPaths')[id];
    const next: LastPaths = { ...old, ...(local !== undefined ? { local } : {}), ...(remote !== undefined ? { remote } : {}), at: now };
    this.backend.set('lastPaths', { ...this.backend.get('lastPaths'), [id]: next });
  }

  /** The folders last open for a site, if any. */
  lastPaths(id: string): LastPaths | undefined {
    const all = this.backend.get('lastPaths');
    return Object.hasOwn(all, id) ? all[id] : undefined;
  }

  private async toProfile(site: StoredSite): Promise<SiteProfile> {
    const { createdAt: _c, updatedAt: _u, lastUsed: _l, ...rest } = site;
    const [hasSecret, allowPlain] = await Promise.all([this.secrets.has(site.id), this.consents.hasPlainFtp(site.id)]);
    return { ...rest, hasSecret, allowPlain };
  }
}
