import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, nullSink } from '../../main/core/logger';
import { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import { TransferQueue } from '../../main/transfers/transfer-queue';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { sameBytes, tempDir } from './helpers';
import { startResetProxy, type ResetProxy } from './reset-proxy';

let dir: string;
let cleanup: () => Promise<void>;
let server: TestServer;
let proxy: ResetProxy;
const KiB = 1024;
const SIZE = 3 * 1024 * KiB;
const CHECKPOINT = 256 * KiB;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'root'), { recursive: true });
  // READs answered in request order, as OpenSSH's sftp-server does: answered out of order (the
  // test server's reads finish in any order on a busy machine), the first chunk could come last
  // and the contiguous prefix, so the checkpoints, would not move until the end.
  server = await startTestServer({ root: join(dir, 'root'), users: { alice: { password: 'secret' } }, sftp: { serialReads: true } });
  // A slow link (512 KiB/s) so the kill lands mid-file.
  proxy = await startResetProxy(server.port, undefined, { bytesPerSecond: 512 * KiB });
});
afterEach(async () => {
  await proxy.close();
  await server.close();
  await cleanup();
});

/** The largest durable offset the journal holds for any item. */
async function journaledOffset(journal: string): Promise<number> {
  const text = await readFile(journal, 'utf8').catch(() => '');
  let best = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('"t":"ck"')) continue;
    try {
      best = Math.max(best, (JSON.parse(line) as { offset: number }).offset);
    } catch {
      // A line cut by the kill.
    }
  }
  return best;
}

describe('the engine killed with SIGKILL mid-file and started again', () => {
  it('resumes the partial download from its last checkpoint, not from 0', async () => {
    const data = randomBytes(SIZE);
    await writeFile(join(dir, 'root', 'big.bin'), data);
    const state = join(dir, 'state');
    const local = join(dir, 'big.bin');
    const journal = join(state, 'transfers', 'queue.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'kill-resume-child.ts'), state, String(proxy.port), '/big.bin', local, String(CHECKPOINT)], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // The link stops two thirds in, so the kill lands mid-file even when checkpoints reach the
    // journal late (a busy disk holds up their fsync).
    proxy.setHold(2 * SIZE / 3);
    const deadline = Date.now() + 40_000;
    while ((await journaledOffset(journal)) < 4 * CHECKPOINT) {
      if (Date.now() > deadline) throw new Error(`no checkpoint journaled: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('finished');

    const offset = await journaledOffset(journal);
    expect(offset).toBeGreaterThanOrEqual(4 * CHECKPOINT);
    expect(offset).toBeLessThan(SIZE);
    // The partial file holds at least the journaled prefix; the final name does not exist yet.
    expect((await stat(join(dir, '.big.bin.ferry-part'))).size).toBeGreaterThanOrEqual(offset);
    await expect(stat(local)).rejects.toThrow();

    // Wait until the dead process's connection has drained through the proxy, then count.
    let before = proxy.bytes();
    for (let quiet = 0, waited = 0; quiet < 3 && waited < 50; waited++) {
      await new Promise((r) => setTimeout(r, 100));
      quiet = proxy.bytes() === before ? quiet + 1 : 0;
      before = proxy.bytes();
    }
    proxy.setHold(undefined);
    const target = { protocol: 'sftp' as const, host: '127.0.0.1', port: proxy.port, user: 'alice' };
    const logger = createLogger(nullSink);
    const connect = async () => {
      const fs = new SftpRemoteFs({ target, password: 'secret', stateDir: state, prompter: { ask: async () => null }, logger, acceptNew: true, connections: 1 }, { knownHostsPath: join(state, 'none'), env: {} });
      await fs.connect();
      return fs;
    };
    const queue = new TransferQueue(state, connect, { ask: async () => null }, logger, { checkpointBytes: CHECKPOINT });
    await queue.start();
    await queue.whenIdle();
    const item = queue.snapshot().items[0]!;
    await queue.close();
    expect(item.state).toBe('done');
    expect(sameBytes(await readFile(local), data)).toBe(true);
    // Only what was left after the checkpoint crossed the link again (plus the SSH handshake).
    const relayed = proxy.bytes() - before;
    expect(relayed).toBeLessThan(SIZE - offset + 128 * KiB);
    expect(relayed).toBeGreaterThan(SIZE - offset - CHECKPOINT * 2);
  }, 90_000);
});
