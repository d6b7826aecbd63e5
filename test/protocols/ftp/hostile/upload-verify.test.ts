import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUpload, type RunContext } from '../../../../main/transfers/item-runner';
import type { ItemRecord } from '../../../../main/transfers/queue-records';
import { errorCode, makeFs, recordingPrompter } from '../helpers/adapter-fixture';
import { makeTempDir } from '../helpers/temp-dir';
import { startMemoryServer, type SizeVia } from './memory-server';
import { cleanupAfterEach } from '../helpers/cleanup';
import type { CommandHandler } from './scripted-server';

const cleanup = cleanupAfterEach();

async function setup(via: SizeVia, drop: number, onCommand?: CommandHandler) {
  const { srv, files, close } = await startMemoryServer({ via, drop, ...(onCommand ? { onCommand } : {}) });
  cleanup.push(close);
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  const body = randomBytes(300_000);
  const localPath = join(t.path, 'f.bin');
  writeFileSync(localPath, body);
  const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 'state'), prompter: recordingPrompter({}), allowPlain: true });
  await fs.connect();
  cleanup.push(() => fs.close());
  const item: ItemRecord = { id: 'i1', jobId: 'j1', direction: 'upload', rel: '', localPath, remotePath: '/f.bin', size: body.length, mtime: null, mode: null, state: 'active', attempts: 1, transferred: 0 };
  const ctx: RunContext = {
    fs,
    signal: new AbortController().signal,
    localRoot: t.path,
    onProgress: () => undefined,
    decide: async () => 'overwrite',
    record: async () => undefined,
    trustedOffset: undefined,
    checkpointBytes: 1 << 30,
    fsyncMinBytes: 1 << 30,
    ensureDir: async () => undefined,
  };
  return { srv, files, fs, body, item, ctx, localPath };
}

describe.each<SizeVia>(['size', 'mlst', 'list'])('upload size checked on the server (size via %s)', (via) => {
  it('a server that kept every byte: the upload is renamed into place and resolves with its size', async () => {
    const { srv, files, fs, body, item, ctx, localPath } = await setup(via, 0);
    expect(await runUpload(item, ctx)).toMatchObject({ state: 'done' });
    expect(files.get('/f.bin')?.equals(body)).toBe(true);
    expect(files.has('/.f.bin.ferry-part')).toBe(false);
    expect(await fs.upload(localPath, '/again.bin')).toBe(body.length);
    const asked = srv.allCommands().filter((l) => /^(SIZE|MLST|LIST)/.test(l));
    expect(asked.some((l) => l.startsWith(via.toUpperCase()))).toBe(true);
  });

  it('a server that dropped bytes after 226: the upload fails and nothing gets the final name', async () => {
    const { srv, files, fs, item, ctx, localPath } = await setup(via, 1000);
    const err: unknown = await runUpload(item, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'protocol-error', message: expect.stringMatching(/299000 bytes of \/\.f\.bin\.ferry-part/) });
    expect(files.has('/f.bin')).toBe(false);
    // The short copy is deleted too, so no later resume can append to it.
    expect(files.has('/.f.bin.ferry-part')).toBe(false);
    expect(srv.allCommands().some((l) => l.startsWith('RNFR'))).toBe(false);
    expect(await errorCode(fs.upload(localPath, '/direct.bin'))).toBe('protocol-error');
  });
});

describe('a connection lost in the size check after a complete upload', () => {
  it('is retried from what the server holds, not failed as a resume that does not fit', async () => {
    let dropped = false;
    const { srv, files, body, item, ctx, localPath } = await setup('size', 0, (c, line) => {
      if (dropped || !line.startsWith('SIZE') || !c.received.some((r) => r.line.startsWith('STOR'))) return false;
      dropped = true;
      c.socket.destroy();
      return true;
    });
    let last: number | undefined;
    const first = await runUpload(item, { ...ctx, onProgress: (n) => (last = n) }).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'connection-lost' });
    expect(files.get('/.f.bin.ferry-part')?.equals(body)).toBe(true);
    expect(last).toBe(body.length);
    // The retry, as the queue runs it: a new connection, resuming from the last progress seen.
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(localPath, '..', 'state'), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await runUpload(item, { ...ctx, fs, trustedOffset: last })).toMatchObject({ state: 'done' });
    expect(files.get('/f.bin')?.equals(body)).toBe(true);
    expect(files.has('/.f.bin.ferry-part')).toBe(false);
  });
});
