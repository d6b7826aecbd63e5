import type * as NodeFsPromises from 'node:fs/promises';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, sameBytes, startQueue, tempDir } from './helpers';

// Holds every fsync of a finished download (fsyncFile opens the part read-only) until released.
const gate = vi.hoisted(() => ({ held: [] as string[], release: [] as (() => void)[], waiters: [] as (() => void)[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof NodeFsPromises>();
  return {
    ...real,
    open: async (...a: Parameters<typeof real.open>) => {
      const [path, flags] = a;
      if (String(path).endsWith('.ferry-part') && flags === 'r') {
        gate.held.push(String(path));
        for (const w of gate.waiters.splice(0)) w();
        await new Promise<void>((resolve) => gate.release.push(resolve));
      }
      return real.open(...a);
    },
  };
});

async function heldCount(n: number): Promise<void> {
  while (gate.held.length < n) await new Promise<void>((resolve) => gate.waiters.push(resolve));
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  for (const r of gate.release.splice(0)) r();
  gate.held.length = 0;
  await cleanup();
});

describe('a big download being made durable', () => {
  it('frees its connection for the next file while its fsync runs, and lands only after it', async () => {
    const server = new FakeServer();
    const data = [bytes(200_000, 1), bytes(150_000, 2), bytes(120_000, 3)];
    data.forEach((d, i) => server.addFile(`/big/f${i}.bin`, d));
    // One connection, and every file big enough to take all of it and to be fsync'd.
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { parallel: 1, smallFileBytes: 0, fsyncMinBytes: 1 });
    await queue.add({ requests: [download('/big', join(dir, 'out'))] });

    // The first file's fsync is held; the connection has moved on to the other files meanwhile.
    await heldCount(3);
    expect(server.connects).toBe(1);
    // Nothing is under its final name before its fsync is done.
    expect((await readdir(join(dir, 'out'))).filter((n) => !n.endsWith('.ferry-part'))).toEqual([]);
    expect(queue.snapshot().items.map((i) => i.state)).toEqual(['active', 'active', 'active']);

    for (const r of gate.release.splice(0)) r();
    await queue.whenIdle();
    expect(queue.snapshot().items.map((i) => i.state)).toEqual(['done', 'done', 'done']);
    for (let i = 0; i < data.length; i++) expect(sameBytes(await readFile(join(dir, 'out', `f${i}.bin`)), data[i]), `f${i}`).toBe(true);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['f0.bin', 'f1.bin', 'f2.bin']);
    await queue.close();
  });
});
