import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemRecord, QueueRecord } from '../../main/transfers/queue-records';
import { QueueState } from '../../main/transfers/queue-state';
import { TransferJournal } from '../../main/transfers/transfer-journal';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, sameBytes, startQueue, tempDir, until } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('journal replay', () => {
  it('restores an unfinished download after a stop and resumes from the durable checkpoint', async () => {
    const server = new FakeServer({ chunk: 16 * 1024, chunkDelayMs: 1 });
    const data = bytes(1024 * 1024, 7);
    server.addFile('/r/big.bin', data);
    server.addFile('/r/small.txt', 'small');
    const state = join(dir, 'state');
    const target = join(dir, 'out');
    const first = await startQueue(state, server.factory, { checkpointBytes: 64 * 1024, parallel: 1, smallFileBytes: 0 });
    await first.queue.add({ requests: [download('/r', target)] });
    await until(() => first.queue.snapshot().items.some((i) => i.remotePath === '/r/big.bin' && i.transferred > 400 * 1024));
    // The final name never holds a partial file.
    await expect(stat(join(target, 'big.bin'))).rejects.toThrow();
    await first.queue.close();
    const movedBefore = server.bytesMoved;
    // A torn line as a kill -9 mid-write would leave.
    await appendFile(join(state, 'transfers', 'queue.jsonl'), '{"t":"state","id":"i');

    const second = await startQueue(state, server.factory, { checkpointBytes: 64 * 1024 });
    const restored = second.queue.snapshot().items;
    expect(restored.map((i) => i.remotePath).sort()).toEqual(['/r/big.bin', '/r/small.txt']);
    await second.queue.whenIdle();
    expect(second.queue.snapshot().items.every((i) => i.state === 'done')).toBe(true);
    expect(sameBytes(await readFile(join(target, 'big.bin')), data)).toBe(true);
    expect(await readFile(join(target, 'small.txt'), 'utf8')).toBe('small');
    // Resumed: the second run moved well under the whole file again.
    expect(server.bytesMoved - movedBefore).toBeLessThan(data.length - 300 * 1024);
    expect(second.lines.some((l) => l.text.includes('unreadable line'))).toBe(true);
    await second.queue.close();
  });

  it('refuses a second live process on the same journal', async () => {
    const server = new FakeServer();
    const state = join(dir, 'state');
    const a = await startQueue(state, server.factory);
    await writeFile(join(state, 'transfers', 'queue.jsonl.lock'), '1'); // pid 1 is always alive
    const b = startQueue(state, server.factory);
    await expect(b).rejects.toThrow(/another Ferry process/);
    await a.queue.close();
  });

  it('compacts finished history, keeping unfinished items and recent finished ones', async () => {
    const server = new FakeServer();
    for (let i = 0; i < 30; i++) server.addFile(`/c/${i}.txt`, `file ${i}`);
    const state = join(dir, 'state');
    const first = await startQueue(state, server.factory, { keepHistory: 10 });
    await first.queue.add({ requests: [download('/c', join(dir, 'out'))] });
    await first.queue.whenIdle();
    await first.queue.close();
    const second = await startQueue(state, server.factory, { keepHistory: 10 });
    expect(second.queue.snapshot().items).toHaveLength(10);
    const lines = (await readFile(join(state, 'transfers', 'queue.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(4);
    await second.queue.close();
  });

  it('rebuilds the same state from the journal as the live reducer', async () => {
    const path = join(dir, 'j.jsonl');
    const journal = new TransferJournal(path);
    await journal.open();
    const live = new QueueState();
    const recs: QueueRecord[] = [
      { t: 'job', job: { id: 'j1', createdAt: 1, request: download('/a', '/tmp/a') } },
      { t: 'items', items: ['x', 'y', 'z'].map((n): ItemRecord => ({ id: n, jobId: 'j1', direction: 'download', rel: n, localPath: `/tmp/a/${n}`, remotePath: `/a/${n}`, size: 1, mtime: null, mode: null, state: 'queued', attempts: 0, transferred: 0 })) },
      { t: 'move', id: 'z', toIndex: 0 },
      { t: 'state', id: 'x', state: 'done' },
      { t: 'ck', id: 'y', offset: 0 },
      { t: 'remove', ids: ['x'] },
    ];
    for (const r of recs) {
      live.apply(r);
      await journal.append(r);
    }
    await journal.close();
    const replayed = new QueueState();
    const again = new TransferJournal(path);
    for (const r of (await again.open()).records) replayed.apply(r);
    await again.close();
    expect([...replayed.ordered()].map((i) => i.id)).toEqual(['z', 'y']);
    expect([...replayed.ordered()]).toEqual([...live.ordered()]);
  });
});
