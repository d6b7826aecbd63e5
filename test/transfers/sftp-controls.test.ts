import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResetProxy } from './reset-proxy';
import { sftpConnect, startSftpTestbed, type SftpTestbed } from './sftp-engine-fixture';
import { sameBytes, startQueue, until } from './helpers';

const MiB = 1024 * 1024;
let bed: SftpTestbed;
let dir: string;
let proxy: ResetProxy;

beforeEach(async () => {
  bed = await startSftpTestbed({ bytesPerSecond: 2 * MiB });
  ({ dir, proxy } = bed);
});
afterEach(async () => bed.close());

describe('queue controls over real SFTP', () => {
  it('pause keeps the partial file and resume finishes byte-exact; cancel leaves nothing behind', async () => {
    // Big enough that neither can finish before the controls land, even when one connection's
    // handshake is slow on a busy machine and the proxy lets it catch up in a burst.
    const keep = randomBytes(12 * MiB);
    const drop = randomBytes(16 * MiB);
    await writeFile(join(dir, 'root', 'keep.bin'), keep);
    await writeFile(join(dir, 'root', 'drop.bin'), drop);
    const { connect, target } = sftpConnect(proxy.port, join(dir, 'state'));
    const { queue } = await startQueue(join(dir, 'state'), connect);
    const out = join(dir, 'out');
    await mkdir(out);
    const { jobIds } = await queue.add({
      requests: ['keep', 'drop'].map((n) => ({ direction: 'download' as const, target, remotePath: `/${n}.bin`, localPath: join(out, `${n}.bin`), recursive: false })),
    });
    await until(() => queue.snapshot().items.length === 2 && queue.snapshot().items.every((i) => i.transferred > 256 * 1024), 20_000);
    expect(queue.snapshot().items.map((i) => i.state)).toEqual(['active', 'active']);
    const t0 = Date.now();
    await queue.pause({ ids: [jobIds[0]!] });
    await queue.cancel({ ids: [jobIds[1]!] });
    await queue.whenIdle();
    expect(Date.now() - t0).toBeLessThan(4000);
    expect((await readdir(out)).sort()).toEqual(['.keep.bin.ferry-part']);
    expect(queue.snapshot().items.map((i) => i.state).sort()).toEqual(['cancelled', 'queued']);
    await queue.resume({ ids: [jobIds[0]!] });
    await until(() => queue.snapshot().totals.done === 1, 20_000);
    expect(sameBytes(await readFile(join(out, 'keep.bin')), keep)).toBe(true);
    expect((await readdir(out)).sort()).toEqual(['keep.bin']);
    await queue.close();
  });
});
