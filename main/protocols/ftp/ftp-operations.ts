import { FTPError } from 'basic-ftp';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { FerryError } from '../../core/ferry-error';
import { joinRemote, remoteBasename, remoteDirname, type Timeouts } from '../remote-fs';
import { runOnClient, sendCommand } from './ftp-control';
import { parseMlstFacts, parsePwd, toRemoteEntry } from './ftp-listing';
import type { FtpSession } from './ftp-session';

/** The folder the server put us in (PWD). */
export async function pwd(s: FtpSession): Promise<string> {
  const res = await sendCommand(s.client, 'PWD', s.endpoint.timeouts.commandMs);
  const dir = parsePwd(res.message);
  if (!dir) throw new FerryError('protocol-error', `the server sent a PWD reply Ferry cannot read: ${res.message.slice(0, 120)}`);
  return dir;
}

/** CWD: proves `path` is a folder we may enter (the listing then needs no path argument). */
async function enter(s: FtpSession, path: string): Promise<void> {
  await sendCommand(s.client, `CWD ${path}`, s.endpoint.timeouts.commandMs, `CWD ${path}`);
}

/**
 * Lists a folder: CWD into it (so a missing folder is an error, not an empty list, and no
 * path reaches LIST's option or glob parsing), then MLSD when offered, else LIST. Bounded by the
 * listing byte cap (basic-ftp), `maxEntries`, an idle timer on the data connection and an
 * overall deadline of ten command timeouts.
 */
export async function list(s: FtpSession, path: string, maxEntries: number, timeouts: Timeouts): Promise<RemoteEntry[]> {
  await enter(s, path);
  const infos = await runOnClient(s.client, timeouts.commandMs * 10, `listing ${path}`, () => s.client.list());
  if (infos.length > maxEntries) throw new FerryError('limit-exceeded', `${path} holds more than ${maxEntries} entries`);
  const now = Date.now();
  const entries: RemoteEntry[] = [];
  for (const info of infos) {
    const e = toRemoteEntry(info, now);
    if (e) entries.push(e);
  }
  return entries;
}

/** lstat: MLST when offered, else the entry in the parent's listing. */
export async function stat(s: FtpSession, path: string, timeouts: Timeouts): Promise<RemoteEntry> {
  const name = remoteBasename(path);
  if (path === '/' || name === '') return { name: '/', type: 'dir', size: 0, mtime: null, mode: null };
  if (s.features.has('MLST')) {
    const res = await sendCommand(s.client, `MLST ${path}`, timeouts.commandMs, `MLST ${path}`);
    const line = res.message.split('\n').find((l) => l.startsWith(' '));
    const facts = line ? parseMlstFacts(line) : undefined;
    if (facts) return { name, ...facts };
  }
  const parent = remoteDirname(path);
  let entries: RemoteEntry[] = [];
  try {
    entries = await list(s, parent, Number.MAX_SAFE_INTEGER, timeouts);
  } catch (err) {
    // A parent we may not list (or not enter) can still hold a file we may read.
    if (!(err instanceof FerryError) || (err.code !== 'permission-denied' && err.code !== 'no-such-file')) throw err;
  }
  const found = entries.find((e) => e.name === name);
  if (found) return found;
  // Not in the listing (hidden, or the parent is not listable): ask about the path itself.
  const size = await sendCommand(s.client, `SIZE ${path}`, timeouts.commandMs, `SIZE ${path}`).then(
    (res) => Number.parseInt(res.message.slice(4), 10),
    () => NaN,
  );
  if (Number.isFinite(size)) return { name, type: 'file', size, mtime: null, mode: null };
  if (await isDir(s, path)) return { name, type: 'dir', size: 0, mtime: null, mode: null };
  throw new FerryError('no-such-file', `${path} does not exist`);
}

async function isDir(s: FtpSession, path: string): Promise<boolean> {
  try {
    await enter(s, path);
    return true;
  } catch (err) {
    if ((err as { cause?: unknown }).cause instanceof FTPError) return false;
    throw err;
  }
}

