import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rename, rm, rmdir, stat, unlink, chmod, truncate, type FileHandle } from 'node:fs/promises';
import { posix, join } from 'node:path';
import ssh2, { type SFTPWrapper } from 'ssh2';
import { serveCheckFile, type CheckFileOptions } from './check-file-server';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

/** Test knobs of the temp-dir SFTP server. */
export interface TempDirSftpOptions {
  /** Paths (server view, prefix match) where every request answers PERMISSION_DENIED. */
  readonly denied?: readonly string[];
  /** Paths (prefix match) whose requests are never answered (a server that hangs). */
  readonly silent?: readonly string[];
  /** Entries per READDIR answer. */
  readonly readdirBatch?: number;
  /** Cap on bytes per READ answer (to exercise short reads). */
  readonly maxReadBytes?: number;
  /** Answer READs one after another, in request order (as OpenSSH's sftp-server does). */
  readonly serialReads?: boolean;
  /** Wait this long before answering each READ (with serialReads: a slow link, for watching a transfer move). */
  readonly readDelayMs?: number;
  /** WRITEs at or past this offset fail (as on a full disk); those before it succeed. */
  readonly failWritesFrom?: number;
  /** The first READ whose range holds this offset answers only up to it (one short read mid-file). */
  readonly shortReadOnceAt?: number;
  /** Called with the bytes of each READ / WRITE served (the server re-keys from here). */
  readonly onData?: (bytes: number) => void;
  /** Offer and answer the `check-file-name` extension. */
  readonly checkFile?: CheckFileOptions;
}

/**
 * A small SFTP v3 server over a real folder, for ssh2's in-process Server: enough of the protocol
 * for the adapter's operations. Paths are the client's absolute paths below `root`.
 */
