import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../shared/ipc/prompts';
import { FerryError } from '../../main/core/ferry-error';
import type { Prompter } from '../../main/core/prompter';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, sameBytes, startQueue, tempDir, upload } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const HOUR = 3600_000;

async function getOne(server: FakeServer, onExists: 'overwrite' | 'newer' | 'resume' | 'rename' | 'skip' | 'ask', prompter?: Prompter) {
  const { queue } = await startQueue(join(dir, 'state'), server.factory, prompter ? { prompter } : {});
  await queue.add({ requests: [download('/f.txt', join(dir, 'f.txt'), { recursive: false, onExists })] });
  await queue.whenIdle();
  const item = queue.snapshot().items.at(-1)!;
  await queue.close();
  return item;
}

describe('file exists: downloads', () => {
  it('skip leaves the existing file alone', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'new content');
    await writeFile(join(dir, 'f.txt'), 'old');
    expect((await getOne(server, 'skip')).state).toBe('skipped');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('old');
  });

  it('overwrite replaces it by rename, leaving no partial file', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'new content');
    await writeFile(join(dir, 'f.txt'), 'old');
    expect((await getOne(server, 'overwrite')).state).toBe('done');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('new content');
    expect(await readdir(dir)).not.toContain('.f.txt.ferry-part');
  });

  it('newer replaces only an older local file', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'remote', Date.now() - 2 * HOUR);
    await writeFile(join(dir, 'f.txt'), 'local newer');
    expect((await getOne(server, 'newer')).state).toBe('skipped');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('local newer');
    const old = new Date(Date.now() - 5 * HOUR);
    await utimes(join(dir, 'f.txt'), old, old);
    expect((await getOne(server, 'newer')).state).toBe('done');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('remote');
  });

  it('rename keeps the existing file and writes "name (1).ext"', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'incoming');
    await writeFile(join(dir, 'f.txt'), 'mine');
    const item = await getOne(server, 'rename');
    expect(item.localPath).toBe(join(dir, 'f (1).txt'));
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'f (1).txt'), 'utf8')).toBe('incoming');
  });

  it('resume appends to an existing prefix, moving only the rest', async () => {
    const server = new FakeServer();
    const data = bytes(300_000, 4);
    server.addFile('/f.txt', data);
    await writeFile(join(dir, 'f.txt'), data.subarray(0, 200_000));
    expect((await getOne(server, 'resume')).state).toBe('done');
    expect(sameBytes(await readFile(join(dir, 'f.txt')), data)).toBe(true);
    expect(server.bytesMoved).toBe(100_000);
  });

  it('asks once with "apply to all" and follows the answer for the rest of the job', async () => {
    const server = new FakeServer();
    for (const n of ['a', 'b', 'c']) {
      server.addFile(`/d/${n}.txt`, `new ${n}`);
      await writeFile(join(dir, `${n}.txt`), `old ${n}`);
    }
    const asked: PromptRequest[] = [];
    const prompter: Prompter = {
      ask: async (req) => {
        asked.push(req);
        return { action: 'overwrite', applyToAll: true } as never;
      },
    };
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { prompter });
    await queue.add({ requests: [download('/d', dir, { onExists: 'ask' })] });
    await queue.whenIdle();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ kind: 'file-exists', existing: { size: 5 }, incoming: { size: 5 } });
    for (const n of ['a', 'b', 'c']) expect(await readFile(join(dir, `${n}.txt`), 'utf8')).toBe(`new ${n}`);
    await queue.close();
  });

  it('shows the item as waiting for the answer while the question is open, and moving after it', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'new');
    await writeFile(join(dir, 'f.txt'), 'old');
    let answer!: (a: unknown) => void;
    const asked = new Promise<void>((resolveAsked) => {
      const prompter: Prompter = {
        ask: () => {
          resolveAsked();
          return new Promise((r) => (answer = r)) as never;
        },
      };
      void startQueue(join(dir, 'state'), server.factory, { prompter }).then(async ({ queue }) => {
        started = queue;
        await queue.add({ requests: [download('/f.txt', join(dir, 'f.txt'), { recursive: false, onExists: 'ask' })] });
      });
    });
    let started!: Awaited<ReturnType<typeof startQueue>>['queue'];
    await asked;
    expect(started.snapshot().items[0]).toMatchObject({ state: 'active', waiting: 'answer', rate: 0 });
    answer({ action: 'overwrite', applyToAll: false });
    await started.whenIdle();
    const done = started.snapshot().items[0]!;
    expect(done.state).toBe('done');
    expect(done).not.toHaveProperty('waiting');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('new');
    await started.close();
  });

  it('skips when nobody can be asked', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'x');
    await writeFile(join(dir, 'f.txt'), 'keep');
    expect((await getOne(server, 'ask')).state).toBe('skipped');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('keep');
  });
});

