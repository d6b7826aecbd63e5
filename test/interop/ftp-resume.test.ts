import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTEROP_MB, sha256File, vsftpdFixture } from './harness/ftp-interop-helpers';
import { vsftpdAvailable } from './harness/vsftpd-harness';

const available = vsftpdAvailable();

/**
 * The server process (and its session processes) is killed with SIGKILL part-way through a
 * transfer, restarted, and the transfer resumed from what arrived: REST for downloads, SIZE +
 * APPE for uploads. The same RemoteFs is used throughout: its pool reconnects on its own.
 */
describe.skipIf(!available).each([
  { implicit: false, protocol: 'ftpes' as const },
  { implicit: true, protocol: 'ftps' as const },
])('resume after vsftpd is killed mid-transfer, implicit=$implicit', ({ implicit, protocol }) => {
  const f = vsftpdFixture(implicit, protocol, 'ferry-ftp-resume-');
  const total = INTEROP_MB * 1024 * 1024;
  beforeAll(() => f.setUp());
  afterAll(() => f.tearDown());

  /** Runs `transfer`, killing the server once a quarter of the file has moved, then restarts it. */
  async function interrupted(transfer: (onProgress: (p: { transferred: number }) => void) => Promise<number>): Promise<string> {
    let killing: Promise<void> | undefined;
    const code = await transfer((p) => {
      if (!killing && p.transferred > total / 4) killing = f.server.kill();
    }).then(
      () => 'finished',
      (err: { code?: string }) => err.code ?? 'unknown',
    );
    await killing;
    await f.server.restart();
    return code;
  }

  it('download resumes with REST from the bytes already on disk', async () => {
    copyFileSync(f.big, join(f.server.pub, 'down.bin'));
    const local = join(f.work, 'down.bin');
    const code = await interrupted((onProgress) => f.fs.download('/pub/down.bin', local, { onProgress }));
    expect(['connection-lost', 'timeout']).toContain(code);
    const offset = statSync(local).size;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(total);
    expect(await f.fs.download('/pub/down.bin', local, { offset })).toBe(total);
    expect(await sha256File(local)).toBe(f.bigHash);
  });

  it('upload resumes with SIZE + APPE from what the server holds', async () => {
    const code = await interrupted((onProgress) => f.fs.upload(f.big, '/pub/up.bin', { onProgress }));
    expect(['connection-lost', 'timeout']).toContain(code);
    const offset = (await f.fs.stat('/pub/up.bin')).size;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(total);
    expect(await f.fs.upload(f.big, '/pub/up.bin', { offset })).toBe(total);
    expect(await sha256File(join(f.server.pub, 'up.bin'))).toBe(f.bigHash);
  });
});
