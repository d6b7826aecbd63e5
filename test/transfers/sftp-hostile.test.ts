import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHostileServer } from './hostile-sftp-server';
import { sftpConnect } from './sftp-engine-fixture';
import { startQueue, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  return out.sort();
}

describe('a hostile SFTP server', () => {
  it('cannot make a listing land files outside the target; honest files land', async () => {
    const server = await startHostileServer([
      { name: 'honest.txt', data: 'honest' },
      { name: '../x', data: 'EVIL1' },
      { name: 'a/../../x', data: 'EVIL2' },
      { name: '/abs/x', data: 'EVIL3' },
      { name: '..\\x', data: 'EVIL4' },
      { name: '..', data: 'EVIL5' },
      { name: 'also-honest.bin', data: 'fine' },
    ]);
    try {
      const { connect, target } = sftpConnect(server.port, join(dir, 'state'));
      const { queue } = await startQueue(join(dir, 'state'), connect);
      const out = join(dir, 'deep', 'inside', 'out');
      await queue.add({ requests: [{ direction: 'download', target, remotePath: '/h', localPath: out, recursive: true }] });
      await queue.whenIdle();
      const items = queue.snapshot().items;
      expect(items.filter((i) => i.state === 'done').map((i) => i.remotePath).sort()).toEqual(['/h/also-honest.bin', '/h/honest.txt']);
      expect(items.filter((i) => i.state === 'skipped' && i.error?.code === 'unsafe-path')).toHaveLength(4);
      await queue.close();
      // Everything written under the test folder: the two honest files and the queue's own state.
      const written = (await walk(dir)).filter((p) => !p.startsWith('state'));
      expect(written).toEqual([join('deep', 'inside', 'out', 'also-honest.bin'), join('deep', 'inside', 'out', 'honest.txt')]);
      expect(await readFile(join(out, 'honest.txt'), 'utf8')).toBe('honest');
      // The hostile names were never even opened.
      expect(server.opened.sort()).toEqual(['/h/also-honest.bin', '/h/honest.txt']);
    } finally {
      await server.close();
    }
  });
});
