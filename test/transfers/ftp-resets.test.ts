import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFtpTestbed } from './ftp-engine-fixture';
import { sameBytes, startQueue } from './helpers';

const MiB = 1024 * 1024;
const bed = useFtpTestbed();

/** Waits until `path` holds more than `bytes`, then restarts the server (every connection drops). */
async function restartOnceBeyond(path: string, bytes: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) <= bytes) {
    if (Date.now() > deadline) throw new Error(`${path} never passed ${bytes} bytes`);
    await new Promise((r) => setTimeout(r, 2));
  }
  await bed.restart();
}

describe('the engine over FTP when every connection drops mid-file', () => {
  it('resumes an upload from what the server holds', async () => {
    const { dir, connect } = bed;
    const data = randomBytes(96 * MiB);
    await writeFile(join(dir, 'up.bin'), data);
    const { queue, lines } = await startQueue(join(dir, 'state'), connect, { retries: 4 });
    await queue.add({ requests: [{ direction: 'upload', target: bed.target(), localPath: join(dir, 'up.bin'), remotePath: '/up.bin', recursive: false }] });
    await restartOnceBeyond(join(dir, 'root', '.up.bin.ferry-part'), 60 * MiB);
    await queue.whenIdle();
    const item = queue.snapshot().items[0]!;
    expect([item.state, item.error?.message]).toEqual(['done', undefined]);
    expect(sameBytes(await readFile(join(dir, 'root', 'up.bin')), data)).toBe(true);
    expect(await readdir(join(dir, 'root'))).toEqual(['up.bin']);
    // Appended to what the server held (APPE), not sent again from the start.
    expect(lines.some((l) => /retry 1/.test(l.text))).toBe(true);
    expect(lines.find((l) => l.text.startsWith('uploaded'))?.text).toMatch(/resumed at (6\d|7\d|8\d)\.\d MiB/);
    await queue.close();
  });

  it('resumes a download from the bytes in the file', async () => {
    const { dir, connect } = bed;
    const data = randomBytes(96 * MiB);
    await writeFile(join(dir, 'root', 'down.bin'), data);
    const { queue, lines } = await startQueue(join(dir, 'state'), connect, { retries: 4 });
    await queue.add({ requests: [{ direction: 'download', target: bed.target(), remotePath: '/down.bin', localPath: join(dir, 'down.bin'), recursive: false }] });
    await restartOnceBeyond(join(dir, '.down.bin.ferry-part'), 60 * MiB);
    await queue.whenIdle();
    const item = queue.snapshot().items[0]!;
    expect([item.state, item.error?.message]).toEqual(['done', undefined]);
    expect(sameBytes(await readFile(join(dir, 'down.bin')), data)).toBe(true);
    expect((await readdir(dir)).filter((n) => n.includes('ferry-part'))).toEqual([]);
    expect(lines.some((l) => /retry 1/.test(l.text))).toBe(true);
    expect(lines.find((l) => l.text.startsWith('downloaded'))?.text).toMatch(/resumed at (6\d|7\d|8\d)\.\d MiB/);
    await queue.close();
  });
});
