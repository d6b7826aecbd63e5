import { mkdir, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/cli-main';
import { startEmbeddedFtp, type EmbeddedServer } from '../protocols/ftp/helpers/embedded-ftp-server';

let dir: string;
let server: EmbeddedServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-ftp-budget-'));
  await mkdir(join(dir, 'root'));
  server = await startEmbeddedFtp(join(dir, 'root'), 'plain');
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('connections a folder transfer opens over FTP', () => {
  it('stay within one per parallel slot, however many small files', async () => {
    await mkdir(join(dir, 'src'));
    for (let i = 0; i < 60; i++) await writeFile(join(dir, 'src', `f${i}.txt`), `file ${i}\n`);
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (d) => (stderr += d));
    const code = await runCli(
      ['put', '-r', '--parallel', '2', '--allow-plain', '--state-dir', join(dir, 'state'), join(dir, 'src'), `ftp://alice@127.0.0.1:${server.port}/up`],
      { stdout: new PassThrough(), stderr: err, stdin: new PassThrough(), interactive: false, env: { FERRY_PASSWORD: 'secret' } },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'root', 'up'))).length).toBe(60);
    expect(server.connections()).toBeLessThanOrEqual(2);
  });
});
