import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** The vsftpd binary (FERRY_VSFTPD overrides apt's, e.g. to check the missing-server path). */
export const VSFTPD = process.env.FERRY_VSFTPD ?? '/usr/sbin/vsftpd';

/**
 * Whether the vsftpd interop tests can run. With FERRY_REQUIRE_SERVERS=1 a missing vsftpd is an
 * error (the suite must fail, not skip); otherwise the suite is skipped.
 */
export function vsftpdAvailable(): boolean {
  const present = existsSync(VSFTPD) && process.getuid?.() === 0;
  if (!present && process.env.FERRY_REQUIRE_SERVERS === '1') {
    throw new Error(`FERRY_REQUIRE_SERVERS=1 but ${VSFTPD} is missing (or the tests do not run as root, which vsftpd needs)`);
  }
  return present;
}

export interface VsftpdInstance {
  readonly port: number;
  /** The writable anonymous folder on disk; reachable as /pub on the server. */
  readonly pub: string;
  readonly certPath: string;
  /** Kills the server and every session process it forked, with SIGKILL. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same configuration. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Every process below `pid` (vsftpd's sessions call setsid, so a process group does not hold them). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

function waitForGreeting(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = connect({ host: '127.0.0.1', port });
      let seen = '';
      s.setTimeout(1000);
      const retry = (): void => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`vsftpd on port ${port} did not come up`));
        else setTimeout(attempt, 100);
      };
      s.on('data', (d) => {
        seen += d.toString('latin1');
        // Implicit TLS servers say nothing in clear text: a connection that stays open will do.
        if (/^220/.test(seen)) {
          s.destroy();
          resolve();
        }
      });
      s.on('connect', () => {
        // An implicit-TLS server waits for a ClientHello: accept an open connection after a moment.
        setTimeout(() => {
          if (!s.destroyed) {
            s.destroy();
            resolve();
          }
        }, 300);
      });
      s.on('error', retry);
      s.on('timeout', retry);
    };
    attempt();
  });
}

/**
 * Starts apt's vsftpd on 127.0.0.1 with its own configuration: anonymous login with a writable
 * pub/, no seccomp sandbox or namespaces, passive ports in a fixed range announced as 127.0.0.1,
 * TLS required with a fresh self-signed certificate and `require_ssl_reuse=YES`; `implicit`
 * makes it an implicit-TLS (FTPS) server. Runs in the foreground (background=NO) so a test can kill it
 * together with the session processes it forked.
 */
export async function startVsftpd(options: { implicit?: boolean; root?: string } = {}): Promise<VsftpdInstance> {
  const dir = options.root ?? mkdtempSync(join(tmpdir(), 'ferry-vsftpd-'));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const anonRoot = join(dir, 'anon');
  const pub = join(anonRoot, 'pub');
  const empty = join(dir, 'empty');
  for (const d of [anonRoot, pub, empty]) mkdirSync(d, { recursive: true });
  chmodSync(anonRoot, 0o755);
  chmodSync(empty, 0o755);
  const ftpUser = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('ftp:'));
  if (!ftpUser) throw new Error('the system has no "ftp" user for anonymous vsftpd sessions');
  const [, , uid, gid] = ftpUser.split(':');
  chownSync(pub, Number(uid), Number(gid));
  chmodSync(pub, 0o755);
  const certPath = join(dir, 'vsftpd.pem');
  const keyPath = join(dir, 'vsftpd.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=ferry-vsftpd-test'], { stdio: 'ignore' });
  const port = await freePort();
  const pasvMin = 20000 + Math.floor(Math.random() * 400) * 100;
  const conf = join(dir, 'vsftpd.conf');
  writeFileSync(
    conf,
    [
      'listen=YES',
      'listen_ipv6=NO',
      'listen_address=127.0.0.1',
      `listen_port=${port}`,
      'background=NO',
      'seccomp_sandbox=NO',
      'isolate=NO',
      'isolate_network=NO',
      'anonymous_enable=YES',
      'local_enable=NO',
      'no_anon_password=YES',
      `anon_root=${anonRoot}`,
      'write_enable=YES',
      'anon_upload_enable=YES',
      'anon_mkdir_write_enable=YES',
      'anon_other_write_enable=YES',
      'anon_umask=022',
      `secure_chroot_dir=${empty}`,
      'pasv_enable=YES',
      'pasv_address=127.0.0.1',
      `pasv_min_port=${pasvMin}`,
      `pasv_max_port=${pasvMin + 99}`,
      'ssl_enable=YES',
      'allow_anon_ssl=YES',
      'force_anon_logins_ssl=YES',
      'force_anon_data_ssl=YES',
      'require_ssl_reuse=YES',
      'ssl_request_cert=NO',
      'ssl_ciphers=HIGH',
      `rsa_cert_file=${certPath}`,
      `rsa_private_key_file=${keyPath}`,
      options.implicit ? 'implicit_ssl=YES' : 'implicit_ssl=NO',
      'xferlog_enable=NO',
      'max_clients=0',
      'max_per_ip=0',
      'idle_session_timeout=600',
      'data_connection_timeout=600',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let stderr = '';
  const start = async (): Promise<void> => {
    stderr = '';
    child = spawn(VSFTPD, [conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`vsftpd exited (${code}): ${stderr}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForGreeting(port, 10_000), exited]);
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const gone = new Promise((r) => c.once('exit', r));
    for (const pid of [c.pid, ...descendants(c.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await gone;
  };
  await start();
  return {
    port,
    pub,
    certPath,
    kill,
    restart: start,
    stop: async () => {
      await kill();
      if (!options.root) rmSync(dir, { recursive: true, force: true });
    },
  };
}
