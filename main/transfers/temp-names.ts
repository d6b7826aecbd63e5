import { lstat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { joinRemote, remoteBasename, remoteDirname, type RemoteFs } from '../protocols/remote-fs';

/** The partial file beside a local target: hidden, stable across restarts so it can be resumed. */
export function localPartPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.ferry-part`);
}

/** The partial file beside a remote target. */
export function remotePartPath(target: string): string {
  return joinRemote(remoteDirname(target), `.${remoteBasename(target)}.ferry-part`);
}

/** Where an existing remote file is parked for a moment while a new one replaces it. */
export function remoteOldPath(target: string): string {
  return joinRemote(remoteDirname(target), `.${remoteBasename(target)}.ferry-old`);
}

/** "name (n).ext": the n-th alternative name for the 'rename' choice of a file-exists question. */
export function numberedName(name: string, n: number): string {
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  return `${stem} (${n})${ext && ext !== name ? ext : ''}`;
}

/** The first "name (n).ext" beside a local target that does not exist. */
export async function freeLocalName(target: string): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const candidate = join(dirname(target), numberedName(basename(target), n));
    if (!(await lstat(candidate).catch(() => undefined))) return candidate;
  }
  throw new Error(`no free name beside ${target}`);
}

/** The first "name (n).ext" beside a remote target that does not exist. */
export async function freeRemoteName(fs: RemoteFs, target: string): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const candidate = joinRemote(remoteDirname(target), numberedName(remoteBasename(target), n));
    const exists = await fs.stat(candidate).then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: string }).code === 'no-such-file') return false;
        throw err;
      },
    );
    if (!exists) return candidate;
  }
  throw new Error(`no free name beside ${target}`);
}
