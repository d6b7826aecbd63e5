import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueueLock } from '../../main/transfers/queue-lock';

const run = promisify(execFile);

describe('queue lock', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-lock-'));
    path = join(dir, 'q.jsonl.lock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appears with the owner pid already in it, leaves no helper files, and goes on release', async () => {
    const lock = new QueueLock(path);
    await lock.acquire();
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    expect(await readdir(dir)).toEqual(['q.jsonl.lock']);
    await lock.release();
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses while a live process owns it', async () => {
    await writeFile(path, '1'); // pid 1 is always alive
    await expect(new QueueLock(path).acquire()).rejects.toMatchObject({ code: 'already-exists', message: expect.stringContaining('pid 1') });
  });

  it('takes over the lock of a process that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    await writeFile(path, String(pid));
    await new QueueLock(path).acquire();
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
  });

  it('does not take a lock whose owner is still writing its pid (an empty file), unless it is old', async () => {
    await writeFile(path, '');
    await expect(new QueueLock(path).acquire()).rejects.toMatchObject({ code: 'already-exists' });
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    await new QueueLock(path).acquire();
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
  });

  it('lets exactly one of several processes starting at the same moment have it', async () => {
    const startAt = Date.now() + 2500;
    const tries = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-contender.ts'), path, String(startAt)], { timeout: 20_000 })),
    );
    const outcomes = tries.map((t) => t.stdout.trim()).sort();
    expect(outcomes.filter((o) => o === 'got')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'got').every((o) => o === 'already-exists')).toBe(true);
  }, 30_000);
});
