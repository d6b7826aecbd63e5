import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FanOutSink } from '../../main/app/event-sink';
import { FerryCore } from '../../main/app/ferry-core';
import { startBridge, type BridgeServer } from '../../main/bridge/bridge-server';
import { createHandlers } from '../../main/ipc/handlers';

let dir: string;
let bridge: BridgeServer;
let core: FerryCore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-bridge-'));
  await mkdir(join(dir, 'web'));
  await mkdir(join(dir, 'home'));
  await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside');
  await writeFile(join(dir, 'home', 'hello.txt'), 'hi');
  const events = new FanOutSink();
  core = new FerryCore({ stateDir: join(dir, 'state'), events, home: join(dir, 'home') });
  bridge = await startBridge({ handlers: createHandlers(core), events, staticDir: join(dir, 'web') });
});

afterAll(async () => {
  await bridge.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

function open(token: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge?token=${token}`, { headers: { origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', () => reject(new Error('refused')));
  });
}

const token = () => new URLSearchParams(new URL(bridge.url).hash.slice(1)).get('token')!;
const origin = () => `http://127.0.0.1:${bridge.port}`;

describe('dev bridge', () => {
  it('listens on 127.0.0.1 only and serves the renderer with a CSP', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
    const res = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await fetch(`http://127.0.0.1:${bridge.port}/..%2fsecret.txt`);
    expect(res.status).toBe(403);
  });

  it('refuses a socket without the token or from another origin', async () => {
    await expect(open('wrong', origin())).rejects.toThrow();
    await expect(open(token(), 'http://evil.example')).rejects.toThrow();
  });

  it('carries invoke channels to the real core and returns errors as values', async () => {
    const ws = await open(token(), origin());
    const call = (id: number, channel: string, req: unknown) =>
      new Promise<{ id: number; result: { ok: boolean; value?: unknown; error?: { code: string } } }>((resolve) => {
        const onMsg = (d: Buffer) => {
          const m = JSON.parse(String(d));
          if (m.id === id) {
            ws.off('message', onMsg);
            resolve(m);
          }
        };
        ws.on('message', onMsg);
        ws.send(JSON.stringify({ id, channel, req }));
      });
    const home = await call(1, 'fs:home', {});
    expect(home.result).toEqual({ ok: true, value: join(dir, 'home') });
    const list = await call(2, 'fs:list', { path: join(dir, 'home') });
    expect(list.result.ok).toBe(true);
    expect((list.result.value as { entries: { name: string; size: number }[] }).entries).toEqual([expect.objectContaining({ name: 'hello.txt', size: 2, type: 'file' })]);
    const bad = await call(3, 'no:such', {});
    expect(bad.result.error?.code).toBe('invalid-request');
    const missing = await call(4, 'fs:list', { path: join(dir, 'nope') });
    expect(missing.result.error?.code).toBe('no-such-file');
    ws.close();
  });
});
