import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { errorCode, makeFs, recordingPrompter } from '../helpers/adapter-fixture';
import { X509Certificate } from 'node:crypto';
import { TrustStore } from '../../../../main/trust/trust-store';
import { makeSelfSignedCert, makeTempDir } from '../helpers/temp-dir';
import { flood, startDataListener, startScriptedServer, type ScriptedServer } from './scripted-server';
import { cleanupAfterEach } from '../helpers/cleanup';

const cleanup = cleanupAfterEach();

async function server(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const s = await startScriptedServer(script);
  cleanup.push(() => s.close());
  return s;
}

function stateDir(): string {
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  return join(t.path, 'state');
}

const hasCredentials = (cmds: string[]): boolean => cmds.some((c) => /^(USER|PASS)\b/i.test(c));

describe('234 then silence', () => {
  const silentAfter234 = {
    onCommand: (c: { reply(t: string): void; mute(): void }, line: string) => {
      if (line !== 'AUTH TLS') return false;
      c.reply('234 go ahead');
      c.mute();
      return true;
    },
  };

  it('ftp:// ends at the TLS deadline, asks before sending credentials, and refuses without consent', async () => {
    const srv = await server(silentAfter234);
    const prompter = recordingPrompter({ 'plain-ftp': 'cancel' });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter, timeouts: { tlsMs: 800 } });
    const started = Date.now();
    expect(await errorCode(fs.connect())).toBe('plain-refused');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(3000);
    expect(prompter.asked).toHaveLength(1);
    expect(prompter.asked[0]!.request).toMatchObject({ kind: 'plain-ftp', host: '127.0.0.1', port: srv.port });
    expect((prompter.asked[0]!.request as { reason: string }).reason).toMatch(/TLS handshake/);
    expect(hasCredentials(srv.allCommands())).toBe(false);
  });

  it('ftp:// with "once" opens a fresh plain connection and logs in only after the answer', async () => {
    const srv = await server(silentAfter234);
    const prompter = recordingPrompter({ 'plain-ftp': 'once' });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter, timeouts: { tlsMs: 800 } });
    await fs.connect();
    await fs.close();
    expect(srv.connections.length).toBeGreaterThanOrEqual(2);
    expect(hasCredentials(srv.connections[0]!.received.map((r) => r.line))).toBe(false);
    const user = srv.connections[1]!.received.find((r) => r.line.startsWith('USER'));
    expect(user).toBeDefined();
    expect(user!.at).toBeGreaterThanOrEqual(prompter.asked[0]!.at);
    expect(srv.connections[1]!.received.some((r) => r.line === 'AUTH TLS')).toBe(false);
  });

  it('ftpes:// fails with tls-handshake-timeout and never asks', async () => {
    const srv = await server(silentAfter234);
    const prompter = recordingPrompter({ 'plain-ftp': 'once' });
    const { fs } = makeFs({ protocol: 'ftpes', port: srv.port, stateDir: stateDir(), prompter, timeouts: { tlsMs: 800 } });
    const started = Date.now();
    expect(await errorCode(fs.connect())).toBe('tls-handshake-timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(prompter.asked).toHaveLength(0);
    expect(hasCredentials(srv.allCommands())).toBe(false);
  });
});

describe('implicit TLS (ftps://) against a server that never answers the ClientHello', () => {
  it('ends at the TLS deadline with tls-handshake-timeout and asks nothing', async () => {
    const srv = await server({ onConnect: (c) => c.mute() });
    const prompter = recordingPrompter({ 'plain-ftp': 'once' });
    const { fs } = makeFs({ protocol: 'ftps', port: srv.port, stateDir: stateDir(), prompter, timeouts: { tlsMs: 700 } });
    const started = Date.now();
    expect(await errorCode(fs.connect())).toBe('tls-handshake-timeout');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(prompter.asked).toHaveLength(0);
  });
});

