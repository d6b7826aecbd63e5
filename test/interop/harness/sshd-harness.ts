import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const SSH_AGENT = '/usr/bin/ssh-agent';
const SSH_ADD = '/usr/bin/ssh-add';

/** The account used for password logins (root logs in with a key). */
export const PASSWORD_USER = 'ferrytest';
export const PASSWORD = 'ferry-interop-Pw-1';

/**
 * Whether the sshd interop tests can run: apt's OpenSSH server and client tools, and root (to run
 * sshd and create the password test account). With FERRY_REQUIRE_SERVERS=1 a missing piece is an
 * error, so the suite fails instead of skipping.
 */
export function sshdAvailable(): boolean {
  const present = [SSHD, SSH_KEYGEN, SSH_AGENT, SSH_ADD].every((p) => existsSync(p)) && process.getuid?.() === 0;
  if (!present && process.env.FERRY_REQUIRE_SERVERS === '1') {
    throw new Error(`FERRY_REQUIRE_SERVERS=1 but ${SSHD} or the OpenSSH client tools are missing (or the tests do not run as root)`);
  }
  return present;
}

export interface SshdInstance {
  readonly port: number;
  /** Per-run folder: keys, config, log; files for the tests go in `data`. */
  readonly dir: string;
  readonly data: string;
  /** Private key (OpenSSH format, no passphrase) authorized for root and the password user. */
  readonly userKeyPath: string;
  readonly hostKeyPath: string;
  /** `SHA256:...` of the host key, from ssh-keygen. */
  readonly hostFingerprint: string;
  /** Everything sshd logged so far (LogLevel DEBUG1). */
  log(): string;
  /** Protocol errors sshd logged so far (e.g. a non-KEX message during a key exchange). */
  protocolErrors(): number;
  /** Key exchanges logged so far (initial ones included). */
  kexCount(): number;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Extra sshd_config lines, placed first (the first value of a keyword wins). */
  readonly extraConfig?: readonly string[];
  readonly rekeyLimit?: string;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function keygen(path: string): void {
  execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'ferry-interop', '-f', path]);
}

/** Creates the password test account once (idempotent): no home, /bin/sh, a known password. */
export function ensurePasswordUser(): void {
  try {
    execFileSync('id', [PASSWORD_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', PASSWORD_USER]);
  }
  execFileSync('chpasswd', { input: `${PASSWORD_USER}:${PASSWORD}\n` });
}

function waitForBanner(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`sshd exited with code ${child.exitCode}`));
      const s = connect({ host: '127.0.0.1', port });
      s.setTimeout(1000);
      const retry = (): void => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`sshd on port ${port} did not come up`));
        else setTimeout(attempt, 100);
      };
      s.on('data', (d) => {
        s.destroy();
        if (d.toString('latin1').startsWith('SSH-2.0-')) resolve();
        else retry();
      });
      s.on('error', retry);
      s.on('timeout', retry);
    };
    attempt();
  });
}

/**
 * Starts apt's OpenSSH sshd in the foreground (`-D -e`) on a free 127.0.0.1 port with its own
 * host key and configuration: key auth for root, password auth for the test account, internal
 * SFTP, `RekeyLimit 1M` (hundreds of re-keys per transfer), logs kept in memory.
 */
export async function startSshd(options: SshdOptions = {}): Promise<SshdInstance> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  ensurePasswordUser();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-sshd-'));
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o777 });
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const userKeyPath = join(dir, 'id_ed25519');
  keygen(hostKeyPath);
  keygen(userKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKeyPath}.pub`));
  const hostFingerprint = execFileSync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  const port = await freePort();
  const config = [
    ...(options.extraConfig ?? []),
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'UsePAM no',
    'StrictModes no',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'Subsystem sftp internal-sftp',
    `RekeyLimit ${options.rekeyLimit ?? '1M'}`,
    'LogLevel DEBUG1',
    'MaxStartups 50',
    'MaxSessions 50',
    'PerSourcePenalties no',
  ];
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, `${config.join('\n')}\n`);
  // Old OpenSSH versions do not know PerSourcePenalties: drop it when the config test says so.
  try {
    execFileSync(SSHD, ['-t', '-f', configPath], { stdio: 'pipe' });
  } catch {
    writeFileSync(configPath, `${config.filter((l) => !l.startsWith('PerSourcePenalties')).join('\n')}\n`);
    execFileSync(SSHD, ['-t', '-f', configPath], { stdio: 'pipe' });
  }
  let log = '';
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString('utf8');
    if (log.length > 4_000_000) log = log.slice(-2_000_000);
  });
  try {
    await waitForBanner(port, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  let kex = 0;
  let protocolErrors = 0;
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    kex += (text.match(/SSH2_MSG_KEXINIT received/g) ?? []).length;
    // OpenSSH's "kex protocol error: type N seq M" (a non-KEX message during a key exchange) and
    // "dispatch_protocol_error": logged, and with strict kex fatal.
    protocolErrors += (text.match(/protocol error|protocol_error/gi) ?? []).length;
  });
  return {
    port,
    dir,
    data,
    userKeyPath,
    hostKeyPath,
    hostFingerprint,
    log: () => log,
    kexCount: () => kex,
    protocolErrors: () => protocolErrors,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An ssh-agent of our own, holding the given keys; `socket` goes into ConnectOptions.agent. */
export async function startAgent(dir: string, keys: readonly string[]): Promise<{ socket: string; stop(): void }> {
  const socket = join(dir, 'agent.sock');
  const child = spawn(SSH_AGENT, ['-D', '-a', socket], { stdio: 'ignore' });
  const until = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (Date.now() > until || child.exitCode !== null) throw new Error('ssh-agent did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const k of keys) execFileSync(SSH_ADD, ['-q', k], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
  return {
    socket,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
