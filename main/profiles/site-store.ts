import { randomUUID } from 'node:crypto';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import type { ProfileBackend } from './profile-backend';
import type { LastPaths, StoredSite } from './profile-schema';
import { normalizeFolder, usesSecret, validateSiteInput } from './site-validation';

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
const MAX_FOLDERS = 10_000;

/** Whether a site's folder is `path` itself or lies below it. */
function within(folder: string, path: string): boolean {
  return folder === path || folder.startsWith(`${path}/`);
}

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
      // A folder the site leaves stays in the tree, even when it is now empty.
      if (old.folder !== fields.folder) this.keepFolder(old.folder);
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
    this.keepFolder(this.stored(id).folder);
    await this.forget([id]);
  }

  /** Removes sites with everything kept for them (secret, consent, last paths). */
  private async forget(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    this.backend.set('sites', this.backend.get('sites').filter((s) => !gone.has(s.id)));
    const paths = { ...this.backend.get('lastPaths') };
    for (const id of ids) delete paths[id];
    this.backend.set('lastPaths', paths);
    for (const id of ids) {
      await this.secrets.remove(id);
      await this.consents.revokePlainFtp(id);
    }
  }

  /** Every folder of the site tree, sorted: those kept on their own (created, or left by their last site) and those a site names. */
  folders(): string[] {
    const all = new Set([...this.keptFolders(), ...this.backend.get('sites').map((s) => s.folder)]);
    all.delete('');
    return [...all].sort((a, b) => a.localeCompare(b));
  }

  /** Creates a folder (its parents are implied by the path); returns the normalized path. Creating an existing one is harmless. */
  createFolder(path: string): string {
    const folder = normalizeFolder(path);
    if (folder === '') throw new FerryError('invalid-request', 'The folder needs a name');
    this.keepFolder(folder);
    return folder;
  }

  /**
   * Renames the last part of a folder's path, carrying its subfolders and sites along; returns the
   * new path. A folder of that name already next to it is `already-exists` (nothing is merged).
   */
  renameFolder(path: string, name: string): string {
    const from = this.existingFolder(path);
    const leaf = normalizeFolder(name);
    if (leaf === '' || leaf.includes('/')) throw new FerryError('invalid-request', 'A folder name must not be empty or contain "/"');
    const parent = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
    const to = parent ? `${parent}/${leaf}` : leaf;
    if (to === from) return from;
    if (this.folders().some((f) => within(f, to))) throw new FerryError('already-exists', `There is already a folder "${leaf}" here`);
    const moved = (folder: string): string => (within(folder, from) ? to + folder.slice(from.length) : folder);
    const now = this.now();
    this.backend.set('sites', this.backend.get('sites').map((s) => (within(s.folder, from) ? { ...s, folder: moved(s.folder), updatedAt: now } : s)));
    this.backend.set('folders', this.keptFolders().map(moved));
    return to;
  }

  /**
   * Deletes a folder, its subfolders and every site in them (with their secrets, consents and last
   * paths); returns how many sites went. The UI says that number before asking.
   */
  async deleteFolder(path: string): Promise<{ deleted: number }> {
    const folder = this.existingFolder(path);
    const ids = this.backend.get('sites').filter((s) => within(s.folder, folder)).map((s) => s.id);
    this.backend.set('folders', this.keptFolders().filter((f) => !within(f, folder)));
    await this.forget(ids);
    return { deleted: ids.length };
  }

  private keptFolders(): string[] {
    return this.backend.get('folders') ?? [];
  }

  private keepFolder(folder: string): void {
    const kept = this.keptFolders();
    if (folder === '' || kept.includes(folder)) return;
    if (kept.length >= MAX_FOLDERS) throw new FerryError('limit-exceeded', `Ferry keeps at most ${MAX_FOLDERS} folders`);
    this.backend.set('folders', [...kept, folder]);
  }

  private existingFolder(path: string): string {
    const folder = normalizeFolder(path);
    if (folder === '' || !this.folders().some((f) => within(f, folder))) throw new FerryError('invalid-request', `There is no folder "${folder}"`);
    return folder;
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
