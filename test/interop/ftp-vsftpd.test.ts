import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTEROP_MB, sha256File, vsftpdFixture, vsftpdFs, writeRandomFile } from './harness/ftp-interop-helpers';
import { vsftpdAvailable } from './harness/vsftpd-harness';

const available = vsftpdAvailable();

describe.skipIf(!available).each([
  { implicit: false, protocol: 'ftpes' as const },
  { implicit: true, protocol: 'ftps' as const },
])('vsftpd (require_ssl_reuse=YES), implicit=$implicit', ({ implicit, protocol }) => {
  const f = vsftpdFixture(implicit, protocol, 'ferry-ftp-interop-');
  beforeAll(() => f.setUp());
  afterAll(() => f.tearDown());

  it('lists, creates and removes', async () => {
    const { fs } = f;
    expect(await fs.home()).toBe('/');
    expect((await fs.list('/')).map((e) => `${e.type}:${e.name}`)).toContain('dir:pub');
    await fs.mkdir('/pub/a/b', { recursive: true });
    await fs.rename('/pub/a/b', '/pub/a/c');
    expect((await fs.list('/pub/a')).map((e) => e.name)).toEqual(['c']);
    await fs.removeDir('/pub/a', { recursive: true });
    expect(await fs.stat('/pub/a').catch((e: { code: string }) => e.code)).toBe('no-such-file');
  });

  it('negotiates AES-128-GCM, which Ferry offers first and vsftpd takes (its encryption limits a transfer)', async () => {
    const lines: string[] = [];
    const fs = vsftpdFs(protocol, f.server.port, join(f.work, 'state-cipher'), true, lines);
    await fs.connect();
    await fs.close();
    expect(lines.find((l) => l.startsWith('TLS '))).toMatch(/^TLS TLSv1\.3 TLS_AES_128_GCM_SHA256;/);
  });

  it(`uploads and downloads ${INTEROP_MB} MiB byte-exact over TLS data connections`, async () => {
    const { fs, server } = f;
    const up = await fs.upload(f.big, '/pub/big.bin');
    expect(up).toBe(INTEROP_MB * 1024 * 1024);
    expect(statSync(join(server.pub, 'big.bin')).size).toBe(up);
    expect(await sha256File(join(server.pub, 'big.bin'))).toBe(f.bigHash);
    expect((await fs.stat('/pub/big.bin')).size).toBe(up);
    const back = join(f.work, 'back.bin');
    expect(await fs.download('/pub/big.bin', back)).toBe(up);
    expect(await sha256File(back)).toBe(f.bigHash);
  });

  it('runs several transfers at once on its pool (each data connection resumes the TLS session)', async () => {
    const { fs } = f;
    const small = join(f.work, 'small.bin');
    await writeRandomFile(small, 16);
    const smallHash = await sha256File(small);
    const names = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    await Promise.all(names.map((n) => fs.upload(small, `/pub/${n}.bin`)));
    await Promise.all(names.map((n) => fs.download(`/pub/${n}.bin`, join(f.work, `${n}.bin`))));
    for (const n of names) expect(await sha256File(join(f.work, `${n}.bin`))).toBe(smallHash);
  });

  it('works in active mode too: the server connects back, TLS session resumed (32 MiB both ways)', async () => {
    const active = vsftpdFs(protocol, f.server.port, join(f.work, 'state'), false);
    await active.connect();
    try {
      const file = join(f.work, 'active.bin');
      await writeRandomFile(file, 32);
      const hash = await sha256File(file);
      expect(await active.upload(file, '/pub/active.bin')).toBe(32 * 1024 * 1024);
      expect((await active.list('/pub')).some((e) => e.name === 'active.bin')).toBe(true);
      const back = join(f.work, 'active-back.bin');
      expect(await active.download('/pub/active.bin', back)).toBe(32 * 1024 * 1024);
      expect(await sha256File(back)).toBe(hash);
      await active.removeFile('/pub/active.bin');
    } finally {
      await active.close();
    }
  });
});
