import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One control connection of a scripted server: what it received and how to answer. */
export interface ScriptedConnection {
  readonly index: number;
  readonly socket: Socket;
  /** Command lines received so far, in order, with the time each arrived. */
  readonly received: { line: string; at: number }[];
  reply(text: string): void;
  /** Stop reading commands: what arrives from now on is swallowed unanswered. */
  mute(): void;
}

/** Per-command behaviour; return true when handled, false to use the default answer. */
export type CommandHandler = (conn: ScriptedConnection, line: string) => boolean | void;

export interface ScriptedServer {
  readonly port: number;
  readonly connections: ScriptedConnection[];
  /** Every command line received on any connection. */
  allCommands(): string[];
  close(): Promise<void>;
}

/** Sensible answers for a logged-in plain session, so a hostile server only scripts its trick. */
function defaultAnswer(conn: ScriptedConnection, line: string): void {
  const verb = line.split(' ')[0]!.toUpperCase();
  switch (verb) {
    case 'USER':
      return conn.reply('331 password please');
    case 'PASS':
      return conn.reply('230 logged in');
    case 'FEAT':
      return conn.reply('211-Features:\r\n SIZE\r\n211 End');
    case 'PWD':
      return conn.reply('257 "/" is the current directory');
    case 'CWD':
      return conn.reply('250 ok');
    case 'QUIT':
      conn.reply('221 bye');
      conn.socket.end();
      return;
    case 'AUTH':
      return conn.reply('502 not here');
    default:
      return conn.reply('200 ok');
  }
}

/**
 * A raw-`net` FTP server on 127.0.0.1 that follows a script: `onConnect` may send the greeting
 * (or misbehave), `onCommand` answers what it wants and leaves the rest to plain defaults.
 */
export async function startScriptedServer(script: { onConnect?: (conn: ScriptedConnection) => void; onCommand?: CommandHandler }): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let muted = false;
    const conn: ScriptedConnection = {
      mute: () => {
        muted = true;
      },
      index: connections.length,
      socket,
      received: [],
      reply: (text) => {
        if (!socket.destroyed) socket.write(`${text}\r\n`);
      },
    };
    connections.push(conn);
    if (script.onConnect) script.onConnect(conn);
    else conn.reply('220 scripted server');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let nl: number;
      while (!muted && (nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        conn.received.push({ line, at: Date.now() });
        if (script.onCommand?.(conn, line) !== true) defaultAnswer(conn, line);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    allCommands: () => connections.flatMap((c) => c.received.map((r) => r.line)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A one-shot data listener on 127.0.0.1 for passive-mode scripts. */
export async function startDataListener(onSocket: (socket: Socket) => void): Promise<{ port: number; accepted: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, accepted: 0, close: async () => undefined as void };
  const server = createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** Writes `chunk` again and again as fast as the peer reads, until the socket closes; calls onChunk per write. */
export function flood(socket: Socket, chunk: string, onChunk?: () => void): void {
  const next = (): void => {
    if (socket.destroyed) return;
    onChunk?.();
    if (socket.write(chunk)) setImmediate(next);
    else socket.once('drain', next);
  };
  next();
}
