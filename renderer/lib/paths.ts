/**
 * Path arithmetic for both panes without Node's `path`: remote paths are POSIX; local paths are
 * POSIX or Windows (drive letter / backslashes), detected from the path itself.
 */

function isWindows(path: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(path) || path.startsWith('\\\\');
}

/** The separator a path uses. */
export function separatorOf(path: string): '/' | '\\' {
  return isWindows(path) && !path.includes('/') ? '\\' : '/';
}

/** Joins a folder and a child name with the folder's own separator. */
export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** The parent folder; the root is its own parent. */
export function parentPath(path: string): string {
  const sep = separatorOf(path);
  const trimmed = path.length > 1 && path.endsWith(sep) && !/^[A-Za-z]:\\$/.test(path) ? path.slice(0, -1) : path;
  const idx = trimmed.lastIndexOf(sep);
  if (idx < 0) return trimmed;
  if (idx === 0) return sep;
  const parent = trimmed.slice(0, idx);
  return /^[A-Za-z]:$/.test(parent) ? parent + sep : parent;
}

/** The last segment of a path (the name). */
export function baseName(path: string): string {
  const sep = separatorOf(path);
  const parts = path.split(sep).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** One breadcrumb: its label and the absolute path it opens. */
export interface Crumb {
  readonly label: string;
  readonly path: string;
}

/** Breadcrumbs from the root to `path`, e.g. "/a/b" -> "/", "a", "b". */
export function breadcrumbs(path: string): Crumb[] {
  const sep = separatorOf(path);
  const crumbs: Crumb[] = [];
  const parts = path.split(sep).filter(Boolean);
  let acc: string;
  if (sep === '\\' || /^[A-Za-z]:/.test(path)) {
    const drive = parts.shift() ?? path;
    acc = drive + sep;
    crumbs.push({ label: drive, path: acc });
  } else {
    acc = '/';
    crumbs.push({ label: '/', path: '/' });
  }
  for (const part of parts) {
    acc = joinPath(acc, part);
    crumbs.push({ label: part, path: acc });
  }
  return crumbs;
}

/** True when `name` is a single valid entry name (no separators, not "." or ".."). */
export function isValidName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/**
 * Where a path typed into a path bar leads from the folder `current`: relative paths are taken
 * from `current`, "." and ".." segments are resolved, doubled and trailing separators dropped
 * ("pub/../etc/" in "/srv" -> "/srv/etc"); ".." never climbs above the root or drive. With a
 * `home`, "~" and "~/x" lead there.
 */
export function resolveTypedPath(current: string, typed: string, home?: string | null): string {
  let text = typed.trim();
  // "~" and "~/..." start at the home folder (this machine's, or the server's login folder).
  if (home && (text === '~' || /^~[\\/]/.test(text))) text = home + text.slice(1);
  const absolute = text.startsWith('/') || isWindows(text);
  const full = absolute || !current ? text : joinPath(current, text);
  const sep = isWindows(full) ? '\\' : '/';
  const parts = full.split(/[\\/]/);
  let root: string;
  if (full.startsWith('\\\\')) root = `\\\\${parts.splice(0, 4).slice(2).join('\\')}\\`;
  else if (isWindows(full)) root = `${parts.shift()!.toUpperCase()}\\`;
  else root = '/';
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  if (!absolute && !current) return text;
  return root + out.join(sep);
}
