import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FerryError } from '../core/ferry-error';

/** Why a remote name may not become part of a local path, or null when it may. */
export type UnsafeReason = string | null;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;

/**
 * Checks one name a server gave us (a listing entry) before it is joined onto a local folder.
 * A name that could climb out of the target, name a device or be silently changed by the file
 * system is refused, so the caller skips that entry with a warning instead of writing anywhere.
 */
export function unsafeLocalName(name: string, platform: NodeJS.Platform = process.platform): UnsafeReason {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" names a folder itself, not an entry in it`;
  if (name.includes('/')) return 'the name holds "/"';
  if (name.includes('\\')) return 'the name holds "\\"';
  if (name.includes('\0')) return 'the name holds a NUL character';
  if (CONTROL.test(name)) return 'the name holds control characters';
  if (/^[A-Za-z]:/.test(name)) return 'the name starts with a drive letter';
  if (Buffer.byteLength(name, 'utf8') > 255) return 'the name is longer than 255 bytes';
  if (platform === 'win32') {
    if (WINDOWS_RESERVED.test(name)) return `"${name}" is a reserved device name on Windows`;
    if (/[. ]$/.test(name)) return 'Windows drops trailing dots and spaces from names';
    if (WINDOWS_FORBIDDEN.test(name)) return 'the name holds a character Windows does not allow';
  }
  return null;
}

/**
 * Joins checked names onto a local root and asserts the result stays strictly inside the root.
 * Throws 'unsafe-path' otherwise: the last line of defence behind `unsafeLocalName`.
 */
export function resolveInside(root: string, names: readonly string[], platform: NodeJS.Platform = process.platform): string {
  for (const n of names) {
    const why = unsafeLocalName(n, platform);
    if (why) throw new FerryError('unsafe-path', `refused the remote name "${printable(n)}": ${why}`);
  }
  const base = resolve(root);
  const full = resolve(base, ...names);
  assertInside(base, full);
  return full;
}

/** Roots seen to be absolute and normalized already (resolve(root) === root). */
const normalRoots = new Set<string>();
/** A '.' or '..' segment, or an empty one. */
const ODD_SEGMENT = /(?:^|[\\/])\.{0,2}(?:[\\/]|$)/;

/** Throws 'unsafe-path' unless `path` is `root` itself or lies below it. */
export function assertInside(root: string, path: string): void {
  // The usual case, a normalized root joined with plain names, is decided without resolving
  // both paths (a cost per file that shows with thousands of small files); anything else gets
  // the full check below.
  if (path.length > root.length + 1 && path.startsWith(root) && (path[root.length] === sep || path[root.length] === '/') && isNormalRoot(root) && !ODD_SEGMENT.test(path.slice(root.length + 1))) return;
  const rel = relative(resolve(root), resolve(path));
  if (rel === '') return;
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../')) {
    throw new FerryError('unsafe-path', `${path} would land outside ${root}`);
  }
}

function isNormalRoot(root: string): boolean {
  if (normalRoots.has(root)) return true;
  if (!isAbsolute(root) || resolve(root) !== root) return false;
  if (normalRoots.size > 1000) normalRoots.clear();
  normalRoots.add(root);
  return true;
}

/** Permission bits safe to apply to a downloaded file: no setuid, setgid or sticky; owner keeps read/write. */
export function safeLocalMode(mode: number | null): number | null {
  if (mode === null) return null;
  return (mode & 0o777) | 0o600;
}

/** A name made printable for messages: control characters shown as escapes. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
