import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../main/cli/cli-args';
import { createCliContext } from '../../main/cli/cli-context';
import { getCommand, putCommand } from '../../main/cli/commands/transfer-commands';
import { FerryError } from '../../main/core/ferry-error';
import { FakeRemoteFs, FakeServer } from './fake-remote-fs';
import { bytes, sameBytes, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

function cli(argv: string[], server: FakeServer, opts: { stderrTty?: boolean } = {}) {
  const command = parseCliArgs([...argv, '--state-dir', join(dir, 'state')]);
  if (command.kind !== 'get' && command.kind !== 'put') throw new Error('not a transfer');
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: opts.stderrTty === true });
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const ctx = createCliContext(command.options, { stdout, stderr, stdin: new PassThrough(), interactive: false, env: {} });
  const deps = { createRemoteFs: async (o: { target: FakeRemoteFs['target'] }) => new FakeRemoteFs(server, o.target) };
  const run = command.kind === 'get' ? () => getCommand(ctx, command.url, command.local, deps) : () => putCommand(ctx, command.local, command.url, deps);
  return { run, out: () => out, err: () => err };
}

describe('ferry get/put through the engine', () => {
  it('get -r into a missing folder makes it the copy; into an existing one puts the copy inside', async () => {
    const server = new FakeServer();
    server.addFile('/srv/tree/a.txt', 'a');
    server.addFile('/srv/tree/sub/b.bin', bytes(70_000, 1));
    expect(await cli(['get', '-r', 'sftp://h/srv/tree', join(dir, 'copy')], server).run()).toBe(0);
    expect(await readFile(join(dir, 'copy', 'a.txt'), 'utf8')).toBe('a');
    expect(sameBytes(await readFile(join(dir, 'copy', 'sub', 'b.bin')), bytes(70_000, 1))).toBe(true);
    await mkdir(join(dir, 'existing'));
    expect(await cli(['get', '-r', 'sftp://h/srv/tree', join(dir, 'existing')], server).run()).toBe(0);
    expect(await readFile(join(dir, 'existing', 'tree', 'a.txt'), 'utf8')).toBe('a');
    // Finished: the per-command journal is gone.
    expect((await readdir(join(dir, 'state', 'transfers'))).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  });

  it('put -r mirrors get, and a single put into a folder keeps its name', async () => {
    const server = new FakeServer();
    server.mkdirp('/dst');
    await mkdir(join(dir, 'src', 'in'), { recursive: true });
    await writeFile(join(dir, 'src', 'in', 'x.txt'), 'x');
    await writeFile(join(dir, 'one.txt'), 'one');
    expect(await cli(['put', '-r', join(dir, 'src'), 'sftp://h/dst'], server).run()).toBe(0);
    expect(server.file('/dst/src/in/x.txt')?.toString()).toBe('x');
    expect(await cli(['put', join(dir, 'one.txt'), 'sftp://h/dst'], server).run()).toBe(0);
    expect(server.file('/dst/one.txt')?.toString()).toBe('one');
  });

  it('exits 8 with a JSON summary when a folder copy skips or fails files', async () => {
    const server = new FakeServer();
    server.addFile('/t/ok.txt', 'ok');
    server.addFile('/t/denied.txt', 'no');
    server.brokenPaths.set('/t/denied.txt', new FerryError('permission-denied', 'permission denied'));
    server.injected.set('/t', [{ name: '../evil', type: 'file', size: 1, mtime: null, mode: null }]);
    const c = cli(['get', '-r', '--json', 'sftp://h/t', join(dir, 'out')], server);
    expect(await c.run()).toBe(8);
    const summary = JSON.parse(c.out());
    expect(summary.files).toMatchObject({ total: 3, done: 1, failed: 1, skipped: 1 });
    expect(summary.failures[0]).toMatchObject({ path: '/t/denied.txt', code: 'permission-denied' });
    expect(summary.skipped[0].reason).toMatch(/refused the remote name/);
    expect(await readdir(join(dir, 'out'))).toEqual(['ok.txt']);
    // The JSON is on stdout; stderr still says in one sentence why the exit is not 0.
    expect(c.err()).toMatch(/^ferry: 1 failed and 1 skipped of 3 files\. .+\n$/);
  });

  it('with --json a single-file failure still ends in its error (one sentence on stderr) after the summary', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'f');
    server.brokenPaths.set('/f.txt', new FerryError('permission-denied', 'permission denied'));
    const c = cli(['get', '--json', 'sftp://h/f.txt', join(dir, 'f.txt')], server);
    await expect(c.run()).rejects.toMatchObject({ code: 'permission-denied' });
    expect(JSON.parse(c.out()).failures[0]).toMatchObject({ path: '/f.txt', code: 'permission-denied' });
  });

  it('a single-file failure exits with its own code; without -r a folder is a usage error', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'f');
    server.brokenPaths.set('/f.txt', new FerryError('permission-denied', 'permission denied'));
    await expect(cli(['get', 'sftp://h/f.txt', join(dir, 'f.txt')], server).run()).rejects.toMatchObject({ code: 'permission-denied' });
    server.mkdirp('/d');
    await expect(cli(['get', 'sftp://h/d', join(dir, 'd')], server).run()).rejects.toMatchObject({ code: 'usage' });
  });

  it('overwrites an existing file by default when nobody is at a terminal, and honours --on-exists', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'server');
    await writeFile(join(dir, 'f.txt'), 'local');
    expect(await cli(['get', '--on-exists', 'skip', 'sftp://h/f.txt', join(dir, 'f.txt')], server).run()).toBe(0);
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('local');
    expect(await cli(['get', 'sftp://h/f.txt', join(dir, 'f.txt')], server).run()).toBe(0);
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('server');
  });

  it('a rerun of an interrupted command resumes it', async () => {
    const server = new FakeServer({ resetEveryBytes: 100_000, chunk: 10_000 });
    const data = bytes(400_000, 3);
    server.addFile('/big.bin', data);
    const first = cli(['get', '--retries', '0', 'sftp://h/big.bin', join(dir, 'big.bin')], server);
    await expect(first.run()).rejects.toMatchObject({ code: 'connection-lost' });
    expect((await readdir(join(dir, 'state', 'transfers'))).some((n) => n.endsWith('.jsonl'))).toBe(true);
    server.options.resetEveryBytes = undefined;
    const moved = server.bytesMoved;
    expect(await cli(['get', '--retries', '0', 'sftp://h/big.bin', join(dir, 'big.bin')], server).run()).toBe(0);
    expect(sameBytes(await readFile(join(dir, 'big.bin')), data)).toBe(true);
    expect(server.bytesMoved - moved).toBeLessThan(data.length);
  });

  it('draws a progress bar on stderr when stderr is a terminal, and nothing otherwise', async () => {
    const server = new FakeServer({ chunkDelayMs: 2, chunk: 16 * 1024 });
    server.addFile('/p.bin', bytes(512 * 1024, 4));
    const tty = cli(['get', 'sftp://h/p.bin', join(dir, 'p.bin')], server, { stderrTty: true });
    expect(await tty.run()).toBe(0);
    const lines = tty.err().split('\r\u001b[K');
    expect(lines.at(-1)).toMatch(/^\[#+\] 100% {2}1\/1 files {2}512\.0 KiB .*\n$/);
    const plain = cli(['get', 'sftp://h/p.bin', join(dir, 'q.bin')], server);
    expect(await plain.run()).toBe(0);
    expect(plain.err()).toBe('');
  });

  it('get -r opens its parallel connections up front and leaves none open; a single get opens one', async () => {
    const server = new FakeServer();
    server.addFile('/few/a.txt', 'a');
    const opened: FakeRemoteFs[] = [];
    const deps = {
      createRemoteFs: async (o: { target: FakeRemoteFs['target'] }) => {
        const fs = new FakeRemoteFs(server, o.target);
        opened.push(fs);
        return fs;
      },
    };
    const command = parseCliArgs(['get', '-r', '--parallel', '3', 'sftp://h/few', join(dir, 'few'), '--state-dir', join(dir, 'state')]);
    if (command.kind !== 'get') throw new Error('not a get');
    const ctx = createCliContext(command.options, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), interactive: false, env: {} });
    expect(await getCommand(ctx, command.url, command.local, deps)).toBe(0);
    expect(await readFile(join(dir, 'few', 'a.txt'), 'utf8')).toBe('a');
    // One file needs one connection, but -r opened all three at once; none is left open.
    expect(opened).toHaveLength(3);
    expect(opened.every((fs) => !fs.connected)).toBe(true);

    opened.length = 0;
    const single = parseCliArgs(['get', '--parallel', '3', 'sftp://h/few/a.txt', join(dir, 'one.txt'), '--state-dir', join(dir, 'state')]);
    if (single.kind !== 'get') throw new Error('not a get');
    expect(await getCommand(createCliContext(single.options, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), interactive: false, env: {} }), single.url, single.local, deps)).toBe(0);
    expect(opened).toHaveLength(1);
  });

  it('get -r: a connection opened ahead that fails is forgotten, and the copy still completes', async () => {
    const server = new FakeServer();
    for (let i = 0; i < 40; i++) server.addFile(`/many/f${i}.txt`, `file ${i}`);
    let made = 0;
    const deps = {
      createRemoteFs: async (o: { target: FakeRemoteFs['target'] }) => {
        const fs = new FakeRemoteFs(server, o.target);
        // The two connections opened ahead of the walk are refused; later ones work.
        if (++made === 2 || made === 3) fs.connect = async () => Promise.reject(new FerryError('auth-failed', 'too many connections'));
        return fs;
      },
    };
    const command = parseCliArgs(['get', '-r', '--parallel', '3', 'sftp://h/many', join(dir, 'many'), '--state-dir', join(dir, 'state')]);
    if (command.kind !== 'get') throw new Error('not a get');
    const ctx = createCliContext(command.options, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), interactive: false, env: {} });
    expect(await getCommand(ctx, command.url, command.local, deps)).toBe(0);
    expect((await readdir(join(dir, 'many'))).length).toBe(40);
    expect(await readFile(join(dir, 'many', 'f39.txt'), 'utf8')).toBe('file 39');
    expect([...server.live]).toEqual([]);
  });
});
