import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { startResetProxy, type ResetProxy } from './reset-proxy';
import { sftpConnect } from './sftp-engine-fixture';
import { sameBytes, startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
let server: TestServer;
let proxy: ResetProxy;
const MiB = 1024 * 1024;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'root'));
  server = await startTestServer({ root: join(dir, 'root'), users: { alice: { password: 'secret' } } });
  // A 4 MiB/s link that drops every 2 MiB (real links are slower than loopback).
  proxy = await startResetProxy(server.port, 2 * MiB, { bytesPerSecond: 4 * MiB });
});
afterEach(async () => {
  await proxy.close();
  await server.close();
  await cleanup();
});

describe('SFTP through a proxy that resets the connection every 2 MiB', () => {
  it('downloads byte-exact with a handful of reconnects, resuming rather than restarting', async () => {
    const data = randomBytes(6 * MiB);
    await writeFile(join(dir, 'root', 'big.bin'), data);
    await writeFile(join(dir, 'root', 'small.txt'), 'small');
    const { connect, target, opened } = sftpConnect(proxy.port, join(dir, 'state'));
    const { queue, lines } = await startQueue(join(dir, 'state'), connect, { retries: 4 });
    await queue.add({ requests: [{ direction: 'download', target, remotePath: '/', localPath: join(dir, 'out'), recursive: true }] });
    await queue.whenIdle();
    const items = queue.snapshot().items;
    expect(items.map((i) => [i.remotePath, i.state]).sort()).toEqual([['/big.bin', 'done'], ['/small.txt', 'done']]);
    expect(sameBytes(await readFile(join(dir, 'out', 'big.bin')), data)).toBe(true);
    expect(await readdir(join(dir, 'out'))).toEqual(['big.bin', 'small.txt']);
    // Each connection carries up to 2 MiB before the reset: a handful of connections.
    expect(proxy.resets()).toBeGreaterThanOrEqual(2);
    expect(opened()).toBeLessThanOrEqual(8);
    // Resumed, not restarted: the proxy relayed well under twice the file.
    expect(proxy.bytes()).toBeLessThan(data.length * 2);
    expect(lines.some((l) => l.level === 'warn' && /retry/.test(l.text))).toBe(true);
    await queue.close();
  });

  it('uploads byte-exact through the same resets', async () => {
    const data = randomBytes(5 * MiB);
    await writeFile(join(dir, 'up.bin'), data);
    const { connect, target } = sftpConnect(proxy.port, join(dir, 'state'));
    const { queue } = await startQueue(join(dir, 'state'), connect, { retries: 4 });
    await queue.add({ requests: [{ direction: 'upload', target, remotePath: '/up.bin', localPath: join(dir, 'up.bin'), recursive: false }] });
    await queue.whenIdle();
    expect(queue.snapshot().items[0]?.state).toBe('done');
    expect(sameBytes(await readFile(join(dir, 'root', 'up.bin')), data)).toBe(true);
    expect(await readdir(join(dir, 'root'))).toEqual(['up.bin']);
    expect(proxy.resets()).toBeGreaterThanOrEqual(2);
    expect(proxy.bytes()).toBeLessThan(data.length * 2);
    await queue.close();
  });
});
