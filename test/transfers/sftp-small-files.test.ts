import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import { adapterFor, makeDirs, type Dirs } from '../protocols/sftp/helpers/sftp-fixture';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { sftpConnect } from './sftp-engine-fixture';
import { sameBytes, startQueue } from './helpers';

// The small-file fast path: a download planned by the listing's size (no fstat) must still end at
// the server's EOF, whatever the file became since it was listed.
describe('SFTP downloads planned by the listed size', () => {
  let dirs: Dirs;
  let server: TestServer;
  let fs: SftpRemoteFs;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    fs = adapterFor(server.port, dirs, {}, { chunkSize: 16 * 1024 });
    await fs.connect();
  });
  afterAll(async () => {
    await fs.close();
    await server.close();
    await dirs.cleanup();
  });

  it.each([
    ['grew far past the listed size', 4096, 200_000],
    ['grew a little', 4096, 4100],
    ['shrank', 50_000, 3000],
    ['shrank a little', 4096, 1000],
    ['was listed empty', 0, 70_000],
    ['became empty', 4096, 0],
    ['is as listed', 4096, 4096],
  ])('a file that %s arrives whole', async (_why, listed, actual) => {
    const data = randomBytes(actual);
    const name = `f-${listed}-${actual}.bin`;
    await writeFile(join(dirs.root, name), data);
    // A stale, longer local file is replaced, not patched.
    await writeFile(join(dirs.local, name), Buffer.alloc(actual + 5000, 1));
    const size = await fs.download(`/${name}`, join(dirs.local, name), { expectedSize: listed });
    expect(size).toBe(actual);
    expect(sameBytes(await readFile(join(dirs.local, name)), data)).toBe(true);
  });

  it('a resume ignores the hint and still refuses an offset past the end', async () => {
    await writeFile(join(dirs.root, 'r.bin'), randomBytes(1000));
    await writeFile(join(dirs.local, 'r.bin'), randomBytes(2000));
    await expect(fs.download('/r.bin', join(dirs.local, 'r.bin'), { offset: 2000, expectedSize: 5000 })).rejects.toMatchObject({ code: 'invalid-request' });
  });
});

describe('many small files through the engine', () => {
  let dirs: Dirs;
  let server: TestServer;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
  });
  afterAll(async () => {
    await server.close();
    await dirs.cleanup();
  });

  it('downloads 300 files over 2 connections byte-exact, with their mtimes and no temp names left', async () => {
    const files = new Map<string, Buffer>();
    for (let d = 0; d < 3; d++) {
      await mkdir(join(dirs.root, 'tree', `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) {
        const data = randomBytes((f * 97) % 9000);
        files.set(`d${d}/f${f}.bin`, data);
        await writeFile(join(dirs.root, 'tree', `d${d}`, `f${f}.bin`), data);
        await utimes(join(dirs.root, 'tree', `d${d}`, `f${f}.bin`), 1_600_000_000 + f, 1_600_000_000 + f);
      }
    }
    const { connect, target, opened } = sftpConnect(server.port, dirs.state);
    const { queue } = await startQueue(dirs.state, connect, { parallel: 2 });
    await queue.add({ requests: [{ direction: 'download', target, remotePath: '/tree', localPath: join(dirs.local, 'tree'), recursive: true }] });
    await queue.whenIdle();
    const snap = queue.snapshot();
    await queue.close();
    expect(snap.items.filter((i) => i.state === 'done')).toHaveLength(300);
    expect(opened()).toBeLessThanOrEqual(2);
    for (const [rel, data] of files) {
      expect(sameBytes(await readFile(join(dirs.local, 'tree', rel)), data), rel).toBe(true);
      expect((await stat(join(dirs.local, 'tree', rel))).mtimeMs, rel).toBe((1_600_000_000 + Number(/f(\d+)/.exec(rel)![1])) * 1000);
    }
    for (let d = 0; d < 3; d++) expect((await readdir(join(dirs.local, 'tree', `d${d}`))).filter((n) => n.includes('ferry-part'))).toEqual([]);
  });
});
