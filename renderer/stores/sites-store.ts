import { create } from 'zustand';
import type { FerryErrorShape } from '../../shared/ipc/errors';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { ferry } from '../ferry-api';
import { errorShape, unwrap } from '../lib/result';

/** Saved sites as main reports them (never with secrets). */
export interface SitesState {
  readonly sites: readonly SiteProfile[];
  readonly loading: boolean;
  readonly error: FerryErrorShape | null;
  load(): Promise<void>;
  /** Saves and reloads; returns the stored profile or null on error (shown in `error`). */
  save(site: SiteInput): Promise<SiteProfile | null>;
  remove(id: string): Promise<boolean>;
  importFilezilla(xml: string): Promise<{ imported: number; skipped: number; passwords?: number } | null>;
  /** Removes the passwords from the FileZilla file at `path`; the number removed, or null on error. */
  clearFilezillaPasswords(path: string): Promise<number | null>;
  /** Ferry's own export; passwords only when sealed with a passphrase. */
  exportSites(passphrase?: string): Promise<{ text: string; count: number } | null>;
  importSites(text: string, passphrase?: string): Promise<number | null>;
}

/** The sites store. */
export const useSitesStore = create<SitesState>()((set, get) => ({
  sites: [],
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    try {
      set({ sites: await unwrap(ferry().sitesList({})), loading: false, error: null });
    } catch (err) {
      set({ loading: false, error: errorShape(err) });
    }
  },
  async save(site) {
    try {
      const saved = await unwrap(ferry().sitesSave({ site }));
      set({ error: null });
      await get().load();
      return saved;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  },
  async remove(id) {
    try {
      await unwrap(ferry().sitesDelete({ id }));
      await get().load();
      return true;
    } catch (err) {
      set({ error: errorShape(err) });
      return false;
    }
  },
  async clearFilezillaPasswords(path) {
    try {
      const res = await unwrap(ferry().sitesClearFilezillaPasswords({ path }));
      set({ error: null });
      return res.removed;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  },
  async exportSites(passphrase) {
    try {
      const res = await unwrap(ferry().sitesExport(passphrase === undefined ? {} : { passphrase }));
      set({ error: null });
      return res;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  },
  async importSites(text, passphrase) {
    try {
      const res = await unwrap(ferry().sitesImport(passphrase === undefined ? { text } : { text, passphrase }));
      set({ error: null });
      await get().load();
      return res.imported;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  },
  async importFilezilla(xml) {
    try {
      const res = await unwrap(ferry().sitesImportFilezilla({ xml }));
      set({ error: null });
      await get().load();
      return res;
    } catch (err) {
      set({ error: errorShape(err) });
      return null;
    }
  },
}));

/** A folder of the site tree with its sites and subfolders, sorted by name. */
export interface SiteFolder {
  readonly name: string;
  readonly path: string;
  readonly folders: SiteFolder[];
  readonly sites: SiteProfile[];
}

/** Builds the folder tree from each site's `folder` ("Work/Clients"). */
export function siteTree(sites: readonly SiteProfile[]): SiteFolder {
  const root: SiteFolder = { name: '', path: '', folders: [], sites: [] };
  for (const site of sites) {
    let node = root;
    for (const part of site.folder.split('/').filter(Boolean)) {
      let child = node.folders.find((f) => f.name === part);
      if (!child) {
        child = { name: part, path: node.path ? `${node.path}/${part}` : part, folders: [], sites: [] };
        node.folders.push(child);
      }
      node = child;
    }
    node.sites.push(site);
  }
  const sortRec = (f: SiteFolder): void => {
    f.folders.sort((a, b) => a.name.localeCompare(b.name));
    f.sites.sort((a, b) => a.name.localeCompare(b.name));
    f.folders.forEach(sortRec);
  };
  sortRec(root);
  return root;
}
