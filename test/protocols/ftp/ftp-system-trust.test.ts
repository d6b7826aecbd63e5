import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedFtp, type EmbeddedServer } from './helpers/embedded-ftp-server';
import { makeCaSignedCert, makeTempDir } from './helpers/temp-dir';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * Runs `ferry` in a child process (stdin a pipe: non-interactive). Node 20 cannot add a CA to
 * the system store of a running process (tls.setDefaultCACertificates is Node 22.15+), so the
 * test CA reaches it the supported way, NODE_EXTRA_CA_CERTS, in the child only.
 */
function ferry(args: string[], ca?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FERRY_PASSWORD: 'secret' };
  delete env.NODE_EXTRA_CA_CERTS;
  if (ca) env.NODE_EXTRA_CA_CERTS = ca;
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'main/cli/ferry-bin.js'), ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('FTPS certificates the system trusts (test CA via NODE_EXTRA_CA_CERTS)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ca: string;
  let implicit: EmbeddedServer;
  let explicit: EmbeddedServer;
  let otherName: EmbeddedServer;
  let n = 0;
  const freshState = (): string => join(tmp.path, `state-${++n}`);

  beforeAll(async () => {
    tmp = makeTempDir();
    const root = join(tmp.path, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'readme.txt'), 'read me\n');
    const trusted = makeCaSignedCert(tmp.path, 'IP:127.0.0.1', 'trusted');
    const elsewhere = makeCaSignedCert(tmp.path, 'DNS:other.example', 'other');
    ca = trusted.caPath;
    implicit = await startEmbeddedFtp(root, 'implicit', trusted);
    explicit = await startEmbeddedFtp(root, 'explicit', trusted);
    otherName = await startEmbeddedFtp(root, 'implicit', elsewhere);
  });
  afterAll(async () => {
    await implicit?.close();
    await explicit?.close();
    await otherName?.close();
    tmp?.remove();
  });

  it('a certificate the system trusts connects without a question and pins nothing (ftps:// ls, ftpes:// get)', async () => {
    const state = freshState();
    const ls = await ferry(['ls', `ftps://alice@127.0.0.1:${implicit.port}/`, '--state-dir', state], ca);
    expect(ls.stderr).toBe('');
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/readme\.txt/);
    const local = join(tmp.path, 'got.txt');
    const get = await ferry(['get', `ftpes://alice@127.0.0.1:${explicit.port}/readme.txt`, local, '--state-dir', state], ca);
    expect(get.code, get.stderr).toBe(0);
    expect(existsSync(local)).toBe(true);
    expect(existsSync(join(state, 'trust.json'))).toBe(false);
    // Without the CA in the system store the same certificate needs a decision: exit 4.
    const unknown = await ferry(['ls', `ftps://alice@127.0.0.1:${implicit.port}/`, '--state-dir', freshState()]);
    expect(unknown.code, unknown.stderr).toBe(4);
  });

  it('a certificate from a trusted CA but for another host name is refused (exit 4), nothing pinned, no login', async () => {
    const state = freshState();
    const res = await ferry(['ls', `ftps://alice@127.0.0.1:${otherName.port}/`, '--state-dir', state], ca);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toMatch(/another host name/);
    expect(existsSync(join(state, 'trust.json'))).toBe(false);
    expect(otherName.logins).toHaveLength(0);
  });
});
