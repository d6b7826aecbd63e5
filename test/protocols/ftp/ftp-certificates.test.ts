import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificatePrompt } from '../../../shared/ipc/prompts';
import { createServer as createTlsServer } from 'node:tls';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { TrustStore } from '../../../main/trust/trust-store';
import { pinnedTlsOptions, TLS_CIPHERS } from '../../../main/protocols/ftp/ftp-certificates';
import { DEFAULT_CIPHERS } from 'node:tls';
import { tlsHandshake } from '../../../main/protocols/ftp/ftp-control';
import { errorCode, makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { startEmbeddedFtp, type EmbeddedServer } from './helpers/embedded-ftp-server';
import { makeSelfSignedCert, makeTempDir } from './helpers/temp-dir';

const TIMEOUTS = { connectMs: 5000, tlsMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 5000 };

describe('TLS cipher order', () => {
  it('offers AES-128-GCM first and still every cipher Node offers by default', () => {
    expect(TLS_CIPHERS.split(':')[0]).toBe('TLS_AES_128_GCM_SHA256');
    expect([...TLS_CIPHERS.split(':')].sort()).toEqual([...DEFAULT_CIPHERS.split(':')].sort());
  });
});

describe('certificates (explicit and implicit TLS, self-signed)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let explicit: EmbeddedServer;
  let implicit: EmbeddedServer;
  let fingerprint: string;
  let n = 0;
  const freshState = (): string => join(tmp.path, `state-${++n}`);

  beforeAll(async () => {
    tmp = makeTempDir();
    mkdirSync(join(tmp.path, 'root'));
    writeFileSync(join(tmp.path, 'root', 'f.txt'), 'f');
    const cert = makeSelfSignedCert(tmp.path);
    const out = execFileSync('openssl', ['x509', '-in', cert.certPath, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    fingerprint = out.trim().split('=')[1]!;
    explicit = await startEmbeddedFtp(join(tmp.path, 'root'), 'explicit', cert);
    implicit = await startEmbeddedFtp(join(tmp.path, 'root'), 'implicit', cert);
  });
  afterAll(async () => {
    await explicit?.close();
    await implicit?.close();
    tmp?.remove();
  });

  it('asks with subject, issuer, validity, SHA-256 fingerprint and reason, before any login', async () => {
    const prompter = recordingPrompter({ certificate: 'reject' });
    const { fs } = makeFs({ protocol: 'ftpes', port: explicit.port, stateDir: freshState(), prompter, timeouts: TIMEOUTS });
    const logins = explicit.logins.length;
    expect(await errorCode(fs.connect())).toBe('cert-untrusted');
    const req = prompter.asked[0]!.request as CertificatePrompt;
    expect(req).toMatchObject({ kind: 'certificate', host: '127.0.0.1', port: explicit.port, fingerprint, reason: 'self-signed certificate' });
    expect(req.subject).toContain('CN=ferry-test');
    expect(req.issuer).toContain('CN=ferry-test');
    expect(req.validFrom).toMatch(/\d{4}/);
    expect(req.validTo).toMatch(/\d{4}/);
    expect(req.previousFingerprint).toBeUndefined();
    expect(explicit.logins.length).toBe(logins);
  });

  it('"trust-always" pins the certificate: the next connection asks nothing and data connections work', async () => {
    const state = freshState();
    const first = recordingPrompter({ certificate: 'trust-always' });
    const a = makeFs({ protocol: 'ftps', port: implicit.port, stateDir: state, prompter: first, timeouts: TIMEOUTS });
    await a.fs.connect();
    await a.fs.close();
    const pinned = await new TrustStore(state).get('certificate', '127.0.0.1', implicit.port);
    expect(pinned).toMatchObject({ kind: 'certificate', fingerprint });
    const second = recordingPrompter({});
    const b = makeFs({ protocol: 'ftps', port: implicit.port, stateDir: state, prompter: second, timeouts: TIMEOUTS });
    const before = implicit.connections();
    await b.fs.connect();
    // Pinned with its PEM: one verified connection, no probe.
    expect(implicit.connections() - before).toBe(1);
    try {
      // The log names the protocol and cipher of a pinned connection too.
      expect(b.lines.map((l) => l.text).find((t) => t.startsWith('TLS '))).toMatch(/^TLS TLSv1\.3 TLS_AES_\d+_GCM_SHA\d+; verified against the certificate pinned/);
      expect((await b.fs.list('/')).map((e) => e.name)).toContain('f.txt');
      expect(await b.fs.download('/f.txt', join(tmp.path, 'f-copy.txt'))).toBe(1);
    } finally {
      await b.fs.close();
    }
    expect(second.asked).toHaveLength(0);
  });

  it('acceptNew trusts a first-seen certificate without asking', async () => {
    const state = freshState();
    const prompter = recordingPrompter({});
    const { fs } = makeFs({ protocol: 'ftpes', port: explicit.port, stateDir: state, prompter, acceptNew: true, timeouts: TIMEOUTS });
    await fs.connect();
    await fs.close();
    expect(prompter.asked).toHaveLength(0);
    expect((await new TrustStore(state).get('certificate', '127.0.0.1', explicit.port))?.fingerprint).toBe(fingerprint);
  });

  it('a changed certificate asks again with the previous fingerprint; refusing is cert-changed, even with acceptNew', async () => {
    const state = freshState();
    const old = 'AA:'.repeat(31) + 'AA';
    await new TrustStore(state).put({ kind: 'certificate', host: '127.0.0.1', port: explicit.port, type: 'x509', fingerprint: old });
    const prompter = recordingPrompter({ certificate: 'reject' });
    const logins = explicit.logins.length;
    const { fs } = makeFs({ protocol: 'ftpes', port: explicit.port, stateDir: state, prompter, acceptNew: true, timeouts: TIMEOUTS });
    expect(await errorCode(fs.connect())).toBe('cert-changed');
    expect(prompter.asked[0]!.request).toMatchObject({ kind: 'certificate', fingerprint, previousFingerprint: old });
    expect(explicit.logins.length).toBe(logins);
  });

  it('a changed certificate accepted at the prompt connects this time only: the pin stays, the trust center is told', async () => {
    const state = freshState();
    const old = 'BB:'.repeat(31) + 'BB';
    await new TrustStore(state).put({ kind: 'certificate', host: '127.0.0.1', port: explicit.port, type: 'x509', fingerprint: old });
    const changes: unknown[] = [];
    for (const answer of ['trust-always', 'trust-once'] as const) {
      const prompter = recordingPrompter({ certificate: answer });
      const { fs, lines } = makeFs({ protocol: 'ftpes', port: explicit.port, stateDir: state, prompter, timeouts: TIMEOUTS, onTrustChanged: (c) => changes.push(c) });
      await fs.connect();
      expect((await fs.list('/')).length).toBeGreaterThanOrEqual(0);
      await fs.close();
      expect(prompter.asked[0]!.request).toMatchObject({ previousFingerprint: old });
      expect(lines.some((l) => l.level === 'warn' && /CHANGED certificate .* for this connection only/.test(l.text))).toBe(true);
      expect((await new TrustStore(state).get('certificate', '127.0.0.1', explicit.port))?.fingerprint).toBe(old);
    }
    expect(changes).toHaveLength(2);
  });

  it('a pinned certificate (with its PEM) replaced by another: probes again, asks with the previous fingerprint, refuses', async () => {
    const state = freshState();
    const other = makeSelfSignedCert(tmp.path, 'other');
    const otherFp = execFileSync('openssl', ['x509', '-in', other.certPath, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1]!;
    await new TrustStore(state).put({ kind: 'certificate', host: '127.0.0.1', port: explicit.port, type: 'x509', fingerprint: otherFp, details: { pem: other.cert } });
    const prompter = recordingPrompter({ certificate: 'reject' });
    const logins = explicit.logins.length;
    const changes: unknown[] = [];
    const { fs, lines } = makeFs({ protocol: 'ftpes', port: explicit.port, stateDir: state, prompter, timeouts: TIMEOUTS, onTrustChanged: (c) => changes.push(c) });
    expect(await errorCode(fs.connect())).toBe('cert-changed');
    expect(prompter.asked[0]!.request).toMatchObject({ kind: 'certificate', fingerprint, previousFingerprint: otherFp });
    expect(changes).toEqual([{ kind: 'certificate', host: '127.0.0.1', port: explicit.port, type: 'x509', fingerprint, previousFingerprint: otherFp }]);
    expect(lines.some((l) => l.level === 'warn' && /no longer presents the pinned certificate/.test(l.text))).toBe(true);
    expect(explicit.logins.length).toBe(logins);
  });

  it('ftp:// with a TLS-capable server uses TLS and never asks about clear text', async () => {
    const prompter = recordingPrompter({ certificate: 'trust-once', 'plain-ftp': 'once' });
    const { fs, lines } = makeFs({ protocol: 'ftp', port: explicit.port, stateDir: freshState(), prompter, timeouts: TIMEOUTS });
    await fs.connect();
    await fs.close();
    expect(prompter.asked.map((a) => a.request.kind)).toEqual(['certificate']);
    expect(lines.some((l) => /^TLS/.test(l.text))).toBe(true);
  });
});

describe('a certificate replaced while connected', () => {
  it('new connections of the pool refuse it (cert-changed) and the trust center is told', async () => {
    const tmp = makeTempDir();
    const root = join(tmp.path, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'f.txt'), 'f');
    const first = makeSelfSignedCert(tmp.path, 'first');
    const second = makeSelfSignedCert(tmp.path, 'second');
    let srv = await startEmbeddedFtp(root, 'implicit', first);
    const port = srv.port;
    const changes: { fingerprint: string; previousFingerprint: string }[] = [];
    const { fs } = makeFs({ protocol: 'ftps', port, stateDir: join(tmp.path, 'state'), prompter: recordingPrompter({ certificate: 'trust-always' }), timeouts: TIMEOUTS, onTrustChanged: (c) => changes.push(c) });
    try {
      await fs.connect();
      await srv.close();
      srv = await startEmbeddedFtp(root, 'implicit', second, port);
      expect(await errorCode(fs.download('/f.txt', join(tmp.path, 'f.txt')))).toBe('cert-changed');
      await new Promise((r) => setTimeout(r, 100));
      const fp = (pem: string): string => new X509Certificate(pem).fingerprint256;
      expect(changes).toEqual([expect.objectContaining({ fingerprint: fp(second.cert), previousFingerprint: fp(first.cert) })]);
    } finally {
      await fs.close();
      await srv.close();
      tmp.remove();
    }
  });
});

describe('pinned TLS options', () => {
  it('accept the pinned certificate and refuse any other with cert-changed, naming the presented one', async () => {
    const tmp = makeTempDir();
    const a = makeSelfSignedCert(tmp.path, 'a');
    const b = makeSelfSignedCert(tmp.path, 'b');
    const fp = (pem: string): string => execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem, encoding: 'utf8' }).trim().split('=')[1]!;
    const server = createTlsServer({ cert: b.cert, key: b.key }, (s) => s.end());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const ep = { host: '127.0.0.1', port, timeouts: TIMEOUTS };
    const handshake = async (pem: string, fingerprint: string): Promise<string> => {
      const raw = netConnect({ host: '127.0.0.1', port });
      await new Promise((r) => raw.once('connect', r));
      try {
        const secure = await tlsHandshake(raw, pinnedTlsOptions('127.0.0.1', pem, fingerprint), ep);
        secure.destroy();
        return 'ok';
      } catch (err) {
        return `${(err as { code: string }).code} ${(err as { detail: string }).detail}`;
      }
    };
    try {
      expect(await handshake(b.cert, fp(b.cert))).toBe('ok');
      // Another certificate than the pinned one, and the pinned one under another fingerprint.
      expect(await handshake(a.cert, fp(a.cert))).toBe(`cert-changed ${fp(b.cert)}`);
      expect(await handshake(b.cert, fp(a.cert))).toBe(`cert-changed ${fp(b.cert)}`);
    } finally {
      server.close();
      tmp.remove();
    }
  });
});
