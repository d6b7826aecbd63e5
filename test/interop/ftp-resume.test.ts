import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FtpRemoteFs } from '../../main/protocols/ftp/ftp-adapter';
import { INTEROP_MB, sha256File, vsftpdFs, writeRandomFile } from './harness/ftp-interop-helpers';
import { startVsftpd, vsftpdAvailable, type VsftpdInstance } from './harness/vsftpd-harness';

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
  const work = mkdtempSync(join(tmpdir(), 'ferry-ftp-resume-'));
  const big = join(work, 'big.bin');
  const total = INTEROP_MB * 1024 * 1024;
  let server: VsftpdInstance;
  let fs: FtpRemoteFs;
  let bigHash: string;

  beforeAll(async () => {
    server = await startVsftpd({ implicit });
    await writeRandomFile(big, INTEROP_MB);
    bigHash = await sha256File(big);
    fs = vsftpdFs(protocol, server.port, join(work, 'state'));
    await fs.connect();
  });

  afterAll(async () => {
    await fs?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Runs `transfer`, killing the server once a quarter of the file has moved. */
  async function interrupted(transfer: (onProgress: (p: { transferred: number }) => void) => Promise<number>): Promise<string> {
    let killing: Promise<void> | undefined;
    const code = await transfer((p) => {
      if (!killing && p.transferred > total / 4) killing = server.kill();
    }).then(
      () => 'finished',
      (err: { code?: string }) => err.code ?? 'unknown',
    );
    await killing;
    await server.restart();
    return code;
  }

  it('download resumes with REST from the bytes already on disk', async () => {
    const remote = join(server.pub, 'down.bin');
    const { copyFileSync } = await import('node:fs');
    copyFileSync(big, remote);
    const local = join(work, 'down.bin');
    const code = await interrupted((onProgress) => fs.download('/pub/down.bin', local, { onProgress }));
    expect(['connection-lost', 'timeout']).toContain(code);
    const offset = statSync(local).size;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(total);
    expect(await fs.download('/pub/down.bin', local, { offset })).toBe(total);
    expect(await sha256File(local)).toBe(bigHash);
  });

  it('upload resumes with SIZE + APPE from what the server holds', async () => {
    const code = await interrupted((onProgress) => fs.upload(big, '/pub/up.bin', { onProgress }));
    expect(['connection-lost', 'timeout']).toContain(code);
    const offset = (await fs.stat('/pub/up.bin')).size;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(total);
    expect(await fs.upload(big, '/pub/up.bin', { offset })).toBe(total);
    expect(await sha256File(join(server.pub, 'up.bin'))).toBe(bigHash);
  });
});