describe('AUTH TLS refused (502)', () => {
  it('asks; without consent no USER or PASS reaches the wire', async () => {
    const srv = await server({});
    const prompter = recordingPrompter({ 'plain-ftp': null });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter });
    expect(await errorCode(fs.connect())).toBe('plain-refused');
    expect((prompter.asked[0]!.request as { reason: string }).reason).toMatch(/502/);
    expect(srv.allCommands()).toContain('AUTH TLS');
    expect(hasCredentials(srv.allCommands())).toBe(false);
  });

  it('"always" is remembered for the site: the next connect does not ask', async () => {
    const srv = await server({});
    const dir = stateDir();
    const first = recordingPrompter({ 'plain-ftp': 'always' });
    const a = makeFs({ protocol: 'ftp', port: srv.port, stateDir: dir, prompter: first });
    await a.fs.connect();
    expect(await a.fs.home()).toBe('/');
    await a.fs.close();
    const second = recordingPrompter({ 'plain-ftp': 'cancel' });
    const b = makeFs({ protocol: 'ftp', port: srv.port, stateDir: dir, prompter: second });
    await b.fs.connect();
    await b.fs.close();
    expect(first.asked).toHaveLength(1);
    expect(second.asked).toHaveLength(0);
    expect(a.lines.some((l) => l.level === 'warn' && /WITHOUT encryption/.test(l.text))).toBe(true);
  });

  it('even with a certificate pinned for the site, ftp:// asks before going on in clear text', async () => {
    const srv = await server({});
    const dir = stateDir();
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const cert = makeSelfSignedCert(t.path);
    await new TrustStore(dir).put({ kind: 'certificate', host: '127.0.0.1', port: srv.port, type: 'x509', fingerprint: new X509Certificate(cert.cert).fingerprint256, details: { pem: cert.cert } });
    const prompter = recordingPrompter({ 'plain-ftp': 'once' });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: dir, prompter });
    await fs.connect();
    await fs.close();
    expect(prompter.asked.map((a) => a.request.kind)).toEqual(['plain-ftp']);
    const user = srv.connections.flatMap((c) => c.received).find((r) => r.line.startsWith('USER'));
    expect(user!.at).toBeGreaterThanOrEqual(prompter.asked[0]!.at);
  });

  it('ftpes:// fails with tls-unavailable', async () => {
    const srv = await server({});
    const prompter = recordingPrompter({ 'plain-ftp': 'once' });
    const { fs } = makeFs({ protocol: 'ftpes', port: srv.port, stateDir: stateDir(), prompter });
    expect(await errorCode(fs.connect())).toBe('tls-unavailable');
    expect(prompter.asked).toHaveLength(0);
    expect(hasCredentials(srv.allCommands())).toBe(false);
  });
});

describe('bounded control replies', () => {
  it('an endless multi-line greeting ends with limit-exceeded', async () => {
    const srv = await server({
      onConnect: (c) => flood(c.socket, '220-welcome to the endless banner\r\n'.repeat(200)),
    });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true, timeouts: { connectMs: 5000 } });
    const started = Date.now();
    expect(await errorCode(fs.connect())).toBe('limit-exceeded');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a line that never ends is a protocol-error', async () => {
    const srv = await server({
      onConnect: (c) => {
        c.socket.write('220 ');
        flood(c.socket, 'x'.repeat(4096));
      },
    });
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true, timeouts: { connectMs: 5000 } });
    expect(await errorCode(fs.connect())).toBe('protocol-error');
  });
});

describe('close() during connect()', () => {
  it('ends a connect waiting for a greeting or a prompt at once with cancelled', async () => {
    const silent = await server({ onConnect: () => undefined });
    const a = makeFs({ protocol: 'ftp', port: silent.port, stateDir: stateDir(), prompter: recordingPrompter({}), timeouts: { connectMs: 10_000 } });
    const pa = a.fs.connect();
    setTimeout(() => void a.fs.close(), 100);
    const started = Date.now();
    expect(await errorCode(pa)).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a.fs.connected).toBe(false);

    const refusing = await server({});
    let askedSignal: AbortSignal | undefined;
    const waiting = { ask: (_r: unknown, signal?: AbortSignal) => new Promise<never>((_, reject) => { askedSignal = signal; signal?.addEventListener('abort', () => reject(new Error('aborted'))); }) };
    const b = makeFs({ protocol: 'ftp', port: refusing.port, stateDir: stateDir(), prompter: waiting as never });
    const pb = b.fs.connect();
    await new Promise((r) => setTimeout(r, 150));
    await b.fs.close();
    expect(await errorCode(pb)).toBe('cancelled');
    expect(askedSignal?.aborted).toBe(true);
    expect(hasCredentials(refusing.allCommands())).toBe(false);
    expect(b.fs.connected).toBe(false);
  });
});

describe('data connections', () => {
  it('an endless listing stops at the byte cap with limit-exceeded', async () => {
    let sent = 0;
    const line = '-rw-r--r--    1 ftp      ftp          1234 Jan 01  2024 file-with-a-long-name-0000000000.txt\r\n'.repeat(100);
    const data = await startDataListener((socket) => flood(socket, line, () => (sent += line.length)));
    cleanup.push(() => data.close());
    const srv = await server({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        if (line.startsWith('LIST') || line.startsWith('MLSD')) return (c.reply('150 here it comes'), true);
        return false;
      },
    });
    const cap = 1024 * 1024;
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true, adapter: { maxListingBytes: cap } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const rssBefore = process.memoryUsage().rss;
    expect(await errorCode(fs.list('/'))).toBe('limit-exceeded');
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).toBeLessThan(cap + 16 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('a PASV reply naming another host is ignored: data goes to the control address', async () => {
    const data = await startDataListener((socket) => {
      socket.end('-rw-r--r--    1 ftp      ftp             5 Jan 01  2024 hello.txt\r\ndrwxr-xr-x    2 ftp      ftp          4096 Jan 01  2024 sub\r\n');
    });
    cleanup.push(() => data.close());
    const srv = await server({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply('500 no EPSV here'), true);
        if (line === 'PASV') return (c.reply(`227 Entering Passive Mode (10,99,88,77,${data.port >> 8},${data.port & 255})`), true);
        if (line.startsWith('LIST')) {
          c.reply('150 listing');
          setTimeout(() => c.reply('226 done'), 100);
          return true;
        }
        return false;
      },
    });
    const { fs, lines } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    const entries = await fs.list('/');
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ['hello.txt', 'file'],
      ['sub', 'dir'],
    ]);
    expect(data.accepted).toBe(1);
    expect(lines.some((l) => l.level === 'warn' && l.text.includes('10.99.88.77'))).toBe(true);
  });

  it('CR, LF or NUL in a path is refused before it reaches the wire', async () => {
    const srv = await server({});
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    const before = srv.allCommands().length;
    expect(await errorCode(fs.list('/a\r\nDELE /b'))).toBe('invalid-request');
    expect(await errorCode(fs.removeFile('/a\nb'))).toBe('invalid-request');
    expect(await errorCode(fs.mkdir('/a\0b'))).toBe('invalid-request');
    expect(srv.allCommands().length).toBe(before);
  });
});

