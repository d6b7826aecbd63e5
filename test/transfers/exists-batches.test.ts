import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptAnswers, PromptRequest } from '../../shared/ipc/prompts';
import type { Prompter } from '../../main/core/prompter';
import type { JobRecord } from '../../main/transfers/queue-records';
import { QueueState } from '../../main/transfers/queue-state';
import { compactRecords } from '../../main/transfers/queue-support';
import { FakeServer } from './fake-remote-fs';
import { download, startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

type ExistsAnswer = PromptAnswers['file-exists'];

/** A prompter that gives the scripted answers in turn and records every question. */
function scripted(answers: ExistsAnswer[]): { prompter: Prompter; asked: PromptRequest[] } {
  const asked: PromptRequest[] = [];
  const prompter: Prompter = {
    ask: async (req) => {
      asked.push(req);
      return (answers[asked.length - 1] ?? null) as never;
    },
  };
  return { prompter, asked };
}

/** Remote files /n.txt with new content, local ones with old content, for each name. */
async function clash(server: FakeServer, names: readonly string[]): Promise<void> {
  for (const n of names) {
    server.addFile(`/${n}.txt`, `new ${n}`);
    await writeFile(join(dir, `${n}.txt`), `old ${n}`);
  }
}

const single = (n: string) => download(`/${n}.txt`, join(dir, `${n}.txt`), { recursive: false, onExists: 'ask' });

describe('file exists: "apply to all" covers the batch', () => {
  it('asks once for several selected files queued together (one job each)', async () => {
    const server = new FakeServer();
    await clash(server, ['a', 'b', 'c']);
    const { prompter, asked } = scripted([{ action: 'overwrite', applyToAll: true }]);
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { prompter, parallel: 4 });
    const { jobIds } = await queue.add({ requests: ['a', 'b', 'c'].map(single) });
    expect(jobIds).toHaveLength(3);
    await queue.whenIdle();
    expect(asked).toHaveLength(1);
    for (const n of ['a', 'b', 'c']) expect(await readFile(join(dir, `${n}.txt`), 'utf8')).toBe(`new ${n}`);
    await queue.close();
  });

  it('does not carry the answer over to a later, unrelated batch', async () => {
    const server = new FakeServer();
    await clash(server, ['a', 'b', 'c']);
    const { prompter, asked } = scripted([
      { action: 'skip', applyToAll: true },
      { action: 'overwrite', applyToAll: false },
    ]);
    const { queue } = await startQueue(join(dir, 'state'), server.factory, { prompter });
    await queue.add({ requests: ['a', 'b'].map(single) });
    await queue.whenIdle();
    await queue.add({ requests: [single('c')] });
    await queue.whenIdle();
    expect(asked.map((q) => (q as { path: string }).path)).toEqual([expect.stringMatching(/[ab]\.txt$/), join(dir, 'c.txt')]);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old a');
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('old b');
    expect(await readFile(join(dir, 'c.txt'), 'utf8')).toBe('new c');
    await queue.close();
  });

  it('keeps a batch answer through compaction (a restart) and drops it with the batch', () => {
    const job = (id: string, batchId?: string): JobRecord => ({ id, request: single(id), createdAt: 0, batchId });
    const state = new QueueState();
    for (const j of [job('j1', 'b1'), job('j2', 'b1'), job('j3', 'b2'), job('j4')]) state.apply({ t: 'job', job: j });
    state.apply({ t: 'batch-policy', batchId: 'b1', action: 'rename' });

    const replayed = new QueueState();
    for (const rec of compactRecords(state, 1000)) replayed.apply(rec);
    const policy = (s: QueueState, id: string) => s.policyOf(s.jobs.get(id)!);
    expect(['j1', 'j2', 'j3', 'j4'].map((id) => policy(replayed, id))).toEqual(['rename', 'rename', undefined, undefined]);

    replayed.apply({ t: 'remove', ids: ['j1', 'j2'] });
    expect(replayed.batchPolicies.size).toBe(0);
    expect(compactRecords(replayed, 1000).some((r) => r.t === 'batch-policy')).toBe(false);
  });
});
