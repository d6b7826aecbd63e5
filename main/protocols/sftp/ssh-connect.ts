import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Algorithms, Client as SshClient, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import { FerryError, toFerryError } from '../../core/ferry-error';
import type { Prompter } from '../../core/prompter';
import { DEFAULT_TIMEOUTS, type ConnectOptions, type Timeouts } from '../remote-fs';
import { HostKeyVerifier } from './host-key-verifier';
import { installDataFastPath } from './sftp-data-fast-path';
import { ReadRing } from './ssh-read-ring';
import { poolOutgoingPackets, type WritePoolStats } from './ssh-write-pool';
import { SshAuthenticator } from './ssh-auth';
import { internalsOf } from './ssh-internals';
import { tolerateIgnoreDuringRekey } from './strict-rekey-patch';

/** Modern ciphers first; AES-GCM leads because it is the fastest with AES-NI (and OpenSSH's choice too). */
export const CIPHERS = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr'];
const HOST_KEYS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const MACS = ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1'];

/** Connection knobs beyond ConnectOptions (see SftpTuning). */
export interface SshConnectTuning {
  readonly knownHostsPath: string;
  /** Cipher preference override (the benchmark pins one). */
  readonly ciphers?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** ssh2's protocol trace, for debugging only (never secrets: ssh2 does not print them). */
  readonly debug?: (line: string) => void;
}

/** A logged-in SSH connection with its SFTP channel open. */
export interface SshConnection {
  readonly client: SshClient;
  readonly sftp: SFTPWrapper;
  readonly verifier: HostKeyVerifier;
  /** Outgoing SSH packets built in reused buffers (ssh-write-pool.ts). */
  readonly writePool: WritePoolStats;
}

/**
 * Opens an SSH connection and its SFTP channel: host key checked against Ferry's trust store and
 * known_hosts, authentication per `SshAuthenticator`, compression off, Nagle off, the strict-kex
 * re-key patch installed. Each phase has its deadline, paused while a person answers a prompt.
 */
export async function openSshConnection(options: ConnectOptions, tuning: SshConnectTuning, signal?: AbortSignal): Promise<SshConnection> {
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const { host, port } = options.target;
  const deadline = new PhaseDeadline();
  const prompter = deadline.pausingPrompter(options.prompter);
  const verifier = new HostKeyVerifier({
    host,
    port,
    stateDir: options.stateDir,
    knownHostsPath: tuning.knownHostsPath,
    prompter,
    acceptNew: options.acceptNew === true,
    logger: options.logger,
    ...(options.onTrustChanged ? { onTrustChanged: options.onTrustChanged } : {}),
  });
  const knownTypes = await verifier.knownKeyTypes();
  const keyLabel = options.target.keyFile ?? 'the private key';
  let privateKey = options.privateKey;
  if (!privateKey && options.target.auth === 'key' && options.target.keyFile) {
    privateKey = await readFile(options.target.keyFile).catch((err: unknown) => {
      throw new FerryError('auth-failed', `cannot read the key file ${options.target.keyFile}`, String(err));
    });
  }
  const username = options.target.user ?? userInfo().username;
  const wantsAgent = options.target.auth === 'agent' || (options.target.auth === undefined && !privateKey && options.password === undefined);
  const agentSocket = options.agent ?? (wantsAgent ? tuning.env.SSH_AUTH_SOCK : undefined);
  if (options.target.auth === 'agent' && !agentSocket) throw new FerryError('auth-failed', 'no ssh-agent is available (SSH_AUTH_SOCK is not set)');
  options.logger.addSecret(options.password);
  options.logger.addSecret(options.passphrase);
  const auth = new SshAuthenticator({
    username,
    host,
    auth: options.target.auth,
    password: options.password,
    privateKey,
    keyLabel,
    passphrase: options.passphrase,
    agentSocket,
    prompter,
    logger: options.logger,
  });
  const algorithms: Algorithms = {
    cipher: [...(tuning.ciphers ?? CIPHERS)] as Algorithms['cipher'],
    serverHostKey: [...knownTypes.filter((t) => HOST_KEYS.includes(t)), ...HOST_KEYS.filter((t) => !knownTypes.includes(t))] as Algorithms['serverHostKey'],
    hmac: MACS as Algorithms['hmac'],
    compress: ['none'],
  };

  const client = new ssh2.Client();
  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    const fail = (err: FerryError): void => {
      if (settled) return;
      settled = true;
      deadline.stop();
      signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      client.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(new FerryError('cancelled', `connecting to ${host}:${port} was cancelled`));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    deadline.start('connect', timeouts.connectMs, () => fail(new FerryError('timeout', `connecting to ${host}:${port} timed out after ${timeouts.connectMs / 1000} s`)));

    client.once('handshake', (negotiated) => {
      options.logger.log('info', `SSH keys agreed: ${negotiated.kex}, ${negotiated.cs.cipher}, host key ${negotiated.serverHostKey}`);
      deadline.start('login', timeouts.loginMs, () => fail(new FerryError('timeout', `logging in to ${host}:${port} timed out after ${timeouts.loginMs / 1000} s`)));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'agent') {
        // A stale SSH_AUTH_SOCK or an agent that will not sign: ssh2 goes on with the next
        // method by itself; only a login that asked for the agent alone ends here.
        options.logger.log('warn', `the ssh-agent could not be used: ${err.message}`);
        if (options.target.auth === 'agent') fail(new FerryError('auth-failed', `the ssh-agent could not be used for ${username}@${host}`, err.message));
        return;
      }
      fail(connectError(err, host, port, verifier, auth));
    });
    client.on('close', () => fail(verifier.failure ?? auth.failure ?? new FerryError('connection-lost', `${host}:${port} closed the connection during login`)));
    client.once('ready', () => {
      deadline.start('sftp', timeouts.commandMs, () => fail(new FerryError('timeout', `${host}:${port} did not start SFTP within ${timeouts.commandMs / 1000} s`)));
      client.sftp((err, sftp) => {
        if (err) return fail(new FerryError('protocol-error', `${host}:${port} refused the SFTP subsystem`, err.message));
        if (settled) return;
        settled = true;
        deadline.stop();
        signal?.removeEventListener('abort', onAbort);
        client.removeAllListeners('error');
        client.removeAllListeners('close');
        installDataFastPath(sftp);
        ring.share((sftp as unknown as { incoming: { id: number } }).incoming.id);
        resolve({ client, sftp, verifier, writePool });
      });
    });

    client.on('connect', () => client.setNoDelay(true));
    client.on('banner', (message: string) => options.logger.log('info', `server banner: ${message.trim()}`));
    const ring = new ReadRing(host, port);
    client.connect({
      sock: ring.socket,
      host,
      port,
      username,
      hostVerifier: (key: Buffer, done: (ok: boolean) => void) => verifier.verify(key, done),
      authHandler: auth.handler,
      algorithms,
      readyTimeout: 0,
      keepaliveInterval: 0,
      ...(tuning.debug ? { debug: tuning.debug } : {}),
    } as ssh2.ConnectConfig);
    const proto = internalsOf(client)._protocol!;
    const writePool = poolOutgoingPackets(proto, ring.socket);
    tolerateIgnoreDuringRekey(
      proto,
      (type) => options.logger.log('debug', `ignored SSH message ${type} received during a re-key`),
      (payload) => ring.own(payload),
    );
  });
}

