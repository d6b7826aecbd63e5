import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection } from 'ssh2';
import { sshFingerprint } from '../../../../main/protocols/sftp/host-key-verifier';
import { KexObserver, type KexObserverOptions } from './kex-observer';
import { serveTempDir, type TempDirSftpOptions } from './temp-dir-sftp';

export interface TestUser {
  readonly password?: string;
  /** OpenSSH public key line accepted for this user. */
  readonly publicKey?: string;
  /** Offer keyboard-interactive with one hidden prompt whose answer is the password. */
  readonly keyboard?: boolean;
}

export interface TestServerOptions {
  readonly root: string;
  readonly users: Readonly<Record<string, TestUser>>;
  /** Methods announced to the client. */
  readonly methods?: readonly ('password' | 'publickey' | 'keyboard-interactive')[];
  /** The server starts a re-key after serving this many bytes of file data. */
  readonly rekeyEveryBytes?: number;
  readonly kex?: KexObserverOptions;
  readonly sftp?: TempDirSftpOptions;
  /** Reuse a host key (OpenSSH private key text); a fresh ed25519 key otherwise. */
  readonly hostKey?: string;
  /** What the server offers (ssh2's Server `algorithms`), to test negotiation. */
  readonly algorithms?: ssh2.Algorithms;
}

export interface TestServer {
  readonly port: number;
  readonly hostKey: string;
  readonly fingerprint: string;
  readonly observer: KexObserver;
  /** Re-keys the server started. */
  readonly rekeys: () => number;
  /** Authentication methods the clients tried, in order. */
  readonly attempts: string[];
  /** Live connections switch to this host key at their next key exchange (an impostor mid-session). */
  swapHostKey(privateKey: string): void;
  /** Starts a re-key on every live connection. */
  rekeyAll(): void;
  close(): Promise<void>;
}

/** Makes an ed25519 key pair at runtime (never a key checked into the repo). */
export function makeKeyPair(passphrase?: string): { privateKey: string; publicKey: string } {
  // ssh2's generator strips a leading zero byte of the public key, so about 1 key in 256 is one
  // its own parser rejects (mscdex/ssh2#1513): draw again until both halves parse.
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', passphrase ? { passphrase, cipher: 'aes256-cbc', rounds: 4 } : undefined);
    if (!(ssh2.utils.parseKey(pair.public) instanceof Error) && !(ssh2.utils.parseKey(pair.private, passphrase) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public };
    }
  }
}

/** Starts ssh2's in-process Server on 127.0.0.1 serving `root` over SFTP. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const hostKey = options.hostKey ?? makeKeyPair().privateKey;
  const parsedHost = ssh2.utils.parseKey(hostKey);
  if (parsedHost instanceof Error) throw parsedHost;
  const fingerprint = sshFingerprint(parsedHost.getPublicSSH());
  const observer = new KexObserver(options.kex);
  const methods = [...(options.methods ?? ['password', 'publickey', 'keyboard-interactive'])];
  const attempts: string[] = [];
  const connections = new Set<Connection>();
  let rekeys = 0;
  let sharedHostKeys: Record<string, unknown> | undefined;

  const server = new ssh2.Server({ hostKeys: [hostKey], ...(options.algorithms ? { algorithms: options.algorithms } : {}) }, (conn, _info) => {
    connections.add(conn);
    sharedHostKeys ??= (conn as unknown as { _protocol: { _hostKeys: Record<string, unknown> } })._protocol._hostKeys;
    observer.attach(conn);
    conn.on('error', () => undefined);
    conn.on('close', () => connections.delete(conn));
    conn.on('authentication', (ctx) => {
      attempts.push(ctx.method);
      authenticate(ctx, options.users[ctx.username], methods);
    });
    conn.on('ready', () => {
      conn.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          let served = 0;
          serveTempDir(sftp, options.root, {
            ...options.sftp,
            onData: (bytes) => {
              options.sftp?.onData?.(bytes);
              served += bytes;
              if (options.rekeyEveryBytes && served >= options.rekeyEveryBytes) {
                served = 0;
                const proto = (conn as unknown as { _protocol: { _kexinit?: unknown } })._protocol;
                if (proto._kexinit === undefined) {
                  rekeys++;
                  conn.rekey();
                }
              }
            },
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hostKey,
    fingerprint,
    observer,
    rekeys: () => rekeys,
    attempts,
    swapHostKey: (privateKey) => {
      const parsed = ssh2.utils.parseKey(privateKey);
      if (parsed instanceof Error) throw parsed;
      // ssh2 shares one host-key table between the server and all its connections.
      if (sharedHostKeys) sharedHostKeys[parsed.type] = parsed;
    },
    rekeyAll: () => {
      for (const c of connections) c.rekey();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

function authenticate(ctx: AuthContext, user: TestUser | undefined, methods: string[]): void {
  if (!user || !methods.includes(ctx.method)) return ctx.reject(methods as never);
  switch (ctx.method) {
    case 'password':
      return user.password !== undefined && ctx.password === user.password ? ctx.accept() : ctx.reject(methods as never);
    case 'publickey': {
      if (!user.publicKey) return ctx.reject(methods as never);
      const allowed = ssh2.utils.parseKey(user.publicKey);
      if (allowed instanceof Error || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(methods as never);
      if (!ctx.signature) return ctx.accept();
      return allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(methods as never);
    }
    case 'keyboard-interactive':
      if (!user.keyboard) return ctx.reject(methods as never);
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], 'Ferry test', 'Answer the question', (answers) =>
        answers[0] === user.password ? ctx.accept() : ctx.reject(methods as never),
      );
    default:
      return ctx.reject(methods as never);
  }
}
