import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../main/cli/cli-args';
import { createCliContext } from '../../main/cli/cli-context';
import { lsCommand } from '../../main/cli/commands/ls-command';
import { getCommand } from '../../main/cli/commands/transfer-commands';
import { FerryError } from '../../main/core/ferry-error';
import { FakeRemoteFs, FakeServer } from '../transfers/fake-remote-fs';
import { tempDir } from '../transfers/helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

function context(argv: string[]) {
  const command = parseCliArgs([...argv, '--state-dir', join(dir, 'state')]);
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const ctx = createCliContext(command.kind === 'help' ? (undefined as never) : command.options, { stdout, stderr: new PassThrough(), stdin: new PassThrough(), interactive: false, env: {} });
  return { command, ctx, out: () => out };
}

const depsFor = (server: FakeServer) => ({ createRemoteFs: async (o: { target: FakeRemoteFs['target'] }) => new FakeRemoteFs(server, o.target) });

describe('the first connection of a CLI command', () => {
  it('ls retries a refused connection (default: twice) and then lists', async () => {
    const server = new FakeServer();
    server.addFile('/d/a.txt', 'a');
    server.failConnects = { count: 2, error: new FerryError('connection-refused', 'refused') };
    const { ctx, out } = context(['ls', 'sftp://h/d']);
    expect(await lsCommand(ctx, 'sftp://h/d', depsFor(server) as never)).toBe(0);
    expect(out()).toContain('a.txt');
    expect(server.connects).toBe(3);
  });

  it('ls gives up after --retries and reports the network failure', async () => {
    const server = new FakeServer();
    server.failConnects = { count: 5, error: new FerryError('connection-refused', 'refused') };
    const { ctx } = context(['ls', '--retries', '1', 'sftp://h/d']);
    await expect(lsCommand(ctx, 'sftp://h/d', depsFor(server) as never)).rejects.toMatchObject({ code: 'connection-refused' });
    expect(server.connects).toBe(2);
  });

  it('never retries a permanent failure (wrong password)', async () => {
    const server = new FakeServer();
    server.failConnects = { count: 5, error: new FerryError('auth-failed', 'wrong password') };
    const { ctx } = context(['ls', '--retries', '4', 'sftp://h/d']);
    await expect(lsCommand(ctx, 'sftp://h/d', depsFor(server) as never)).rejects.toMatchObject({ code: 'auth-failed' });
    expect(server.connects).toBe(1);
  });

  it('get retries its first connection too, per --retries', async () => {
    const server = new FakeServer();
    server.addFile('/f.txt', 'hello');
    server.failConnects = { count: 2, error: new FerryError('connection-lost', 'reset') };
    const ok = context(['get', 'sftp://h/f.txt', join(dir, 'f.txt')]);
    expect(await getCommand(ok.ctx, 'sftp://h/f.txt', join(dir, 'f.txt'), depsFor(server) as never)).toBe(0);
    server.failConnects = { count: 1, error: new FerryError('connection-lost', 'reset') };
    await writeFile(join(dir, 'g.txt'), '');
    const none = context(['get', '--retries', '0', 'sftp://h/f.txt', join(dir, 'g.txt')]);
    await expect(getCommand(none.ctx, 'sftp://h/f.txt', join(dir, 'g.txt'), depsFor(server) as never)).rejects.toMatchObject({ code: 'connection-lost' });
  });
});
