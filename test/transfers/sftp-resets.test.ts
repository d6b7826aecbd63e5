import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResetProxy } from './reset-proxy';
import { sftpConnect, startSftpTestbed, type SftpTestbed } from './sftp-engine-fixture';
import { sameBytes, startQueue } from './helpers';

const MiB = 1024 * 1024;
let bed: SftpTestbed;
let dir: string;
let proxy: ResetProxy;

beforeEach(async () => {
  bed = await startSftpTestbed({ resetEveryBytes: 2 * MiB, bytesPerSecond: 4 * MiB });
  ({ dir, proxy } = bed);
});
afterEach(async () => bed.close());

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
    // No connection can carry the whole 6 MiB, so finishing at all proves each attempt resumed;
    // a handful of connections and a bounded overhead show it resumed from near where it stopped
    // (the bounds leave room for a loaded machine: progress is reported every 100 ms).
    expect(proxy.resets()).toBeGreaterThanOrEqual(2);
    expect(opened()).toBeLessThanOrEqual(12);
    expect(proxy.bytes()).toBeLessThan(data.length * 3);
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
    expect(proxy.bytes()).toBeLessThan(data.length * 3);
    await queue.close();
  });
});

describe('SFTP through a proxy that resets every 12 MiB: each attempt gets past the switch to direct writes', () => {
  it('downloads byte-exact, resuming from the bytes in the file each time', async () => {
    await bed.close();
    bed = await startSftpTestbed({ resetEveryBytes: 12 * MiB, bytesPerSecond: 64 * MiB });
    ({ dir, proxy } = bed);
    const data = randomBytes(30 * MiB + 17);
    await writeFile(join(dir, 'root', 'big.bin'), data);
    const { connect, target, opened } = sftpConnect(proxy.port, join(dir, 'state'));
    const { queue } = await startQueue(join(dir, 'state'), connect, { retries: 6 });
    await queue.add({ requests: [{ direction: 'download', target, remotePath: '/big.bin', localPath: join(dir, 'big.bin'), recursive: false }] });
    await queue.whenIdle();
    expect(queue.snapshot().items.map((i) => i.state)).toEqual(['done']);
    expect(sameBytes(await readFile(join(dir, 'big.bin')), data)).toBe(true);
    expect(proxy.resets()).toBeGreaterThanOrEqual(2);
    expect(opened()).toBeLessThanOrEqual(10);
    // A failed attempt reports what reached the file before it gives up, so the next resumes
    // from there: about 31 MiB in three connections. Resuming from the last throttled progress
    // report instead (up to 100 ms behind, 6 MiB at this rate) took 43-62 MiB.
    expect(proxy.bytes()).toBeLessThan(data.length * 1.4);
    await queue.close();
  });

  it('ends a failed attempt by reporting every byte that reached the file', async () => {
    await bed.close();
    // READs answered in order (as OpenSSH's sftp-server does), so the file holds no bytes past
    // the contiguous prefix and its size is exactly what a retry may resume from.
    bed = await startSftpTestbed({ resetEveryBytes: 12 * MiB, bytesPerSecond: 64 * MiB, serialReads: true });
    ({ dir, proxy } = bed);
    await writeFile(join(dir, 'root', 'big.bin'), randomBytes(30 * MiB));
    const { connect } = sftpConnect(proxy.port, join(dir, 'state'));
    const fs = await connect({ protocol: 'sftp', host: '127.0.0.1', port: proxy.port, user: 'alice' });
    const local = join(dir, 'big.bin');
    let last = 0;
    const failed = await fs.download('/big.bin', local, { onProgress: (p) => (last = p.transferred) }).then(() => undefined, (err: unknown) => err);
    await fs.close().catch(() => undefined);
    expect(failed).toMatchObject({ code: 'connection-lost' });
    // Past the switch to direct writes, with the staged bytes written: the last report is the file.
    expect(last).toBeGreaterThan(8 * MiB);
    expect(last).toBe(statSync(local).size);
  });
});

describe('SFTP over a slow link past the switch to direct writes', () => {
  it('keeps reporting progress while a direct-write buffer fills slowly, never ahead of the file', async () => {
    await bed.close();
    bed = await startSftpTestbed({ bytesPerSecond: 2 * MiB, serialReads: true });
    ({ dir, proxy } = bed);
    const data = randomBytes(12 * MiB + 5);
    await writeFile(join(dir, 'root', 'slow.bin'), data);
    const { connect } = sftpConnect(proxy.port, join(dir, 'state'));
    const fs = await connect({ protocol: 'sftp', host: '127.0.0.1', port: proxy.port, user: 'alice' });
    const local = join(dir, 'slow.bin');
    const seen: { at: number; size: number }[] = [];
    await fs.download('/slow.bin', local, { onProgress: (p) => seen.push({ at: p.transferred, size: statSync(local).size }) });
    await fs.close();
    expect(sameBytes(await readFile(local), data)).toBe(true);
    // The last 4 MiB take about 2 s and fill less than one 4 MiB buffer: without the timed
    // flush, progress would sit at the switch (8 MiB) until the end.
    const between = new Set(seen.filter((s) => s.at > 9 * MiB && s.at < data.length).map((s) => s.at));
    expect(between.size).toBeGreaterThanOrEqual(1);
    for (const s of seen) expect(s.size).toBeGreaterThanOrEqual(s.at);
  }, 30_000);
});
