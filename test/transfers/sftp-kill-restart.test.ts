import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { startResetProxy, type ResetProxy } from './reset-proxy';
import { sameBytes, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
let server: TestServer;
let proxy: ResetProxy;
const KiB = 1024;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'root', 'tree', 'sub'), { recursive: true });
  server = await startTestServer({ root: join(dir, 'root'), users: { alice: { password: 'secret' } } });
  // A slow link (1 MiB/s per connection) so the kill lands mid-queue.
  proxy = await startResetProxy(server.port, undefined, { bytesPerSecond: 1024 * KiB });
});
afterEach(async () => {
  await proxy.close();
  await server.close();
  await cleanup();
});

function ferry(args: string[]) {
  const child = spawn(process.execPath, ['main/cli/ferry-bin.js', ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, FERRY_PASSWORD: 'secret', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out };
}

async function finalFiles(root: string): Promise<string[]> {
  const all = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return all.filter((p) => /\.bin$/.test(p) && !p.includes('ferry-part'));
}

describe('ferry get -r killed with SIGKILL and run again', () => {
  it('finishes the queue byte-exact without redoing finished files', async () => {
    const files = new Map<string, Buffer>();
    for (let i = 0; i < 24; i++) files.set(`${i % 2 ? 'sub/' : ''}f${i}.bin`, randomBytes(96 * KiB));
    files.set('sub/big.bin', randomBytes(3 * 1024 * KiB));
    for (const [p, data] of files) await writeFile(join(dir, 'root', 'tree', p), data);
    const total = [...files.values()].reduce((n, b) => n + b.length, 0);
    const out = join(dir, 'out');
    const args = ['get', '-r', '--accept-new', '--state-dir', join(dir, 'state'), `sftp://alice@127.0.0.1:${proxy.port}/tree`, out];

    const first = ferry(args);
    const deadline = Date.now() + 40_000;
    // Half the small files first: the rerun may fetch again what was in flight or renamed but not
    // yet journaled (up to two files per connection), which must stay below what was finished.
    while ((await finalFiles(out)).length < 12) {
      if (Date.now() > deadline) throw new Error(`the first run never got going: ${first.out()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const doneBefore = (await finalFiles(out)).length;
    expect(doneBefore).toBeLessThan(files.size);
    const journals = (await readdir(join(dir, 'state', 'transfers'))).filter((n) => n.endsWith('.jsonl'));
    expect(journals).toHaveLength(1);

    proxy.setLimit(undefined);
    // The dead run's connections may still be draining through the proxy: count only once it is quiet.
    let relayedBefore = proxy.bytes();
    for (let quiet = 0, waited = 0; quiet < 3 && waited < 50; waited++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = proxy.bytes();
      quiet = now === relayedBefore ? quiet + 1 : 0;
      relayedBefore = now;
    }
    const second = ferry(args);
    expect(await second.exited, second.out()).toBe(0);
    for (const [p, data] of files) expect(sameBytes(await readFile(join(out, p)), data), p).toBe(true);
    const leftovers = (await readdir(out, { recursive: true })).filter((p) => p.includes('ferry-part'));
    expect(leftovers).toEqual([]);
    expect((await readdir(join(dir, 'state', 'transfers'))).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
    // The finished files were not fetched again.
    expect(proxy.bytes() - relayedBefore).toBeLessThan(total);
  }, 90_000);
});
