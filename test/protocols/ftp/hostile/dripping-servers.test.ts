import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFs, recordingPrompter } from '../helpers/adapter-fixture';
import { makeTempDir } from '../helpers/temp-dir';
import { startScriptedServer, type ScriptedConnection, type ScriptedServer } from './scripted-server';
import { cleanupAfterEach } from '../helpers/cleanup';

const cleanup = cleanupAfterEach();

/** The phase deadline under test, and how often the server sends one more line (far below it). */
const DEADLINE_MS = 4000;
const DRIP_MS = 800;
/** No idle timer may end these early: basic-ftp's socket timeout is set well past the deadline. */
const TIMEOUTS = { connectMs: 10_000, tlsMs: 10_000, loginMs: 10_000, commandMs: 10_000, idleMs: 20_000 };

async function server(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const s = await startScriptedServer(script);
  cleanup.push(() => s.close());
  return s;
}

/** Starts sending `line` every DRIP_MS on `conn` until it closes. */
function drip(conn: ScriptedConnection, line: string): void {
  conn.socket.write(`${line}\r\n`);
  const timer = setInterval(() => (conn.socket.destroyed ? clearInterval(timer) : conn.socket.write(`${line}\r\n`)), DRIP_MS);
  cleanup.push(() => clearInterval(timer));
}

/**
 * Runs `p` and reports how it failed and when. An idle timer would never fire against the drip:
 * the outcome is then 'still pending' at twice the deadline, so the test fails instead of hanging.
 */
async function failure(p: Promise<unknown>, started: number): Promise<{ code: string; message: string; elapsed: number } | 'still pending' | 'succeeded'> {
  const guard = new Promise<'still pending'>((resolve) => {
    const t = setTimeout(() => resolve('still pending'), DEADLINE_MS * 2);
    cleanup.push(() => clearTimeout(t));
  });
  return Promise.race([
    p.then(
      () => 'succeeded' as const,
      (err: { code: string; message: string }) => ({ code: err.code, message: err.message, elapsed: Date.now() - started }),
    ),
    guard,
  ]);
}

function fsFor(port: number, timeouts: Partial<typeof TIMEOUTS>) {
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  return makeFs({ protocol: 'ftp', port, stateDir: join(t.path, 'state'), prompter: recordingPrompter({}), allowPlain: true, timeouts: { ...TIMEOUTS, ...timeouts } }).fs;
}

/** Ends at the deadline: not before it, and not much after. */
function expectAtDeadline(result: Awaited<ReturnType<typeof failure>>, phase: RegExp): void {
  expect(result).toMatchObject({ code: 'timeout', message: expect.stringMatching(phase) });
  const { elapsed } = result as { elapsed: number };
  expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
  expect(elapsed).toBeLessThan(DEADLINE_MS + 1000);
}

describe(`a server dripping one line every ${DRIP_MS} ms against a ${DEADLINE_MS} ms phase deadline`, () => {
  it('greeting: fails with timeout at the connect deadline', async () => {
    const srv = await server({ onConnect: (c) => drip(c, '220-hello, still here') });
    const fs = fsFor(srv.port, { connectMs: DEADLINE_MS });
    const started = Date.now();
    expectAtDeadline(await failure(fs.connect(), started), /greeting/);
    // Ferry hung up: the server sees its connection end.
    const sock = srv.connections[0]!.socket;
    await expect.poll(() => sock.destroyed || sock.readableEnded, { timeout: 1000 }).toBe(true);
  });

  it('login: fails with timeout at the login deadline', async () => {
    let passAt = 0;
    const srv = await server({
      onCommand: (c, line) => {
        if (!line.startsWith('PASS')) return false;
        passAt = Date.now();
        drip(c, '230-welcome, reading the message of the day');
        return true;
      },
    });
    const fs = fsFor(srv.port, { loginMs: DEADLINE_MS });
    const started = Date.now();
    const result = await failure(fs.connect(), started);
    // The phases before login (greeting, AUTH TLS refused) take a few ms of the margin.
    expect(passAt - started).toBeLessThan(200);
    expectAtDeadline(result, /login/);
  });

  it('command: fails with timeout at the command deadline, and the next call reconnects', async () => {
    const srv = await server({
      onCommand: (c, line) => {
        if (!line.startsWith('DELE')) return false;
        drip(c, '250-deleting');
        return true;
      },
    });
    const fs = fsFor(srv.port, { commandMs: DEADLINE_MS });
    await fs.connect();
    cleanup.push(() => fs.close());
    const started = Date.now();
    expectAtDeadline(await failure(fs.removeFile('/slow'), started), /DELE/);
    const before = srv.connections.length;
    await fs.rename('/a', '/b');
    expect(srv.connections.length).toBe(before + 1);
  });
});
