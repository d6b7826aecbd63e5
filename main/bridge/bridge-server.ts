import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventSink, FanOutSink } from '../app/event-sink';
import { CONTENT_SECURITY_POLICY } from '../electron/window-options';
import { dispatchInvoke } from '../ipc/dispatch';
import type { Handlers } from '../ipc/handlers';

/** A running dev bridge: the page URL (with the per-run token in its fragment) and a stopper. */
export interface BridgeServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface BridgeOptions {
  readonly handlers: Handlers;
  readonly events: FanOutSink;
  /** The renderer built in vite mode "bridge". */
  readonly staticDir: string;
  /** 0 (default) = a free port. */
  readonly port?: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Development and E2E only, never packaged: serves the renderer on 127.0.0.1 and carries the same
 * contract the preload exposes over a WebSocket. A socket must present the per-run token and come
 * from the page's own origin.
 */
export async function startBridge(options: BridgeOptions): Promise<BridgeServer> {
  const token = randomBytes(24).toString('hex');
  const root = resolve(options.staticDir);
  const server = createServer((req, res) => void serveStatic(root, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const expected = Buffer.from(token);
    const tokenOk = given.length === expected.length && timingSafeEqual(given, expected);
    if (url.pathname !== '/bridge' || !tokenOk || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options));
  });

  return {
    url: `${origin}/#token=${token}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function attach(ws: WebSocket, options: BridgeOptions): void {
  const sink: EventSink = {
    emit(event, payload) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    },
  };
  const detach = options.events.add(sink);
  ws.on('close', detach);
  ws.on('message', (data) => {
    let msg: { id?: unknown; channel?: unknown; req?: unknown };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.id !== 'number') return;
    const id = msg.id;
    void dispatchInvoke(options.handlers, msg.channel, msg.req).then((result) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
    });
  });
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = resolve(join(root, pathname === '/' ? 'index.html' : pathname));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
}
