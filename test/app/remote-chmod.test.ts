import { chmod as chmodLocal, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chmodTree, MAX_LISTED_CHMOD_FAILURES } from '../../main/app/remote-chmod';
import { FerryError } from '../../main/core/ferry-error';
import type { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import type { RemoteFs } from '../../main/protocols/remote-fs';
import { adapterFor, makeDirs, type Dirs } from '../protocols/sftp/helpers/sftp-fixture';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o7777;

describe('recursive permission change over SFTP', () => {
  let dirs: Dirs;
  let server: TestServer;
  let fs: SftpRemoteFs;
  const T = (...p: string[]): string => join(dirs.root, 'tree', ...p);
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, sftp: { denied: ['/tree/sub/locked'] } });
    fs = adapterFor(server.port, dirs);
    await fs.connect();
  });
  afterAll(async () => {
    await fs.close();
    await server.close();
    await dirs.cleanup();
  });
  beforeEach(async () => {
    await mkdir(T('sub', 'deep'), { recursive: true });
    await mkdir(T('sub', 'locked'), { recursive: true });
    await mkdir(join(dirs.root, 'outside'), { recursive: true });
    for (const f of [T('a.txt'), T('sub', 'b.txt'), T('sub', 'deep', 'c.txt'), join(dirs.root, 'outside', 'o.txt')]) {
      await writeFile(f, 'x');
      await chmodLocal(f, 0o644);
    }
    for (const d of [T(), T('sub'), T('sub', 'deep'), join(dirs.root, 'outside')]) await chmodLocal(d, 0o755);
    await symlink(join(dirs.root, 'outside'), T('sub', 'to-outside')).catch(() => undefined);
    await symlink(join(dirs.root, 'outside', 'o.txt'), T('o-link.txt')).catch(() => undefined);
  });

  it('changes every file and folder of the tree, never following links', async () => {
    const r = await chmodTree(fs, '/tree', 0o700, { recurse: 'all' });
    for (const p of [T(), T('a.txt'), T('sub'), T('sub', 'b.txt'), T('sub', 'deep'), T('sub', 'deep', 'c.txt')]) expect(await modeOf(p)).toBe(0o700);
    expect(await modeOf(join(dirs.root, 'outside'))).toBe(0o755);
    expect(await modeOf(join(dirs.root, 'outside', 'o.txt'))).toBe(0o644);
    // The locked folder is refused once (its change), not again for its listing.
    expect(r).toEqual({ changed: 6, failed: 1, failures: [{ path: '/tree/sub/locked', message: expect.any(String) }] });
  });

  it('changes only files, or only folders, when asked', async () => {
    const files = await chmodTree(fs, '/tree', 0o600, { recurse: 'files' });
    expect(await modeOf(T('a.txt'))).toBe(0o600);
    expect(await modeOf(T('sub', 'deep', 'c.txt'))).toBe(0o600);
    expect(await modeOf(T('sub'))).toBe(0o755);
    expect(await modeOf(T())).toBe(0o755);
    // Only the locked folder's listing is refused: it was never changed.
    expect(files).toMatchObject({ changed: 3, failed: 1 });

    const folders = await chmodTree(fs, '/tree', 0o711, { recurse: 'folders' });
    expect(await modeOf(T())).toBe(0o711);
    expect(await modeOf(T('sub', 'deep'))).toBe(0o711);
    expect(await modeOf(T('a.txt'))).toBe(0o600);
    expect(folders).toMatchObject({ changed: 3, failed: 1 });
  });

  it('without recurse changes just the path and rejects a refusal as before', async () => {
    expect(await chmodTree(fs, '/tree', 0o750)).toEqual({ changed: 1, failed: 0, failures: [] });
    expect(await modeOf(T())).toBe(0o750);
    expect(await modeOf(T('a.txt'))).toBe(0o644);
    await expect(chmodTree(fs, '/tree/sub/locked', 0o700)).rejects.toMatchObject({ code: 'permission-denied' });
    // A single file with recurse is just that file; with 'folders' it is left alone.
    expect(await chmodTree(fs, '/tree/a.txt', 0o640, { recurse: 'all' })).toMatchObject({ changed: 1 });
    expect(await chmodTree(fs, '/tree/a.txt', 0o600, { recurse: 'folders' })).toMatchObject({ changed: 0 });
    expect(await modeOf(T('a.txt'))).toBe(0o640);
  });
});

/** A RemoteFs of one folder with `n` files whose chmod fails with `code` from file `from` on. */
function fakeFs(n: number, code: FerryError['code'], from: number): { fs: RemoteFs; calls: string[] } {
  const calls: string[] = [];
  const entries: RemoteEntry[] = Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'file', size: 1, mtime: null, mode: 0o644 }));
  const fs = {
    stat: async () => ({ name: 'd', type: 'dir', size: 0, mtime: null, mode: 0o755 }),
    list: async () => entries,
    chmod: async (p: string) => {
      calls.push(p);
      const i = Number(p.split('/f')[1] ?? -1);
      if (i >= from) throw new FerryError(code, `cannot change ${p}`);
    },
  } as unknown as RemoteFs;
  return { fs, calls };
}

describe('recursive permission change: refusals and fatal errors', () => {
  it('counts every refusal but names only the first few', async () => {
    const { fs } = fakeFs(50, 'permission-denied', 10);
    const r = await chmodTree(fs, '/d', 0o644, { recurse: 'files' });
    expect(r.changed).toBe(10);
    expect(r.failed).toBe(40);
    expect(r.failures).toHaveLength(MAX_LISTED_CHMOD_FAILURES);
    expect(r.failures[0]).toEqual({ path: '/d/f10', message: 'cannot change /d/f10' });
  });

  it('stops at a lost connection or a server without permission support', async () => {
    for (const code of ['connection-lost', 'not-supported'] as const) {
      const { fs, calls } = fakeFs(50, code, 3);
      await expect(chmodTree(fs, '/d', 0o644, { recurse: 'files' })).rejects.toMatchObject({ code });
      expect(calls).toHaveLength(4);
    }
  });

  it('stops when cancelled', async () => {
    const { fs, calls } = fakeFs(50, 'permission-denied', 99);
    const ac = new AbortController();
    const inner = fs.chmod.bind(fs);
    (fs as { chmod: RemoteFs['chmod'] }).chmod = async (p, m) => {
      await inner(p, m);
      if (calls.length === 5) ac.abort();
    };
    await expect(chmodTree(fs, '/d', 0o644, { recurse: 'all', signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toHaveLength(5);
  });
});
