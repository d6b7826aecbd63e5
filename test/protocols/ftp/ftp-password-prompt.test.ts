import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCode, makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { startEmbeddedFtp } from './helpers/embedded-ftp-server';
import { makeSelfSignedCert } from './helpers/temp-dir';
import { startScriptedServer } from './hostile/scripted-server';
import { cleanupAfterEach, tempPath } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

const tmp = (): string => tempPath(cleanup);

async function scripted() {
  const srv = await startScriptedServer({});
  cleanup.push(() => srv.close());
  return srv;
}

const kinds = (p: ReturnType<typeof recordingPrompter>): string[] => p.asked.map((a) => a.request.kind);

describe('FTP password prompt', () => {
  it('a user without a password is asked once (after the certificate decision); the answer logs in every pooled connection', async () => {
    const dir = tmp();
    const root = join(dir, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), 'a');
    writeFileSync(join(root, 'b.txt'), 'b');
    const srv = await startEmbeddedFtp(root, 'explicit', makeSelfSignedCert(dir));
    cleanup.push(() => srv.close());
    const prompter = recordingPrompter({ certificate: 'trust-once', secret: { value: 'secret' } });
    const { fs, lines } = makeFs({ protocol: 'ftpes', port: srv.port, stateDir: join(dir, 's'), prompter, password: null, adapter: { transferConnections: 2 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    await Promise.all([fs.download('/a.txt', join(dir, 'a')), fs.download('/b.txt', join(dir, 'b')), fs.list('/')]);
    expect(kinds(prompter)).toEqual(['certificate', 'secret']);
    expect(prompter.asked[1]!.request).toMatchObject({ purpose: 'password', subject: 'alice@127.0.0.1' });
    expect(srv.logins.length).toBeGreaterThanOrEqual(3);
    expect(srv.logins.every((l) => l.user === 'alice' && l.password === 'secret')).toBe(true);
    expect(lines.some((l) => l.text.includes('secret'))).toBe(false);
  });

  it('over plain FTP the password is asked only after consent to go without encryption', async () => {
    const srv = await scripted();
    const refused = recordingPrompter({ 'plain-ftp': 'cancel', secret: { value: 'pw' } });
    const a = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter: refused, password: null });
    expect(await errorCode(a.fs.connect())).toBe('plain-refused');
    expect(kinds(refused)).toEqual(['plain-ftp']);
    const once = recordingPrompter({ 'plain-ftp': 'once', secret: { value: 'pw' } });
    const b = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter: once, password: null });
    await b.fs.connect();
    cleanup.push(() => b.fs.close());
    expect(kinds(once)).toEqual(['plain-ftp', 'secret']);
    expect(srv.allCommands().filter((c) => c.startsWith('PASS'))).toEqual(['PASS pw']);
  });

  it('a refused prompt fails with auth-failed and sends neither USER nor PASS', async () => {
    const srv = await scripted();
    const prompter = recordingPrompter({ secret: null });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter, password: null, allowPlain: true });
    const err: unknown = await fs.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'auth-failed', message: expect.stringMatching(/no password was given for alice@127\.0\.0\.1/) });
    expect(kinds(prompter)).toEqual(['secret']);
    expect(srv.allCommands().some((c) => /^(USER|PASS)\b/.test(c))).toBe(false);
  });

  it('anonymous (no user, or "anonymous") is never asked', async () => {
    const srv = await scripted();
    for (const user of ['', 'anonymous']) {
      const prompter = recordingPrompter({ secret: { value: 'nope' } });
      const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter, password: null, allowPlain: true, user });
      await fs.connect();
      await fs.close();
      expect(prompter.asked).toHaveLength(0);
    }
    expect(srv.allCommands().filter((c) => /^(USER|PASS)\b/.test(c))).toEqual(['USER anonymous', 'PASS anonymous@', 'USER anonymous', 'PASS anonymous@']);
  });
});
