import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cli-main';
import { startEmbeddedFtp, type EmbeddedServer } from './helpers/embedded-ftp-server';
import { makeSelfSignedCert, makeTempDir } from './helpers/temp-dir';

function io(): { io: Parameters<typeof runCli>[1]; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    io: { stdout, stderr, stdin: new PassThrough(), interactive: false, env: { FERRY_PASSWORD: 'secret' } },
    out: () => out,
    err: () => err,
  };
}

describe('ferry CLI over FTP', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let root: string;
  let plain: EmbeddedServer;
  let explicit: EmbeddedServer;
  let implicit: EmbeddedServer;

  beforeAll(async () => {
    tmp = makeTempDir();
    root = join(tmp.path, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'readme.txt'), 'read me\n');
    plain = await startEmbeddedFtp(root, 'plain');
    explicit = await startEmbeddedFtp(root, 'explicit', makeSelfSignedCert(tmp.path));
    implicit = await startEmbeddedFtp(root, 'implicit', makeSelfSignedCert(tmp.path, 'implicit'));
  });
  afterAll(async () => {
    await plain?.close();
    await explicit?.close();
    await implicit?.close();
    tmp?.remove();
  });

  it('ftp:// to a server without TLS exits 5 without --allow-plain, and sends no password', async () => {
    const t = io();
    const logins = plain.logins.length;
    const code = await runCli(['ls', `ftp://alice@127.0.0.1:${plain.port}/`, '--state-dir', join(tmp.path, 's1')], t.io);
    expect(code).toBe(5);
    expect(t.err()).toMatch(/--allow-plain/);
    expect(plain.logins.length).toBe(logins);
  });

  it('ftp:// with --allow-plain lists (exit 0)', async () => {
    const t = io();
    const code = await runCli(['ls', `ftp://alice@127.0.0.1:${plain.port}/`, '--allow-plain', '--state-dir', join(tmp.path, 's2')], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.out()).toMatch(/readme\.txt/);
  });

  it('ftpes:// refuses an unknown certificate non-interactively (exit 4), then get/put work with --accept-new', async () => {
    const state = join(tmp.path, 's3');
    const a = io();
    expect(await runCli(['ls', `ftpes://alice@127.0.0.1:${explicit.port}/`, '--state-dir', state], a.io)).toBe(4);
    const b = io();
    expect(await runCli(['get', `ftpes://alice@127.0.0.1:${explicit.port}/readme.txt`, join(tmp.path, 'got.txt'), '--accept-new', '--state-dir', state], b.io)).toBe(0);
    expect(readFileSync(join(tmp.path, 'got.txt'), 'utf8')).toBe('read me\n');
    writeFileSync(join(tmp.path, 'put.txt'), 'put me\n');
    const c = io();
    expect(await runCli(['put', join(tmp.path, 'put.txt'), `ftpes://alice@127.0.0.1:${explicit.port}/put.txt`, '--state-dir', state], c.io)).toBe(0);
    expect(readFileSync(join(root, 'put.txt'), 'utf8')).toBe('put me\n');
  });

  it('ftps:// (implicit TLS): ls and get with --accept-new, then without it from the pin', async () => {
    const state = join(tmp.path, 's4');
    const url = `ftps://alice@127.0.0.1:${implicit.port}`;
    const a = io();
    expect(await runCli(['ls', `${url}/`, '--state-dir', state], a.io)).toBe(4);
    expect(existsSync(join(state, 'trust.json'))).toBe(false);
    const b = io();
    expect(await runCli(['ls', `${url}/`, '--accept-new', '--state-dir', state], b.io)).toBe(0);
    expect(b.out()).toMatch(/readme\.txt/);
    const c = io();
    expect(await runCli(['get', `${url}/readme.txt`, join(tmp.path, 'got-implicit.txt'), '--state-dir', state], c.io)).toBe(0);
    expect(readFileSync(join(tmp.path, 'got-implicit.txt'), 'utf8')).toBe('read me\n');
  });

  it('ftpes:// ls from the pin; a changed certificate exits 4 with "changed" and leaves the pin as it was', async () => {
    const state = join(tmp.path, 's5');
    const a = io();
    expect(await runCli(['ls', `ftpes://alice@127.0.0.1:${explicit.port}/`, '--accept-new', '--state-dir', state], a.io)).toBe(0);
    const b = io();
    expect(await runCli(['ls', `ftpes://alice@127.0.0.1:${explicit.port}/`, '--state-dir', state], b.io)).toBe(0);
    expect(b.out()).toMatch(/readme\.txt/);
    const pinned = readFileSync(join(state, 'trust.json'));
    // The same server (port) comes back with another certificate.
    const port = explicit.port;
    await explicit.close();
    explicit = await startEmbeddedFtp(root, 'explicit', makeSelfSignedCert(tmp.path, 'replaced'), port);
    const logins = explicit.logins.length;
    for (const args of [['ls', `ftpes://alice@127.0.0.1:${port}/`], ['ls', `ftpes://alice@127.0.0.1:${port}/`, '--accept-new']]) {
      const c = io();
      expect(await runCli([...args, '--state-dir', state], c.io)).toBe(4);
      expect(c.err()).toMatch(/changed/);
    }
    expect(readFileSync(join(state, 'trust.json')).equals(pinned)).toBe(true);
    expect(explicit.logins.length).toBe(logins);
  });
});
