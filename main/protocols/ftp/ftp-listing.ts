import { FileType, type FileInfo } from 'basic-ftp';
import type { RemoteEntry } from '../../../shared/model/remote-entry';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads the date column of a Unix ("Nov 21 23:55", "Nov 21  2025") or DOS ("11-21-26 11:55PM")
 * LIST line. The server's time zone is unknown: the result treats it as UTC. `now` decides the
 * year of Unix dates without one (a date more than a day ahead belongs to last year).
 */
export function parseListDate(raw: string, now = Date.now()): number | null {
  const unix = /^([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{1,2}):(\d{2})|(\d{4}))$/.exec(raw.trim());
  if (unix) {
    const month = MONTHS.indexOf(unix[1]!.toLowerCase());
    if (month < 0) return null;
    const day = Number(unix[2]);
    if (unix[5]) return Date.UTC(Number(unix[5]), month, day);
    const year = new Date(now).getUTCFullYear();
    const t = Date.UTC(year, month, day, Number(unix[3]), Number(unix[4]));
    return t > now + 86_400_000 ? Date.UTC(year - 1, month, day, Number(unix[3]), Number(unix[4])) : t;
  }
  const dos = /^(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?$/.exec(raw.trim());
  if (dos) {
    let year = Number(dos[3]);
    if (year < 100) year += year < 70 ? 2000 : 1900;
    let hour = Number(dos[4]) % 12;
    if (!dos[6]) hour = Number(dos[4]);
    else if (dos[6].toLowerCase() === 'pm') hour += 12;
    return Date.UTC(year, Number(dos[1]) - 1, Number(dos[2]), hour, Number(dos[5]));
  }
  return null;
}

/** One basic-ftp FileInfo as a RemoteEntry; undefined for names that cannot be a single path segment. */
export function toRemoteEntry(info: FileInfo, now?: number): RemoteEntry | undefined {
  const name = info.name;
  if (!name || name === '.' || name === '..' || /[/\0\r\n]/.test(name)) return undefined;
  const type = info.type === FileType.Directory ? 'dir' : info.type === FileType.SymbolicLink ? 'symlink' : info.type === FileType.File ? 'file' : 'other';
  const mtime = info.modifiedAt ? info.modifiedAt.getTime() : info.rawModifiedAt ? parseListDate(info.rawModifiedAt, now) : null;
  const p = info.permissions;
  const mode = p ? ((p.user & 7) << 6) | ((p.group & 7) << 3) | (p.world & 7) : null;
  return {
    name,
    type,
    size: type === 'dir' ? 0 : Number.isFinite(info.size) ? info.size : 0,
    mtime: mtime !== null && Number.isFinite(mtime) ? mtime : null,
    mode,
    ...(info.user ? { owner: info.user } : {}),
    ...(info.group ? { group: info.group } : {}),
    ...(type === 'symlink' && info.link ? { linkTarget: info.link } : {}),
  };
}

/** Parses the fact line of an MLST reply (" type=file;size=3;modify=20260101120000; /path"). */
export function parseMlstFacts(line: string): { type: RemoteEntry['type']; size: number; mtime: number | null; mode: number | null } | undefined {
  const space = line.trimStart().indexOf(' ');
  if (space < 0) return undefined;
  const facts = new Map<string, string>();
  for (const part of line.trimStart().slice(0, space).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) facts.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const t = (facts.get('type') ?? '').toLowerCase();
  const type = t === 'file' ? 'file' : t === 'dir' || t === 'cdir' || t === 'pdir' ? 'dir' : t.startsWith('os.unix=slink') || t === 'os.unix=symlink' ? 'symlink' : 'other';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(facts.get('modify') ?? '');
  const mtime = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : null;
  const modeText = facts.get('unix.mode');
  return {
    type,
    size: type === 'dir' ? 0 : Number(facts.get('size') ?? 0) || 0,
    mtime,
    mode: modeText && /^[0-7]+$/.test(modeText) ? parseInt(modeText, 8) & 0o7777 : null,
  };
}

/** The folder name in a PWD reply: 257 "/a ""quoted"" dir" is current directory. */
export function parsePwd(message: string): string | undefined {
  const m = /"((?:[^"]|"")*)"/.exec(message);
  return m ? m[1]!.replace(/""/g, '"') : undefined;
}
