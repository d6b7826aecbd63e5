import { randomBytes } from 'node:crypto';
import type * as NodeFs from 'node:fs';
import type * as NodeFsPromises from 'node:fs/promises';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSyncIoPolicy } from '../../main/core/sync-io-policy';
import type { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import { fastLocal } from '../../main/transfers/fast-local';
import { adapterFor, makeDirs, type Dirs } from '../protocols/sftp/helpers/sftp-fixture';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';

// Counts which local calls our code makes, and lets a test make the next synchronous one slow
// (a disk that stalls), without touching what ssh2 or the test server do.
const probe = vi.hoisted(() => ({ calls: [] as string[], slow: [] as number[] }));

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof NodeFs>();
  const track =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R, sync: boolean) =>
    (...a: A): R => {
      probe.calls.push(name);
      const stall = sync ? probe.slow.shift() : undefined;
      if (stall) spin(stall);
      return fn(...a);
    };
  return {
    ...real,
    openSync: track('openSync', real.openSync, true),
    writeSync: track('writeSync', real.writeSync, true),
    closeSync: track('closeSync', real.closeSync, true),
    renameSync: track('renameSync', real.renameSync, true),
    utimesSync: track('utimesSync', real.utimesSync, true),
    open: track('open', real.open, false),
    write: track('write', real.write, false),
    close: track('close', real.close, false),
  };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof NodeFsPromises>();
  return {
    ...real,
    rename: (...a: Parameters<typeof real.rename>) => {
      probe.calls.push('rename');
      return real.rename(...a);
    },
    utimes: (...a: Parameters<typeof real.utimes>) => {
      probe.calls.push('utimes');
      return real.utimes(...a);
    },
  };
});

function taken(): string[] {
  return probe.calls.splice(0);
}

describe('local steps run synchronously while the disk is fast', () => {
  let dirs: Dirs;
  let server: TestServer;
  let fs: SftpRemoteFs;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    fs = adapterFor(server.port, dirs);
    await fs.connect();
  });
  // One policy serves the whole process: each test starts with a fast disk.
  beforeEach(() => resetSyncIoPolicy());
  afterAll(async () => {
    vi.restoreAllMocks();
    await fs.close();
    await server.close();
    await dirs.cleanup();
  });

  it('rename and utimes: the thread pool for 30 s after three slow calls in a second, then synchronous again', async () => {
    const a = join(dirs.local, 'a');
    await writeFile(a, 'x');
    taken();
    await fastLocal.utimes(a, new Date(), new Date(1_600_000_000_000));
    await fastLocal.rename(a, `${a}1`);
    expect(taken()).toEqual(['utimesSync', 'renameSync']);

    // One short stall is not a slow disk (a busy machine does that); three within a second are.
    probe.slow.push(8);
    await fastLocal.rename(`${a}1`, `${a}2`);
    await fastLocal.rename(`${a}2`, `${a}1`);
    expect(taken()).toEqual(['renameSync', 'renameSync']);
    probe.slow.push(8, 8);
    await fastLocal.rename(`${a}1`, `${a}2`);
    await fastLocal.rename(`${a}2`, `${a}1`);
    await fastLocal.rename(`${a}1`, `${a}2`);
    await fastLocal.rename(`${a}2`, `${a}3`);
    await fastLocal.utimes(`${a}3`, new Date(), new Date(1_600_000_000_000));
    expect(taken()).toEqual(['renameSync', 'renameSync', 'rename', 'rename', 'utimes']);
    await expect(fastLocal.rename(join(dirs.local, 'missing'), `${a}4`)).rejects.toMatchObject({ code: 'ENOENT' });

    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    taken();
    await fastLocal.rename(`${a}3`, `${a}5`);
    expect(taken()).toEqual(['renameSync']);
    await expect(fastLocal.rename(join(dirs.local, 'missing'), `${a}6`)).rejects.toMatchObject({ code: 'ENOENT' });
    vi.restoreAllMocks();
    expect(await readFile(`${a}5`, 'utf8')).toBe('x');
  });

  it('SFTP downloads: synchronous file calls, then asynchronous ones after one very slow call, byte-exact either way', async () => {
    const data = randomBytes(50_000);
    await writeFile(join(dirs.root, 'd.bin'), data);
    taken();
    expect(await fs.download('/d.bin', join(dirs.local, 'd1'), { expectedSize: data.length })).toBe(data.length);
    let calls = taken();
    expect(calls).toContain('openSync');
    expect(calls).toContain('writeSync');
    expect(calls).toContain('closeSync');
    expect(calls.filter((c) => c === 'open' || c === 'write' || c === 'close')).toEqual([]);

    probe.slow.push(60);
    expect(await fs.download('/d.bin', join(dirs.local, 'd2'), { expectedSize: data.length })).toBe(data.length);
    taken();
    expect(await fs.download('/d.bin', join(dirs.local, 'd3'), { expectedSize: data.length })).toBe(data.length);
    calls = taken();
    expect(calls).toEqual(expect.arrayContaining(['open', 'write', 'close']));
    expect(calls.filter((c) => c.endsWith('Sync'))).toEqual([]);
    for (const name of ['d1', 'd2', 'd3']) expect((await readFile(join(dirs.local, name))).equals(data), name).toBe(true);
  });
});
