import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFtpTestbed } from './ftp-engine-fixture';
import { sameBytes, startQueue } from './helpers';

const bed = useFtpTestbed();

describe('the engine over the FTP adapter (embedded ftp-srv, plain with consent)', () => {
  it('put -r then get -r round-trips a tree byte-exact', async () => {
    const { dir, connect } = bed;
    const target = bed.target();
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