describe('file exists: uploads', () => {
  it('overwrite on a server whose rename does not replace parks the old file and leaves nothing behind', async () => {
    const server = new FakeServer({ renameReplaces: false });
    server.addFile('/up/f.txt', 'old remote');
    await writeFile(join(dir, 'f.txt'), 'new local');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [upload(join(dir, 'f.txt'), '/up/f.txt', { recursive: false, onExists: 'overwrite' })] });
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('done');
    expect(server.file('/up/f.txt')?.toString()).toBe('new local');
    expect([...server.nodes.keys()].sort()).toEqual(['/', '/up', '/up/f.txt']);
    await queue.close();
  });

  it('writes in place when the server cannot rename, and verifies a hash when offered', async () => {
    const server = new FakeServer({ capabilities: { rename: false, hashes: ['sha256'] } });
    server.mkdirp('/up');
    await writeFile(join(dir, 'f.bin'), bytes(50_000, 9));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [upload(join(dir, 'f.bin'), '/up/f.bin', { recursive: false })] });
    await queue.whenIdle();
    const item = queue.snapshot().items[0]!;
    expect(item.state).toBe('done');
    expect(item.verification).toBe('sha256 verified');
    expect(sameBytes(server.file('/up/f.bin'), bytes(50_000, 9))).toBe(true);
    await queue.close();
  });

  it('a rename answer uploads beside the existing remote file', async () => {
    const server = new FakeServer();
    server.addFile('/up/f.txt', 'theirs');
    await writeFile(join(dir, 'f.txt'), 'ours');
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: [upload(join(dir, 'f.txt'), '/up/f.txt', { recursive: false, onExists: 'rename' })] });
    await queue.whenIdle();
    expect(server.file('/up/f.txt')?.toString()).toBe('theirs');
    expect(server.file('/up/f (1).txt')?.toString()).toBe('ours');
    await queue.close();
  });
});

describe('verification', () => {
  it('reports a verified hash, fails a mismatch without keeping the bad copy, and falls back to size when hashing fails', async () => {
    const server = new FakeServer({ capabilities: { hashes: ['sha256'] } });
    server.addFile('/ok.bin', bytes(10_000, 1));
    server.addFile('/bad.bin', bytes(10_000, 2));
    server.addFile('/nohash.bin', bytes(10_000, 3));
    server.hashOverride = (p) => (p === '/bad.bin' ? '0'.repeat(64) : p === '/nohash.bin' ? new FerryError('protocol-error', 'unreadable hash reply') : (undefined as never));
    const { queue } = await startQueue(join(dir, 'state'), server.factory);
    await queue.add({ requests: ['ok', 'bad', 'nohash'].map((n) => download(`/${n}.bin`, join(dir, `${n}.bin`), { recursive: false })) });
    await queue.whenIdle();
    const byPath = Object.fromEntries(queue.snapshot().items.map((i) => [i.remotePath, i]));
    expect(byPath['/ok.bin']?.verification).toBe('sha256 verified');
    expect(byPath['/bad.bin']?.state).toBe('failed');
    expect(byPath['/bad.bin']?.error?.code).toBe('protocol-error');
    expect(byPath['/nohash.bin']?.state).toBe('done');
    expect(byPath['/nohash.bin']?.verification).toMatch(/^size verified .*sha256 unavailable/);
    expect((await readdir(dir)).sort()).toEqual(['nohash.bin', 'ok.bin', 'state']);
    await queue.close();
  });
});
