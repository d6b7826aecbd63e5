import { FtpSrv } from 'ftp-srv';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';

/** How the embedded server protects connections. */
export type EmbeddedMode = 'plain' | 'explicit' | 'implicit';

export interface EmbeddedServer {
  readonly port: number;
  /** USER/PASS pairs the server saw (password included: test servers only). */
  readonly logins: { user: string; password: string }[];
  /** Control connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const quietLog: Record<string, unknown> = {};
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) quietLog[level] = () => undefined;
quietLog.child = () => quietLog;

interface AuthCommand {
  handler: (this: { commandSocket: Socket; secure?: boolean; server: { options: { tls?: unknown } } }, args: { command: { arg?: string } }) => unknown;
  raceFree?: boolean;
}

/**
 * ftp-srv answers AUTH TLS with 234 and only puts TLS on the socket once that reply is written, so
 * a client quick to send its ClientHello (or a server slow on a busy machine) can have the hello
 * read as an FTP command and the handshake fail. Pausing the socket before the reply keeps the
 * hello buffered; Node's TLSSocket takes buffered bytes when it wraps the socket.
 */
function makeAuthTlsRaceFree(): void {
  const registry = createRequire(import.meta.url)('ftp-srv/src/commands/registry') as Record<string, AuthCommand>;
  const auth = registry.AUTH;
  if (!auth || auth.raceFree) return;
  const original = auth.handler;
  auth.handler = function (args) {
    if (String(args.command.arg).toUpperCase() === 'TLS' && this.server.options.tls && !this.secure) this.commandSocket.pause();
    return original.call(this, args);
  };
  auth.raceFree = true;
}

/**
 * ftp-srv 4.6.3 in-process on 127.0.0.1: plain, explicit TLS (AUTH TLS) or implicit TLS, one
 * user alice/secret rooted at `root`, on `port` (0: any free one).
 */
export async function startEmbeddedFtp(root: string, mode: EmbeddedMode, tls?: { cert: string; key: string }, port = 0): Promise<EmbeddedServer> {
  makeAuthTlsRaceFree();
  const pasvBase = 40000 + Math.floor(Math.random() * 20000);
  const server = new FtpSrv({
    url: `${mode === 'implicit' ? 'ftps' : 'ftp'}://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvBase,
    pasv_max: pasvBase + 200,
    tls: mode === 'plain' ? false : { cert: tls!.cert, key: tls!.key },
    log: quietLog,
  });
  const logins: { user: string; password: string }[] = [];
  let connections = 0;
  // 'connect' is emitted by ftp-srv but missing from its type declarations.
  (server as unknown as NodeJS.EventEmitter).on('connect', () => {
    connections++;
  });
  server.on('login', ({ username, password }, resolve, reject) => {
    logins.push({ user: username, password });
    if (username === 'alice' && password === 'secret') resolve({ root, cwd: '/' });
    else reject(new Error('bad login'));
  });
  await server.listen();
  return {
    port: (server as unknown as { server: { address(): AddressInfo } }).server.address().port,
    logins,
    connections: () => connections,
    close: async () => {
      await Promise.race([server.close(), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