describe('transfers against a slow or stalled data connection', () => {
  async function trickleServer(stallAfter: number): Promise<ScriptedServer> {
    const data = await startDataListener((socket) => {
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        if (sent >= stallAfter) return;
        socket.write(Buffer.alloc(1024, 7));
        sent += 1024;
      }, 20);
      socket.on('close', () => clearInterval(timer));
    });
    cleanup.push(() => data.close());
    return server({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        if (line.startsWith('RETR')) return (c.reply('150 sending'), true);
        return false;
      },
    });
  }

  it('an abort closes that connection and rejects with cancelled; the next call reconnects', async () => {
    const srv = await trickleServer(Number.MAX_SAFE_INTEGER);
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 's'), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    const ctrl = new AbortController();
    const seen: number[] = [];
    const p = fs.download('/slow.bin', join(t.path, 'slow.bin'), {
      signal: ctrl.signal,
      onProgress: (pr) => {
        seen.push(pr.transferred);
        if (pr.transferred > 0) ctrl.abort();
      },
    });
    expect(await errorCode(p)).toBe('cancelled');
    expect(seen.some((n) => n > 0)).toBe(true);
    const connectionsBefore = srv.connections.length;
    await fs.mkdir('/after-cancel', { recursive: true });
    const q = fs.download('/slow.bin', join(t.path, 'slow2.bin'), { signal: AbortSignal.timeout(300) });
    expect(await errorCode(q)).toBe('cancelled');
    expect(srv.connections.length).toBeGreaterThan(connectionsBefore);
  });

  it('a data connection that stops moving bytes fails after the idle deadline', async () => {
    const srv = await trickleServer(8 * 1024);
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 's'), prompter: recordingPrompter({}), allowPlain: true, timeouts: { idleMs: 1000 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const started = Date.now();
    const err = await fs.download('/stall.bin', join(t.path, 'stall.bin')).catch((e: unknown) => e as { code: string });
    expect(err).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('RETR outcomes', () => {
  async function retrServer(onRetr: (c: { reply(t: string): void }, send: (body: Buffer | null) => void) => void): Promise<ScriptedServer> {
    let pending: ((body: Buffer | null) => void) | undefined;
    const data = await startDataListener((socket) => {
      pending = (body) => (body === null ? socket.destroy() : socket.end(body));
    });
    cleanup.push(() => data.close());
    return server({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        if (line.startsWith('RETR')) {
          setTimeout(() => onRetr(c, (body) => pending?.(body)), 20);
          return true;
        }
        return false;
      },
    });
  }

  it('an empty file downloads as 0 bytes; an error reply is mapped and leaves the connection usable', async () => {
    const srv = await retrServer((c, send) => {
      c.reply('150 here');
      send(Buffer.alloc(0));
      setTimeout(() => c.reply('226 done'), 20);
    });
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 1 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.download('/empty', join(t.path, 'empty'))).toBe(0);
    expect(readFileSync(join(t.path, 'empty')).length).toBe(0);
  });

  it('426 after part of the data: connection-lost, only received bytes on disk, the session is reused', async () => {
    const srv = await retrServer((c, send) => {
      c.reply('150 here');
      send(Buffer.alloc(5000, 1));
      setTimeout(() => c.reply('426 Connection closed; transfer aborted.'), 50);
    });
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 1 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    let last: number | undefined;
    expect(await errorCode(fs.download('/part', join(t.path, 'part'), { onProgress: (p) => (last = p.transferred) }))).toBe('connection-lost');
    expect(readFileSync(join(t.path, 'part')).length).toBeLessThanOrEqual(5000);
    // The failed attempt still reports what reached the file, which a retry resumes from.
    expect(last).toBe(readFileSync(join(t.path, 'part')).length);
    const before = srv.connections.length;
    expect(await errorCode(fs.download('/part', join(t.path, 'part')))).toBe('connection-lost');
    expect(srv.connections.length).toBe(before);
  });
});
