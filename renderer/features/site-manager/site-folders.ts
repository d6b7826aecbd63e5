import type { SiteProfile } from '../../../shared/model/site';

/** Whether `folder` is `path` itself or lies below it ('' holds everything). */
export function inFolder(folder: string, path: string): boolean {
  return path === '' || folder === path || folder.startsWith(`${path}/`);
}

/** The folder holding `path` ('' for a top-level folder). */
export function parentFolder(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last part of a folder path. */
export function folderName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What a folder holds, counted through its subfolders: the numbers the delete question states. */
export function folderContents(path: string, sites: readonly SiteProfile[], folders: readonly string[]): { sites: number; subfolders: number } {
  const subfolders = new Set<string>();
  for (const f of [...folders, ...sites.map((s) => s.folder)]) {
    // Every path between the folder and a deeper one counts once ("A/B/C" under "A": B and B/C).
    const parts = f.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (p !== path && inFolder(p, path)) subfolders.add(p);
    }
  }
  return { sites: sites.filter((s) => inFolder(s.folder, path)).length, subfolders: subfolders.size };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The delete-folder question. Deleting a folder deletes what it holds (as FileZilla does); the
 * question says how many sites go, so nothing is lost without the user reading the number.
 */
export function deleteFolderQuestion(path: string, contents: { sites: number; subfolders: number }): { message: string; confirmLabel: string } {
  const subs = contents.subfolders ? ` and ${plural(contents.subfolders, 'subfolder')}` : '';
  if (contents.sites === 0) return { message: `Delete the folder "${path}"${subs}? No site is in it.`, confirmLabel: 'Delete folder' };
  return {
    message: `Delete the folder "${path}"${subs} with the ${plural(contents.sites, 'site')} in ${contents.subfolders ? 'them' : 'it'} and their stored passwords? This cannot be undone. To keep a site, drag it to another folder first.`,
    confirmLabel: `Delete folder and ${plural(contents.sites, 'site')}`,
  };
}

/** Why a name cannot be a new folder in `parent` (null when it can). */
export function folderNameProblem(name: string, parent: string, folders: readonly string[]): string | null {
  const n = name.trim();
  if (!n) return 'Enter a name.';
  if (n.includes('/')) return 'A folder name cannot contain "/".';
  if (n === '.' || n === '..') return 'A folder name cannot be "." or "..".';
  const path = parent ? `${parent}/${n}` : n;
  if (folders.some((f) => inFolder(f, path))) return `There is already a folder "${n}" here.`;
  return null;
}
