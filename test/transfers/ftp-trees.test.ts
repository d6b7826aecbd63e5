import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { ConnectFn } from '../../main/transfers/connection-pool';
import { makeFs, recordingPrompter } from '../protocols/ftp/helpers/adapter-fixture';
import { startEmbeddedFtp, type EmbeddedServer } from '../protocols/ftp/helpers/embedded-ftp-server';
import { sameBytes, startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
let server: EmbeddedServer;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'root'));
  server = await startEmbeddedFtp(join(dir, 'root'), 'plain');
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

describe('the engine over the FTP adapter (embedded ftp-srv, plain with consent)', () => {
  it('put -r then get -r round-trips a tree byte-exact', async () => {
    const target: ConnectionTarget = { protocol: 'ftp', host: '127.0.0.1', port: server.port, user: 'alice' };
    const connect: ConnectFn = async () => {
      const { fs } = makeFs({ protocol: 'ftp', port: server.port, stateDir: join(dir, 'state'), prompter: recordingPrompter({}), allowPlain: true, timeouts: { connectMs: 5000, tlsMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 5000 } });
      await fs.connect();
      return fs;
    };
    const files = new Map<string, Buffer>([
      ['a.txt', randomBytes(500)],
      ['sub/b.bin', randomBytes(300_000)],
      ['sub/deeper/c.bin', randomBytes(1_500_000)],
    ]);
    for (const [p, data] of files) {
      await mkdir(join(dir, 'src', p, '..'), { recursive: true });
      await writeFile(join(dir, 'src', p), data);
    }
    const { queue } = await startQueue(join(dir, 'state'), connect, { parallel: 2 });
    await queue.add({ requests: [{ direction: 'upload', target, localPath: join(dir, 'src'), remotePath: '/tree', recursive: true }] });
    await queue.whenIdle();
    const up = queue.snapshot().items;
    expect(up.map((i) => [i.localPath.slice(dir.length), i.state, i.error?.message])).toEqual(up.map((i) => [i.localPath.slice(dir.length), 'done', undefined]));
    for (const [p, data] of files) expect(sameBytes(await readFile(join(dir, 'root', 'tree', p)), data), p).toBe(true);

    await queue.add({ requests: [{ direction: 'download', target, remotePath: '/tree', localPath: join(dir, 'back'), recursive: true }] });
    await queue.whenIdle();
    for (const [p, data] of files) expect(sameBytes(await readFile(join(dir, 'back', p)), data), p).toBe(true);
    expect((await readdir(join(dir, 'root', 'tree'))).filter((n) => n.includes('ferry'))).toEqual([]);
    await queue.close();
  });
});
