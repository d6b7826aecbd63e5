import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A per-run folder under the system temp dir; remove() deletes it. */
export function makeTempDir(prefix = 'ferry-ftp-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh self-signed certificate (P-256) made with openssl into `dir`. */
export function makeSelfSignedCert(dir: string, name = 'cert'): { cert: string; key: string; certPath: string; keyPath: string } {
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=ferry-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
}

/**
 * A test certificate authority in `dir` and a server certificate it signed with `san` (e.g.
 * "IP:127.0.0.1" or "DNS:other.example"), made with openssl. Trusting `caPath` (NODE_EXTRA_CA_CERTS
 * in a child process) makes the server certificate one the system trusts.
 */
export function makeCaSignedCert(dir: string, san: string, name = 'leaf'): { cert: string; key: string; caPath: string } {
  const caPath = join(dir, 'test-ca.pem');
  const caKey = join(dir, 'test-ca.key');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  if (!existsSync(caPath)) {
    execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', caPath, '-days', '2', '-subj', '/CN=ferry-test-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], { stdio: 'ignore' });
  }
  const keyPath = join(dir, `${name}.key`);
  const csrPath = join(dir, `${name}.csr`);
  const certPath = join(dir, `${name}.pem`);
  const extPath = join(dir, `${name}.ext`);
  writeFileSync(extPath, `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  execFileSync('openssl', ['req', ...ec, '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${name}`], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csrPath, '-CA', caPath, '-CAkey', caKey, '-set_serial', String(Date.now()), '-days', '2', '-extfile', extPath, '-out', certPath], { stdio: 'ignore' });
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), caPath };
}
