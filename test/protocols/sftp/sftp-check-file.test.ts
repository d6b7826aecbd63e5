import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFileAlgorithms, parseCheckFileAnswer } from '../../../main/protocols/sftp/check-file';
import type { SftpRemoteFs } from '../../../main/protocols/sftp/sftp-adapter';
import { download, startQueue } from '../../transfers/helpers';
import type { CheckFileOptions } from './helpers/check-file-server';
import { adapterFor, makeDirs, randomFile, type Dirs } from './helpers/sftp-fixture';
import { startTestServer, type TestServer } from './helpers/test-ssh-server';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function serve(checkFile?: CheckFileOptions, commandMs = 5000): Promise<{ dirs: Dirs; server: TestServer; fs: SftpRemoteFs }> {
  const dirs = await makeDirs();
  cleanup.push(() => dirs.cleanup());
  const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, ...(checkFile ? { sftp: { checkFile } } : {}) });
  cleanup.push(() => server.close());
  const fs = adapterFor(server.port, dirs, { timeouts: { connectMs: 5000, loginMs: 5000, commandMs, idleMs: 5000 } });
  await fs.connect();
  cleanup.push(() => fs.close());
  return { dirs, server, fs };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('SFTP check-file', () => {
  it('reads the offered algorithms from the VERSION extension, in order of preference', () => {
    expect(checkFileAlgorithms(undefined)).toEqual([]);
    expect(checkFileAlgorithms({ 'posix-rename@openssh.com': '1' })).toEqual([]);
    expect(checkFileAlgorithms({ 'check-file': 'md5,sha1,SHA256' })).toEqual(['sha256', 'sha1', 'md5']);
    expect(checkFileAlgorithms({ 'check-file': 'crc32' })).toEqual([]);
    expect(checkFileAlgorithms({ 'check-file': '' })).toEqual(['sha256']);
  });

  it('refuses a reply to another request and a truncated one', () => {
    const reply = (id: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([201, 0, 0, 0, id]), body]);
    expect(() => parseCheckFileAnswer(reply(7, Buffer.alloc(0)), 1, '/f', 'sha256')).toThrow(/did not send/);
    expect(() => parseCheckFileAnswer(reply(1, Buffer.from([0, 0, 0, 9, 1])), 1, '/f', 'sha256')).toThrow(/truncated/);
  });

  it('hashes a file on the server when offered, and says no when not', async () => {
    const { dirs, fs } = await serve({ announce: 'md5,sha256' });
    const content = await randomFile(join(dirs.root, 'a.bin'), 300_000);
    expect(fs.capabilities().hashes).toEqual(['sha256', 'md5']);
    expect(await fs.hash('/a.bin', 'sha256')).toBe(sha256(content));
    expect(await fs.hash('/a.bin', 'md5')).toBe(createHash('md5').update(content).digest('hex'));
    expect(await fs.hash('/a.bin', 'sha512')).toBeUndefined();
    await expect(fs.hash('/missing.bin', 'sha256')).rejects.toMatchObject({ code: 'no-such-file' });
    // The transfer channel still works after the hash channels came and went.
    await fs.download('/a.bin', join(dirs.local, 'a.bin'));
    expect((await readFile(join(dirs.local, 'a.bin'))).equals(content)).toBe(true);

    const plain = await serve();
    await writeFile(join(plain.dirs.root, 'b.bin'), 'b');
    expect(plain.fs.capabilities().hashes).toEqual([]);
    expect(await plain.fs.hash('/b.bin', 'sha256')).toBeUndefined();
  });

  it('accepts a reply without the leading "check-file" string, and answers "unsupported" with undefined', async () => {
    const { dirs, fs } = await serve({ announce: '', bareReply: true, computes: ['sha256'] });
    const content = await randomFile(join(dirs.root, 'c.bin'), 1000);
    expect(await fs.hash('/c.bin', 'sha256')).toBe(sha256(content));
    const md5Only = await serve({ announce: '', computes: ['md5'] });
    await writeFile(join(md5Only.dirs.root, 'd.bin'), 'd');
    expect(await md5Only.fs.hash('/d.bin', 'sha256')).toBeUndefined();
  });

  it('gives up on a server that never answers, within the deadline', async () => {
    const { dirs, fs } = await serve({ announce: 'sha256', silent: true }, 150);
    await writeFile(join(dirs.root, 'e.bin'), 'e');
    const t = Date.now();
    await expect(fs.hash('/e.bin', 'sha256')).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t).toBeLessThan(5000);
    expect(fs.connected).toBe(true);
  });

  it('the transfer queue reports a verified hash, and fails a copy whose hash differs', async () => {
    for (const corrupt of [false, true]) {
      const { dirs, server } = await serve({ announce: 'sha256', corrupt });
      await randomFile(join(dirs.root, 'q.bin'), 200_000);
      const { queue } = await startQueue(join(dirs.base, `queue-${corrupt}`), async () => {
        const fs = adapterFor(server.port, dirs);
        await fs.connect();
        return fs;
      }, { retries: 0 });
      await queue.add({ requests: [download('/q.bin', join(dirs.local, `q-${corrupt}.bin`), { recursive: false })] });
      await queue.whenIdle();
      const item = queue.snapshot().items[0]!;
      await queue.close();
      if (corrupt) expect(item).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/sha256 of \/q.bin differs/) } });
      else expect(item).toMatchObject({ state: 'done', verification: 'sha256 verified' });
    }
  });
});
