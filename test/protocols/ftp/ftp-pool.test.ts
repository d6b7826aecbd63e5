import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { startDataListener, startScriptedServer, type ScriptedConnection, type ScriptedServer } from './hostile/scripted-server';
import { cleanupAfterEach, tempPath } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

/** A scripted plain server whose RETR sends `content` after a delay, one data listener per EPSV. */
async function fileServer(content: Buffer, extra?: (c: ScriptedConnection, line: string) => boolean, delayMs = 150): Promise<{ srv: ScriptedServer; state: { active: number; maxActive: number } }> {
  const state = { active: 0, maxActive: 0 };
  const srv = await startScriptedServer({
    onCommand: (c, line) => {
      if (extra?.(c, line)) return true;
      if (line === 'EPSV') {
        void startDataListener((socket) => {
          state.active++;
          state.maxActive = Math.max(state.maxActive, state.active);
          setTimeout(() => {
            socket.end(content);
            state.active--;
          }, delayMs);
        }).then((data) => {
          cleanup.push(() => data.close());
          c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`);
        });
        return true;
      }
      if (line.startsWith('RETR')) {
        c.reply('150 sending');
        setTimeout(() => c.reply('226 done'), delayMs + 20);
        return true;
      }
      return false;
    },
  });
  cleanup.push(() => srv.close());
  return { srv, state };
}

const tmp = (): string => tempPath(cleanup);

describe('connection pool', () => {
  it('runs at most N transfers at once on N transfer connections plus one for browsing, and queues the rest', async () => {
    const content = Buffer.from('pool content\n');
    const { srv, state } = await fileServer(content);
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 2 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const started = Date.now();
    const sizes = await Promise.all(Array.from({ length: 6 }, (_, i) => fs.download(`/f${i}`, join(dir, `f${i}`))));
    expect(sizes).toEqual(Array(6).fill(content.length));
    for (let i = 0; i < 6; i++) expect(readFileSync(join(dir, `f${i}`)).equals(content)).toBe(true);
    expect(srv.connections.length).toBe(3);
    expect(state.maxActive).toBe(2);
    // Three rounds of two, each at least the server's delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 150);
  });

  it('with no transfer connections of its own, transfers and browsing take turns on the one connection', async () => {
    const content = Buffer.from('shared\n');
    const { srv, state } = await fileServer(content);
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 0 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const transfers = Promise.all(Array.from({ length: 3 }, (_, i) => fs.download(`/f${i}`, join(dir, `f${i}`))));
    await fs.mkdir('/made', { recursive: true });
    expect(await transfers).toEqual(Array(3).fill(content.length));
    expect(srv.connections.length).toBe(1);
    expect(state.maxActive).toBe(1);
  });

  it('browsing is not held up by running transfers', async () => {
    const { srv } = await fileServer(Buffer.from('x'), undefined, 1500);
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 1 }, timeouts: { connectMs: 3000, tlsMs: 3000, loginMs: 3000, commandMs: 3000, idleMs: 3000 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const transfer = fs.download('/slow', join(dir, 'slow'));
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await fs.mkdir('/made', { recursive: true });
    expect(Date.now() - t).toBeLessThan(500);
    expect(await transfer).toBe(1);
  });

  it('sends NOOP only on an idle connection', async () => {
    const { srv } = await fileServer(Buffer.from('y'), undefined, 600);
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 1, keepaliveMs: 150 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    await fs.download('/a', join(dir, 'a'));
    const transferConn = srv.connections[1]!;
    const retr = transferConn.received.find((r) => r.line.startsWith('RETR'))!;
    // No NOOP while the transfer (about 600 ms) was running on that connection.
    expect(transferConn.received.filter((r) => r.line === 'NOOP' && r.at > retr.at && r.at < retr.at + 550)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(srv.connections[0]!.received.some((r) => r.line === 'NOOP')).toBe(true);
    expect(transferConn.received.some((r) => r.line === 'NOOP')).toBe(true);
  });
});

describe('server features', () => {
  it('uses HASH SHA-256 or XSHA256 when offered, and reports it in capabilities', async () => {
    const digest = 'ab'.repeat(32);
    const srv = await startScriptedServer({
      onCommand: (c, line) => {
        if (line === 'FEAT') return (c.reply('211-Features:\r\n HASH SHA-256*;SHA-1\r\n SIZE\r\n211 End'), true);
        if (line.startsWith('HASH ')) return (c.reply(`213 SHA-256 0-99 ${digest.toUpperCase()} /f.bin`), true);
        return false;
      },
    });
    cleanup.push(() => srv.close());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(fs.capabilities().hashes).toEqual(['sha256']);
    expect(await fs.hash('/f.bin', 'sha256')).toBe(digest);
    expect(await fs.hash('/f.bin', 'md5')).toBeUndefined();
    expect(srv.allCommands()).toContain('OPTS HASH SHA-256');
  });

  it('offers no hash when the server has none', async () => {
    const srv = await startScriptedServer({});
    cleanup.push(() => srv.close());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(tmp(), 's'), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(fs.capabilities().hashes).toEqual([]);
    expect(await fs.hash('/f.bin', 'sha256')).toBeUndefined();
  });

  it('speaks the site charset (ISO-8859-1) on the control connection and skips OPTS UTF8', async () => {
    const srv = await startScriptedServer({
      onCommand: (c, line) => {
        if (line === 'PWD') {
          c.socket.write(Buffer.concat([Buffer.from('257 "/caf'), Buffer.from([0xe9]), Buffer.from('" is here\r\n')]));
          return true;
        }
        return false;
      },
    });
    cleanup.push(() => srv.close());
    const dir = tmp();
    const lines: string[] = [];
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, charset: 'iso-8859-1' });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.home()).toBe('/café');
    await fs.rename('/dé', '/dá');
    for (const c of srv.connections) for (const r of c.received) lines.push(r.line);
    expect(lines).toContain('RNFR /dé');
    expect(lines).not.toContain('OPTS UTF8 ON');
  });
});
