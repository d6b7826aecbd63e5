import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '../../../shared/model/connection';
import type { FtpRemoteFs } from '../../../main/protocols/ftp/ftp-adapter';
import { errorCode, makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { startEmbeddedFtp, type EmbeddedMode, type EmbeddedServer } from './helpers/embedded-ftp-server';
import { makeSelfSignedCert, makeTempDir } from './helpers/temp-dir';

const TIMEOUTS = { connectMs: 5000, tlsMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 5000 };

const modes: { mode: EmbeddedMode; protocol: Protocol }[] = [
  { mode: 'plain', protocol: 'ftp' },
  { mode: 'explicit', protocol: 'ftpes' },
  { mode: 'implicit', protocol: 'ftps' },
];

describe.each(modes)('embedded ftp-srv, $mode', ({ mode, protocol }) => {
  const big = randomBytes(2 * 1024 * 1024 + 123);
  let tmp: ReturnType<typeof makeTempDir>;
  let root: string;
  let local: string;
  let srv: EmbeddedServer;
  let fs: FtpRemoteFs;

  beforeAll(async () => {
    tmp = makeTempDir();
    root = join(tmp.path, 'root');
    local = join(tmp.path, 'local');
    mkdirSync(join(root, 'docs', 'deep'), { recursive: true });
    mkdirSync(local);
    writeFileSync(join(root, 'hello.txt'), 'hello world\n');
    writeFileSync(join(root, 'big.bin'), big);
    writeFileSync(join(root, 'docs', 'deep', 'x.txt'), 'x');
    const cert = makeSelfSignedCert(tmp.path);
    srv = await startEmbeddedFtp(root, mode, cert);
    const prompter = recordingPrompter({ certificate: 'trust-once' });
    fs = makeFs({ protocol, port: srv.port, stateDir: join(tmp.path, 'state'), prompter, allowPlain: mode === 'plain', timeouts: TIMEOUTS, adapter: { transferConnections: 2 } }).fs;
    await fs.connect();
  });

  afterAll(async () => {
    await fs?.close();
    await srv?.close();
    tmp?.remove();
  });

  it('lists, stats and reports the home folder', async () => {
    expect(fs.connected).toBe(true);
    expect(await fs.home()).toBe('/');
    const names = (await fs.list('/')).map((e) => `${e.type}:${e.name}`).sort();
    expect(names).toEqual(expect.arrayContaining(['dir:docs', 'file:big.bin', 'file:hello.txt']));
    const st = await fs.stat('/hello.txt');
    expect(st).toMatchObject({ name: 'hello.txt', type: 'file', size: 12 });
    expect(st.mtime).toBeTypeOf('number');
    expect((await fs.stat('/docs')).type).toBe('dir');
    expect(await errorCode(fs.stat('/missing.txt'))).toBe('no-such-file');
    expect(await errorCode(fs.list('/missing'))).toBe('no-such-file');
  });

  it('downloads and uploads byte-exact, with progress', async () => {
    const progress: number[] = [];
    const dest = join(local, 'big.bin');
    const size = await fs.download('/big.bin', dest, { onProgress: (p) => progress.push(p.transferred) });
    expect(size).toBe(big.length);
    expect(readFileSync(dest).equals(big)).toBe(true);
    expect(progress.at(-1)).toBe(big.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const up = randomBytes(1024 * 1024 + 7);
    writeFileSync(join(local, 'up.bin'), up);
    expect(await fs.upload(join(local, 'up.bin'), '/up.bin')).toBe(up.length);
    expect(readFileSync(join(root, 'up.bin')).equals(up)).toBe(true);
  });

  it('resumes a download (REST) after cutting the local file to the offset', async () => {
    const dest = join(local, 'resume.bin');
    const offset = 700_001;
    writeFileSync(dest, Buffer.concat([big.subarray(0, offset), Buffer.from('garbage beyond the offset')]));
    const size = await fs.download('/big.bin', dest, { offset });
    expect(size).toBe(big.length);
    expect(readFileSync(dest).equals(big)).toBe(true);
  });

  it('replaces a longer local file when downloading from offset 0, and keeps an exact-size prefix untouched', async () => {
    const dest = join(local, 'over.bin');
    writeFileSync(dest, Buffer.concat([randomBytes(big.length), Buffer.from('tail past the new end')]));
    expect(await fs.download('/big.bin', dest)).toBe(big.length);
    expect(readFileSync(dest).equals(big)).toBe(true);
    // Already the offset's size: nothing is cut, the rest is appended.
    const offset = 123_457;
    writeFileSync(dest, big.subarray(0, offset));
    expect(await fs.download('/big.bin', dest, { offset })).toBe(big.length);
    expect(readFileSync(dest).equals(big)).toBe(true);
  });

  it('downloads a big file byte-exact past the switch to direct writes, fresh and resumed at an odd offset', async () => {
    const huge = randomBytes(13 * 1024 * 1024 + 321);
    writeFileSync(join(root, 'huge.bin'), huge);
    const dest = join(local, 'huge.bin');
    const progress: number[] = [];
    const onDisk: number[] = [];
    const size = await fs.download('/huge.bin', dest, {
      onProgress: (p) => {
        progress.push(p.transferred);
        onDisk.push(statSync(dest).size);
      },
    });
    expect(size).toBe(huge.length);
    expect(readFileSync(dest).equals(huge)).toBe(true);
    expect(progress.at(-1)).toBe(huge.length);
    // Progress counts bytes in the file, never bytes still staged in memory.
    progress.forEach((t, i) => expect(onDisk[i]).toBeGreaterThanOrEqual(t));
    const offset = 2 * 1024 * 1024 + 5;
    writeFileSync(dest, huge.subarray(0, offset));
    expect(await fs.download('/huge.bin', dest, { offset })).toBe(huge.length);
    expect(readFileSync(dest).equals(huge)).toBe(true);
  });

  it('resumes an upload (SIZE + APPE)', async () => {
    const data = randomBytes(900_000);
    const offset = 300_000;
    writeFileSync(join(local, 'append.bin'), data);
    writeFileSync(join(root, 'append.bin'), data.subarray(0, offset));
    expect(await fs.upload(join(local, 'append.bin'), '/append.bin', { offset })).toBe(data.length);
    expect(readFileSync(join(root, 'append.bin')).equals(data)).toBe(true);
    writeFileSync(join(root, 'short.bin'), data.subarray(0, 10));
    expect(await errorCode(fs.upload(join(local, 'append.bin'), '/short.bin', { offset }))).toBe('invalid-request');
  });

  it('creates, renames and removes files and folder trees', async () => {
    await fs.mkdir('/made/a/b', { recursive: true });
    expect(statSync(join(root, 'made', 'a', 'b')).isDirectory()).toBe(true);
    await fs.mkdir('/made/a/b', { recursive: true });
    expect(await errorCode(fs.mkdir('/made/a/b'))).toBe('already-exists');
    writeFileSync(join(root, 'made', 'a', 'f.txt'), 'f');
    await fs.rename('/made/a/f.txt', '/made/g.txt');
    expect(existsSync(join(root, 'made', 'g.txt'))).toBe(true);
    await fs.removeFile('/made/g.txt');
    expect(existsSync(join(root, 'made', 'g.txt'))).toBe(false);
    writeFileSync(join(root, 'made', 'a', 'b', 'z.txt'), 'z');
    await fs.removeDir('/made', { recursive: true });
    expect(existsSync(join(root, 'made'))).toBe(false);
    expect(await errorCode(fs.removeFile('/made/none.txt'))).toBe('no-such-file');
  });

  it('runs overlapping transfers on its pool and queues the rest', async () => {
    const jobs = Array.from({ length: 6 }, (_, i) => fs.download('/big.bin', join(local, `par-${i}.bin`)));
    const listing = fs.list('/docs');
    expect((await listing).map((e) => e.name)).toEqual(['deep']);
    expect(await Promise.all(jobs)).toEqual(Array(6).fill(big.length));
    for (let i = 0; i < 6; i++) expect(readFileSync(join(local, `par-${i}.bin`)).equals(big)).toBe(true);
  });
});

describe('embedded ftp-srv, failures', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let srv: EmbeddedServer;
  beforeAll(async () => {
    tmp = makeTempDir();
    mkdirSync(join(tmp.path, 'root'));
    srv = await startEmbeddedFtp(join(tmp.path, 'root'), 'plain');
  });
  afterAll(async () => {
    await srv?.close();
    tmp?.remove();
  });

  it('a wrong password is auth-failed and the password never reaches the log', async () => {
    const { fs, lines } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp.path, 'state'), prompter: recordingPrompter({}), allowPlain: true, password: 'wrong-pass-42', timeouts: TIMEOUTS });
    expect(await errorCode(fs.connect())).toBe('auth-failed');
    expect(lines.some((l) => l.level === 'command' && l.text === 'PASS ***')).toBe(true);
    expect(lines.some((l) => l.text.includes('wrong-pass-42'))).toBe(false);
  });

  it('SITE CHMOD changes the mode', async () => {
    writeFileSync(join(tmp.path, 'root', 'm.txt'), 'm');
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp.path, 'state'), prompter: recordingPrompter({}), allowPlain: true, timeouts: TIMEOUTS });
    await fs.connect();
    try {
      await fs.chmod('/m.txt', 0o640);
      expect(statSync(join(tmp.path, 'root', 'm.txt')).mode & 0o777).toBe(0o640);
      expect((await fs.stat('/m.txt')).mode).toBe(0o640);
    } finally {
      await fs.close();
    }
  });

  it('calls after close() fail cleanly and close() is safe twice', async () => {
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp.path, 'state'), prompter: recordingPrompter({}), allowPlain: true, timeouts: TIMEOUTS });
    await fs.connect();
    await fs.close();
    await fs.close();
    expect(fs.connected).toBe(false);
    expect(await errorCode(fs.list('/'))).toBe('invalid-request');
  });
});