export function serveTempDir(sftp: SFTPWrapper, root: string, options: TempDirSftpOptions = {}): void {
  const handles = new Map<number, { kind: 'file'; fh: FileHandle } | { kind: 'dir'; names: string[]; path: string }>();
  let shortAt = options.shortReadOnceAt;
  let readChain: Promise<void> = Promise.resolve();
  let nextHandle = 1;
  const local = (p: string): string => join(root, posix.normalize(`/${p}`));
  const denied = (p: string): boolean => (options.denied ?? []).some((d) => posix.normalize(`/${p}`).startsWith(d));
  const handleOf = (buf: Buffer): number => buf.readUInt32BE(0);
  if (options.checkFile) serveCheckFile(sftp, local, options.checkFile);
  const newHandle = (): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(nextHandle++);
    return b;
  };
  const fail = (reqid: number, err: unknown): void => {
    const code = (err as NodeJS.ErrnoException).code;
    const status = code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' || code === 'EPERM' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
    sftp.status(reqid, status, (err as Error).message);
  };
  const guard = (reqid: number, path: string, work: () => Promise<void>): void => {
    if ((options.silent ?? []).some((d) => posix.normalize(`/${path}`).startsWith(d))) return;
    if (denied(path)) {
      sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'denied by test');
      return;
    }
    work().catch((err: unknown) => fail(reqid, err));
  };
  const attrsOf = (st: Stats) => ({ mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) });

  sftp.on('OPEN', (reqid, filename, flags) => {
    guard(reqid, filename, async () => {
      let f = 0;
      const rw = flags & OPEN_MODE.READ && flags & OPEN_MODE.WRITE;
      f |= rw ? constants.O_RDWR : flags & OPEN_MODE.WRITE ? constants.O_WRONLY : constants.O_RDONLY;
      if (flags & OPEN_MODE.CREAT) f |= constants.O_CREAT;
      if (flags & OPEN_MODE.TRUNC) f |= constants.O_TRUNC;
      if (flags & OPEN_MODE.EXCL) f |= constants.O_EXCL;
      if (flags & OPEN_MODE.APPEND) f |= constants.O_APPEND;
      const fh = await open(local(filename), f, 0o644);
      const h = newHandle();
      handles.set(handleOf(h), { kind: 'file', fh });
      sftp.handle(reqid, h);
    });
  });
  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = handles.get(handleOf(handle));
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    let len = Math.min(length, options.maxReadBytes ?? length);
    if (shortAt !== undefined && offset < shortAt && offset + len > shortAt) {
      len = shortAt - offset;
      shortAt = undefined;
    }
    const buf = Buffer.allocUnsafe(len);
    const pause = (): Promise<void> => (options.readDelayMs ? new Promise((r) => setTimeout(r, options.readDelayMs)) : Promise.resolve());
    const answer = (): Promise<void> =>
      pause().then(() => h.fh.read(buf, 0, len, offset)).then(({ bytesRead }) => {
        if (bytesRead === 0) return void sftp.status(reqid, STATUS_CODE.EOF);
        options.onData?.(bytesRead);
        sftp.data(reqid, buf.subarray(0, bytesRead));
      }, (err: unknown) => fail(reqid, err));
    if (options.serialReads) readChain = readChain.then(answer);
    else void answer();
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = handles.get(handleOf(handle));
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    if (options.failWritesFrom !== undefined && offset >= options.failWritesFrom) return sftp.status(reqid, STATUS_CODE.FAILURE, 'no space left on device');
    h.fh.write(data, 0, data.length, offset).then(() => {
      options.onData?.(data.length);
      sftp.status(reqid, STATUS_CODE.OK);
    }, (err: unknown) => fail(reqid, err));
  });
  sftp.on('FSTAT', (reqid, handle) => {
    const h = handles.get(handleOf(handle));
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    h.fh.stat().then((st) => sftp.attrs(reqid, attrsOf(st)), (err: unknown) => fail(reqid, err));
  });
  sftp.on('FSETSTAT', (reqid, handle, attrs) => {
    const h = handles.get(handleOf(handle));
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    const work = typeof attrs.size === 'number' ? h.fh.truncate(attrs.size) : Promise.resolve();
    work.then(() => sftp.status(reqid, STATUS_CODE.OK), (err: unknown) => fail(reqid, err));
  });
  sftp.on('CLOSE', (reqid, handle) => {
    const id = handleOf(handle);
    const h = handles.get(id);
    handles.delete(id);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    if (h.kind === 'dir') return sftp.status(reqid, STATUS_CODE.OK);
    h.fh.close().then(() => sftp.status(reqid, STATUS_CODE.OK), (err: unknown) => fail(reqid, err));
  });
  sftp.on('OPENDIR', (reqid, path) => {
    guard(reqid, path, async () => {
      const names = await readdir(local(path));
      const h = newHandle();
      handles.set(handleOf(h), { kind: 'dir', names: ['.', '..', ...names], path });
      sftp.handle(reqid, h);
    });
  });
  sftp.on('READDIR', (reqid, handle) => {
    const h = handles.get(handleOf(handle));
    if (h?.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
    const batch = h.names.splice(0, options.readdirBatch ?? 100);
    if (batch.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    Promise.all(
      batch.map(async (name) => {
        const st = await lstat(join(local(h.path), name));
        return { filename: name, longname: `${st.isDirectory() ? 'd' : '-'}rw-r--r-- 1 u g ${st.size} Jan 1 00:00 ${name}`, attrs: attrsOf(st) };
      }),
    ).then((names) => sftp.name(reqid, names), (err: unknown) => fail(reqid, err));
  });
  const statLike = (fn: typeof lstat) => (reqid: number, path: string) =>
    guard(reqid, path, async () => {
      sftp.attrs(reqid, attrsOf(await fn(local(path))));
    });
  sftp.on('LSTAT', statLike(lstat));
  sftp.on('STAT', statLike(stat));
  const simple = (fn: (p: string) => Promise<unknown>) => (reqid: number, path: string) =>
    guard(reqid, path, async () => {
      await fn(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    });
  sftp.on('MKDIR', simple((p) => mkdir(p)));
  sftp.on('RMDIR', simple((p) => rmdir(p)));
  sftp.on('REMOVE', simple((p) => unlink(p)));
  sftp.on('SETSTAT', (reqid, path, attrs) =>
    guard(reqid, path, async () => {
      if (typeof attrs.mode === 'number') await chmod(local(path), attrs.mode);
      if (typeof attrs.size === 'number') await truncate(local(path), attrs.size);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    guard(reqid, from, async () => {
      if (denied(to)) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'denied by test');
      // SFTP v3 rename must not replace an existing target.
      if (await lstat(local(to)).then(() => true, () => false)) return sftp.status(reqid, STATUS_CODE.FAILURE, 'target exists');
      await rename(local(from), local(to));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('REALPATH', (reqid, path) => {
    const resolved = posix.normalize(path === '.' || path === '' ? '/home' : `/${path}`);
    sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as never }]);
  });
  sftp.on('READLINK', (reqid, path) =>
    guard(reqid, path, async () => {
      const target = await readlink(local(path));
      sftp.name(reqid, [{ filename: target, longname: target, attrs: {} as never }]);
    }),
  );
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') void h.fh.close().catch(() => undefined);
    handles.clear();
  });
}

/** Removes a folder tree (test cleanup). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
