import { create } from 'zustand';
import type { FerryErrorShape } from '../../shared/ipc/errors';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { ferry } from '../ferry-api';
import { errorShape, unwrap } from '../lib/result';

/** Saved sites as main reports them (never with secrets). */
export interface SitesState {
  readonly sites: readonly SiteProfile[];
  /** Every folder of the tree, empty ones included ("Work/Clients"). */
  readonly folders: readonly string[];
  readonly loading: boolean;
  readonly error: FerryErrorShape | null;
  load(): Promise<void>;
  /** Saves and reloads; returns the stored profile or null on error (shown in `error`). */
  save(site: SiteInput): Promise<SiteProfile | null>;
  remove(id: string): Promise<boolean>;
  /** Saves a copy of a site (main copies its stored secret) and reloads; the copy, or null on error. */
  duplicate(id: string): Promise<SiteProfile | null>;
  /** Folder operations; each reloads and returns the resulting path (deleted: the number of sites removed), or null on error. */
  createFolder(path: string): Promise<string | null>;
  renameFolder(path: string, name: string): Promise<string | null>;
  deleteFolder(path: string): Promise<number | null>;
  importFilezilla(xml: string): Promise<{ imported: number; skipped: number; passwords?: number } | null>;
  /** Removes the passwords from the FileZilla file at `path`; the number removed, or null on error. */
  clearFilezillaPasswords(path: string): Promise<number | null>;
  /** Ferry's own export; passwords only when sealed with a passphrase. */
  exportSites(passphrase?: string): Promise<{ text: string; count: number } | null>;
  importSites(text: string, passphrase?: string): Promise<number | null>;
}

/** The sites store. */
export const useSitesStore = create<SitesState>()((set, get) => {
  /**
   * Runs one call to main: success clears `error` (and reloads the list when asked), failure
   * shows it in `error` and resolves null.
   */
  async function call<T>(request: () => Promise<T>, reload = false): Promise<T | null> {
    try {
      const value = await request();
      set({ error: null });
      if (reload) await get().load();
      return value;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  }

  return {
    sites: [],
    folders: [],
    loading: false,
    error: null,
    async load() {
      set({ loading: true });
      try {
        const [sites, folders] = await Promise.all([unwrap(ferry().sitesList({})), unwrap(ferry().sitesFolders({}))]);
        set({ sites, folders, loading: false, error: null });
      } catch (err) {
        set({ loading: false, error: errorShape(err) });
      }
    },
    save: (site) => call(() => unwrap(ferry().sitesSave({ site })), true),
    async remove(id) {
      return (await call(() => unwrap(ferry().sitesDelete({ id })), true)) !== null;
    },
    duplicate: (id) => call(() => unwrap(ferry().sitesDuplicate({ id })), true),
    createFolder: (path) => call(() => unwrap(ferry().sitesCreateFolder({ path })), true),
    renameFolder: (path, name) => call(() => unwrap(ferry().sitesRenameFolder({ path, name })), true),
    async deleteFolder(path) {
      return (await call(() => unwrap(ferry().sitesDeleteFolder({ path })), true))?.deleted ?? null;
    },
    async clearFilezillaPasswords(path) {
      return (await call(() => unwrap(ferry().sitesClearFilezillaPasswords({ path }))))?.removed ?? null;
    },
    exportSites: (passphrase) => call(() => unwrap(ferry().sitesExport(passphrase === undefined ? {} : { passphrase }))),
    async importSites(text, passphrase) {
      return (await call(() => unwrap(ferry().sitesImport(passphrase === undefined ? { text } : { text, passphrase })), true))?.imported ?? null;
    },
    importFilezilla: (xml) => call(() => unwrap(ferry().sitesImportFilezilla({ xml })), true),
  };
});

/** A folder of the site tree with its sites and subfolders, sorted by name. */
export interface SiteFolder {
  readonly name: string;
  readonly path: string;
  readonly folders: SiteFolder[];
  readonly sites: SiteProfile[];
}

/** Builds the folder tree from each site's `folder` ("Work/Clients") and the folders kept on their own. */
export function siteTree(sites: readonly SiteProfile[], folders: readonly string[] = []): SiteFolder {
  const root: SiteFolder = { name: '', path: '', folders: [], sites: [] };
  const nodeAt = (path: string): SiteFolder => {
    let node = root;
    for (const part of path.split('/').filter(Boolean)) {
      let child = node.folders.find((f) => f.name === part);
      if (!child) {
        child = { name: part, path: node.path ? `${node.path}/${part}` : part, folders: [], sites: [] };
        node.folders.push(child);
      }
      node = child;
    }
    return node;
  };
  for (const folder of folders) nodeAt(folder);
  for (const site of sites) nodeAt(site.folder).sites.push(site);
  const sortRec = (f: SiteFolder): void => {
    f.folders.sort((a, b) => a.name.localeCompare(b.name));
    f.sites.sort((a, b) => a.name.localeCompare(b.name));
    f.folders.forEach(sortRec);
  };
  sortRec(root);
  return root;
}
