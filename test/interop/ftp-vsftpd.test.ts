import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FtpRemoteFs } from '../../main/protocols/ftp/ftp-adapter';
import { INTEROP_MB, sha256File, vsftpdFs, writeRandomFile } from './harness/ftp-interop-helpers';
import { startVsftpd, vsftpdAvailable, type VsftpdInstance } from './harness/vsftpd-harness';

const available = vsftpdAvailable();

describe.skipIf(!available).each([
  { implicit: false, protocol: 'ftpes' as const },
  { implicit: true, protocol: 'ftps' as const },
])('vsftpd (require_ssl_reuse=YES), implicit=$implicit', ({ implicit, protocol }) => {
  const work = mkdtempSync(join(tmpdir(), 'ferry-ftp-interop-'));
  const big = join(work, 'big.bin');
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

  it('lists, creates and removes', async () => {
    expect(await fs.home()).toBe('/');
    expect((await fs.list('/')).map((e) => `${e.type}:${e.name}`)).toContain('dir:pub');
    await fs.mkdir('/pub/a/b', { recursive: true });
    await fs.rename('/pub/a/b', '/pub/a/c');
    expect((await fs.list('/pub/a')).map((e) => e.name)).toEqual(['c']);
    await fs.removeDir('/pub/a', { recursive: true });
    expect(await fs.stat('/pub/a').catch((e: { code: string }) => e.code)).toBe('no-such-file');
  });

  it(`uploads and downloads ${INTEROP_MB} MiB byte-exact over TLS data connections`, async () => {
    const up = await fs.upload(big, '/pub/big.bin');
    expect(up).toBe(INTEROP_MB * 1024 * 1024);
    expect(statSync(join(server.pub, 'big.bin')).size).toBe(up);
    expect(await sha256File(join(server.pub, 'big.bin'))).toBe(bigHash);
    expect((await fs.stat('/pub/big.bin')).size).toBe(up);
    const back = join(work, 'back.bin');
    expect(await fs.download('/pub/big.bin', back)).toBe(up);
    expect(await sha256File(back)).toBe(bigHash);
  });

  it('runs several transfers at once on its pool (each data connection resumes the TLS session)', async () => {
    const small = join(work, 'small.bin');
    await writeRandomFile(small, 16);
    const smallHash = await sha256File(small);
    const names = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    await Promise.all(names.map((n) => fs.upload(small, `/pub/${n}.bin`)));
    await Promise.all(names.map((n) => fs.download(`/pub/${n}.bin`, join(work, `${n}.bin`))));
    for (const n of names) expect(await sha256File(join(work, `${n}.bin`))).toBe(smallHash);
  });
});
