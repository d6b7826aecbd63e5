import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../main/core/logger';
import { FtpRemoteFs } from '../../../main/protocols/ftp/ftp-adapter';
import type { Protocol } from '../../../shared/model/connection';
import { startVsftpd, type VsftpdInstance } from './vsftpd-harness';

/** Size of the big interop files, MiB (FERRY_INTEROP_MB, default 256). */
export const INTEROP_MB = Number(process.env.FERRY_INTEROP_MB ?? 256);

/** Writes `mb` MiB of random bytes to `path`. */
export async function writeRandomFile(path: string, mb: number): Promise<void> {
  const fh = await open(path, 'w');
  try {
    for (let i = 0; i < mb; i += 8) await fh.write(randomBytes(Math.min(8, mb - i) * 1024 * 1024));
  } finally {
    await fh.close();
  }
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** An anonymous FtpRemoteFs to a local vsftpd, trusting its certificate on first sight. */
export function vsftpdFs(protocol: Protocol, port: number, stateDir: string, passive = true, lines?: string[]): FtpRemoteFs {
  return new FtpRemoteFs({
    target: { protocol, host: '127.0.0.1', port, ...(passive ? {} : { passive: false }) },
    stateDir,
    prompter: { ask: async () => null },
    acceptNew: true,
    logger: createLogger({ write: (l) => lines?.push(l.text) }),
    timeouts: { connectMs: 10_000, tlsMs: 10_000, loginMs: 10_000, commandMs: 20_000, idleMs: 15_000 },
  });
}

/** What a vsftpd interop suite works with; filled in by setUp(). */
export interface VsftpdFixture {
  /** Per-run folder, made by setUp() (not at collection time: a skipped suite leaves nothing). */
  work: string;
  /** A local random file of INTEROP_MB MiB and its SHA-256. */
  big: string;
  bigHash: string;
  server: VsftpdInstance;
  fs: FtpRemoteFs;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

/** A vsftpd (explicit or implicit TLS), a big random local file and a connected RemoteFs. */
export function vsftpdFixture(implicit: boolean, protocol: Protocol, prefix: string): VsftpdFixture {
  const f: VsftpdFixture = {
    work: '',
    big: '',
    bigHash: '',
    server: undefined as unknown as VsftpdInstance,
    fs: undefined as unknown as FtpRemoteFs,
    async setUp() {
      f.work = mkdtempSync(join(tmpdir(), prefix));
      f.big = join(f.work, 'big.bin');
      f.server = await startVsftpd({ implicit });
      await writeRandomFile(f.big, INTEROP_MB);
      f.bigHash = await sha256File(f.big);
      f.fs = vsftpdFs(protocol, f.server.port, join(f.work, 'state'));
      await f.fs.connect();
    },
    async tearDown() {
      await f.fs?.close();
      await f.server?.stop();
      if (f.work) rmSync(f.work, { recursive: true, force: true });
    },
  };
  return f;
}