function connectError(err: Error & { level?: string; code?: unknown }, host: string, port: number, verifier: HostKeyVerifier, auth: SshAuthenticator): FerryError {
  if (verifier.failure) return verifier.failure;
  if (auth.failure) return auth.failure;
  switch (err.level) {
    case 'client-authentication':
      return new FerryError('auth-failed', `${host}:${port} refused the login`, err.message);
    case 'client-dns':
      return new FerryError('dns-failed', `the host name ${host} could not be resolved`, err.message);
    case 'client-timeout':
      return new FerryError('timeout', `${host}:${port} stopped answering`, err.message);
    case 'client-socket':
      return toFerryError(err, `cannot connect to ${host}:${port}`);
    case 'handshake':
      return new FerryError('protocol-error', `the SSH handshake with ${host}:${port} failed`, err.message);
    case 'protocol':
      return new FerryError('connection-lost', `${host}:${port} closed the connection`, err.message);
    default:
      return toFerryError(err, `cannot connect to ${host}:${port}`);
  }
}

/** One deadline per connection phase; it does not run while a prompt waits for a person. */
class PhaseDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remaining = 0;
  private startedAt = 0;
  private onExpire: (() => void) | undefined;
  private prompts = 0;

  start(_phase: string, ms: number, onExpire: () => void): void {
    this.stop();
    this.remaining = ms;
    this.onExpire = onExpire;
    if (this.prompts === 0) this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.onExpire = undefined;
  }

  pausingPrompter(prompter: Prompter): Prompter {
    return {
      ask: async (request, signal) => {
        this.pause();
        try {
          return await prompter.ask(request, signal);
        } finally {
          this.resume();
        }
      },
    };
  }

  private arm(): void {
    const expire = this.onExpire;
    if (!expire) return;
    this.startedAt = Date.now();
    this.timer = setTimeout(expire, this.remaining);
  }

  private pause(): void {
    if (this.prompts++ === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remaining = Math.max(0, this.remaining - (Date.now() - this.startedAt));
    }
  }

  private resume(): void {
    if (--this.prompts === 0) this.arm();
  }
}
