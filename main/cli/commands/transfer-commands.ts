import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FerryError } from '../../core/ferry-error';
import { createRemoteFs } from '../../protocols/adapter-factory';
import { joinRemote, remoteBasename, remoteDirname } from '../../protocols/remote-fs';
import type { CliContext } from '../cli-context';
import { connectOptionsFor, parseUrlArg } from '../cli-context';

/**
 * `ferry get <url> <local>`: one file, downloaded beside the target under a temporary name and
 * renamed into place only when complete. Folder copies (-r) go through the transfer engine.
 */
export async function getCommand(ctx: CliContext, url: string, local: string): Promise<number> {
  if (ctx.options.recursive) throw new FerryError('not-supported', 'folder transfers (-r) are not supported yet');
  const parsed = parseUrlArg(url);
  const fs = await createRemoteFs(await connectOptionsFor(ctx, parsed));
  try {
    await fs.connect();
    const st = await fs.stat(parsed.path);
    if (st.type === 'dir') throw new FerryError('usage', `${parsed.path} is a folder: use -r to copy folders`);
    const localStat = await stat(local).catch(() => undefined);
    const target = localStat?.isDirectory() ? join(local, remoteBasename(parsed.path)) : local;
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.ferry-part`);
    try {
      const size = await fs.download(parsed.path, temp);
      if (size !== st.size) throw new FerryError('connection-lost', `the download of ${parsed.path} ended at ${size} of ${st.size} bytes`);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return 0;
  } finally {
    await fs.close();
  }
}

/** `ferry put <local> <url>`: one file, uploaded under a temporary name and renamed into place. */
export async function putCommand(ctx: CliContext, local: string, url: string): Promise<number> {
  if (ctx.options.recursive) throw new FerryError('not-supported', 'folder transfers (-r) are not supported yet');
  const localStat = await stat(local).catch(() => undefined);
  if (!localStat) throw new FerryError('no-such-file', `${local} does not exist`);
  if (localStat.isDirectory()) throw new FerryError('usage', `${local} is a folder: use -r to copy folders`);
  const parsed = parseUrlArg(url);
  const fs = await createRemoteFs(await connectOptionsFor(ctx, parsed));
  try {
    await fs.connect();
    const remoteStat = await fs.stat(parsed.path).catch(() => undefined);
    const target = remoteStat?.type === 'dir' ? joinRemote(parsed.path, basename(local)) : parsed.path;
    const temp = joinRemote(remoteDirname(target), `.${remoteBasename(target)}.${randomBytes(4).toString('hex')}.ferry-part`);
    try {
      await fs.upload(local, temp);
      await fs.removeFile(target).catch(() => undefined);
      await fs.rename(temp, target);
    } catch (err) {
      await fs.removeFile(temp).catch(() => undefined);
      throw err;
    }
    return 0;
  } finally {
    await fs.close();
  }
}