/** MKD; with recursive, every missing parent too (an existing folder is fine then). */
export async function mkdir(s: FtpSession, path: string, recursive: boolean): Promise<void> {
  const ms = s.endpoint.timeouts.commandMs;
  if (!recursive) {
    // Some servers (ftp-srv) answer MKD of an existing folder with success: check first.
    if (await isDir(s, path)) throw new FerryError('already-exists', `${path} already exists`);
    try {
      await sendCommand(s.client, `MKD ${path}`, ms, `MKD ${path}`);
      return;
    } catch (err) {
      if ((err as { cause?: unknown }).cause instanceof FTPError && (await isDir(s, path))) throw new FerryError('already-exists', `${path} already exists`);
      throw err;
    }
  }
  if (await isDir(s, path)) return;
  let current = '';
  let lastError: unknown;
  for (const part of path.split('/').filter((p) => p !== '')) {
    current = joinRemote(current || '/', part);
    try {
      await sendCommand(s.client, `MKD ${current}`, ms, `MKD ${current}`);
    } catch (err) {
      if (!((err as { cause?: unknown }).cause instanceof FTPError)) throw err;
      lastError = err;
    }
  }
  if (!(await isDir(s, path))) throw lastError ?? new FerryError('permission-denied', `cannot create ${path}`);
}

export async function rename(s: FtpSession, from: string, to: string): Promise<void> {
  const ms = s.endpoint.timeouts.commandMs;
  await sendCommand(s.client, `RNFR ${from}`, ms, `RNFR ${from}`);
  await sendCommand(s.client, `RNTO ${to}`, ms, `RNTO ${to}`);
}

export async function removeFile(s: FtpSession, path: string): Promise<void> {
  await sendCommand(s.client, `DELE ${path}`, s.endpoint.timeouts.commandMs, `DELE ${path}`);
}

/** RMD; with recursive, the whole tree first (symlinks are deleted, never followed). */
export async function removeDir(s: FtpSession, path: string, recursive: boolean, maxEntries: number, timeouts: Timeouts): Promise<void> {
  if (path === '/') throw new FerryError('invalid-request', 'refusing to delete the root folder');
  if (recursive) {
    const entries = await list(s, path, maxEntries, timeouts);
    for (const e of entries) {
      const child = joinRemote(path, e.name);
      if (e.type === 'dir') await removeDir(s, child, true, maxEntries, timeouts);
      else await removeFile(s, child);
    }
    // Leave the folder before removing it: some servers refuse to delete the working directory.
    await sendCommand(s.client, 'CWD /', timeouts.commandMs).catch(() => undefined);
  }
  await sendCommand(s.client, `RMD ${path}`, timeouts.commandMs, `RMD ${path}`);
}

/** SITE CHMOD with the octal mode. */
export async function chmod(s: FtpSession, path: string, mode: number): Promise<void> {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new FerryError('invalid-request', `invalid mode ${mode}`);
  await sendCommand(s.client, `SITE CHMOD ${mode.toString(8).padStart(3, '0')} ${path}`, s.endpoint.timeouts.commandMs, `SITE CHMOD ${path}`);
}

/** Hash algorithms the server offered in FEAT (HASH with SHA-256, or XSHA256). */
export function offeredHashes(features: ReadonlyMap<string, string>): string[] {
  const hash = features.get('HASH');
  if ((hash !== undefined && /SHA-256/i.test(hash)) || features.has('XSHA256')) return ['sha256'];
  return [];
}

/** Server-side SHA-256 of a file, lower-case hex. */
export async function hash(s: FtpSession, path: string, algorithm: string): Promise<string | undefined> {
  if (algorithm !== 'sha256') return undefined;
  const ms = s.endpoint.timeouts.commandMs * 10;
  let reply: string;
  if (s.features.has('HASH')) {
    await sendCommand(s.client, 'OPTS HASH SHA-256', s.endpoint.timeouts.commandMs);
    reply = (await sendCommand(s.client, `HASH ${path}`, ms, `HASH ${path}`)).message;
  } else {
    reply = (await sendCommand(s.client, `XSHA256 ${path}`, ms, `XSHA256 ${path}`)).message;
  }
  const m = /\b([0-9a-fA-F]{64})\b/.exec(reply);
  if (!m) throw new FerryError('protocol-error', `the server sent a hash reply Ferry cannot read: ${reply.slice(0, 120)}`);
  return m[1]!.toLowerCase();
}
