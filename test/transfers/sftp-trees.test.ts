import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { sftpConnect } from './sftp-engine-fixture';
import { sameBytes, startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
let server: TestServer;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'root'));
  server = await startTestServer({ root: join(dir, 'root'), users: { alice: { password: 'secret' } } });
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

describe('folder trees over SFTP', () => {
  it('put -r then get -r round-trips a tree byte-exact; a second put overwrites through the server rename', async () => {
    const files = new Map<string, Buffer>();
    for (const p of ['a.txt', 'sub/b.bin', 'sub/deeper/c.bin', 'sub/deeper/d.txt']) files.set(p, randomBytes(1000 + p.length * 5000));
    files.set('big.bin', randomBytes(3 * 1024 * 1024));
    for (const [p, data] of files) {
      await mkdir(join(dir, 'src', p, '..'), { recursive: true });
      await writeFile(join(dir, 'src', p), data);
    }
    await mkdir(join(dir, 'src', 'empty'));
    const { connect, target } = sftpConnect(server.port, join(dir, 'state'));
    const { queue } = await startQueue(join(dir, 'state'), connect);
    await queue.add({ requests: [{ direction: 'upload', target, localPath: join(dir, 'src'), remotePath: '/tree', recursive: true }] });
    await queue.whenIdle();
    expect(queue.snapshot().items.map((i) => i.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    for (const [p, data] of files) expect(sameBytes(await readFile(join(dir, 'root', 'tree', p)), data), p).toBe(true);
    expect((await readdir(join(dir, 'root', 'tree'))).sort()).toEqual(['a.txt', 'big.bin', 'empty', 'sub']);

    // Overwrite: SFTP v3 rename refuses an existing target, so the old file is parked and dropped.
    await writeFile(join(dir, 'src', 'a.txt'), 'changed');
    await queue.add({ requests: [{ direction: 'upload', target, localPath: join(dir, 'src', 'a.txt'), remotePath: '/tree/a.txt', recursive: false, onExists: 'overwrite' }] });
    await queue.whenIdle();
    expect(await readFile(join(dir, 'root', 'tree', 'a.txt'), 'utf8')).toBe('changed');
    expect((await readdir(join(dir, 'root', 'tree'))).filter((n) => n.startsWith('.'))).toEqual([]);

    await queue.add({ requests: [{ direction: 'download', target, remotePath: '/tree', localPath: join(dir, 'back'), recursive: true }] });
    await queue.whenIdle();
    files.set('a.txt', Buffer.from('changed'));
    for (const [p, data] of files) expect(sameBytes(await readFile(join(dir, 'back', p)), data), p).toBe(true);
    expect(await readdir(join(dir, 'back', 'empty'))).toEqual([]);
    await queue.close();
  });
});
