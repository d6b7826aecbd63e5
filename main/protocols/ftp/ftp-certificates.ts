import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { DEFAULT_CIPHERS, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificatePrompt } from '../../../shared/ipc/prompts';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import type { Prompter } from '../../core/prompter';
import type { ConnectOptions } from '../remote-fs';
import { TrustStore } from '../../trust/trust-store';
import { PIN_MISMATCH, PINNED } from './ftp-control';

/** What the server's certificate looked like on the first connection. */
export interface PeerCertificateInfo {
  /** True when the system CAs and the host name check accept it. */
  readonly authorized: boolean;
  readonly reason: string;
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly pem: string;
}

/**
 * Node's default cipher list with AES-128-GCM moved to the front of the TLS 1.3 suites (Node
 * puts AES-256-GCM first). Servers follow the client's order by default, and on a fast link
 * the server's encryption is what limits a transfer: AES-128 does 10 rounds per block to
 * AES-256's 14 (OpenSSH prefers it for the same reason). TLS 1.2 keeps Node's order, which
 * already starts with AES-128-GCM.
 */
export const TLS_CIPHERS = ['TLS_AES_128_GCM_SHA256', ...DEFAULT_CIPHERS.split(':').filter((c) => c !== 'TLS_AES_128_GCM_SHA256')].join(':');

/** TLS options for the first look at a server: nothing is rejected yet, it is inspected before login. */
export function probeTlsOptions(host: string): ConnectionOptions {
  return { host, ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: false, ciphers: TLS_CIPHERS };
}

/** TLS options that trust the system CAs and the host name (the certificate validated normally). */
export function systemTlsOptions(host: string): ConnectionOptions {
  return { host, ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: true, ciphers: TLS_CIPHERS };
}

/**
 * TLS options pinned to one certificate: it is the only trust anchor and its SHA-256 fingerprint
 * must match, on the control connection and on every data connection that does a full handshake.
 */
export function pinnedTlsOptions(host: string, pem: string, fingerprint: string): ConnectionOptions {
  return {
    ...systemTlsOptions(host),
    [PINNED]: fingerprint,
    ca: [pem],
    allowPartialTrustChain: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate) => {
      if (cert.fingerprint256 === fingerprint) return undefined;
      const err = new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned ${fingerprint}`) as Error & { [PIN_MISMATCH]?: string };
      err[PIN_MISMATCH] = cert.fingerprint256;
      return err;
    },
  } as ConnectionOptions;
}

/** Reads the peer certificate and the verdict of the system CAs + host name check. */
export function inspectPeer(socket: TLSSocket): PeerCertificateInfo {
  const cert = socket.getPeerCertificate(false);
  if (!cert || !cert.raw) throw new FerryError('tls-handshake-failed', 'the server presented no TLS certificate');
  const error = socket.authorizationError as unknown as Error | string | null;
  const reason = error ? describeReason(typeof error === 'string' ? error : ((error as { code?: string }).code ?? error.message)) : '';
  const b64 = cert.raw.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    authorized: socket.authorized,
    reason,
    fingerprint: cert.fingerprint256,
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    pem: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
  };
}

function dn(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function describeReason(code: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed certificate';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'issued by an unknown authority';
    case 'CERT_HAS_EXPIRED':
      return 'the certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the certificate is not valid yet';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'the certificate is for another host name';
    default:
      return code;
  }
}

/** Who decides about a certificate the system does not trust. */
export interface CertificateDecisionContext {
  readonly host: string;
  readonly port: number;
  readonly stateDir: string;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly acceptNew?: boolean;
  readonly signal?: AbortSignal;
  /** Told when a changed certificate is refused, so the trust center can offer to replace it. */
  readonly onTrustChanged?: ConnectOptions['onTrustChanged'];
}

/**
 * Decides whether to go on with this certificate and returns the TLS options every further
 * connection (control and data) must use. System-trusted: normal verification. Otherwise the
 * pinned entry in the trust store decides; an unknown one is asked about (or accepted with
 * acceptNew); a changed one is asked about again with the previous fingerprint and can only be
 * accepted for this connection (the trust center replaces pins). Refusals throw
 * 'cert-untrusted' / 'cert-changed'. Nothing has been sent to the server yet but AUTH TLS.
 */
export async function decideCertificate(info: PeerCertificateInfo, ctx: CertificateDecisionContext): Promise<ConnectionOptions> {
  if (info.authorized) return systemTlsOptions(ctx.host);
  const store = new TrustStore(ctx.stateDir);
  const pinned = await store.get('certificate', ctx.host, ctx.port);
  if (pinned && pinned.fingerprint === info.fingerprint) {
    await store.touch('certificate', ctx.host, ctx.port);
    return pinnedTlsOptions(ctx.host, info.pem, info.fingerprint);
  }
  const request: CertificatePrompt = {
    kind: 'certificate',
    host: ctx.host,
    port: ctx.port,
    subject: info.subject,
    issuer: info.issuer,
    validFrom: info.validFrom,
    validTo: info.validTo,
    fingerprint: info.fingerprint,
    reason: info.reason || 'not trusted by the system',
    ...(pinned ? { previousFingerprint: pinned.fingerprint } : {}),
  };
  const answer =
    !pinned && ctx.acceptNew
      ? 'trust-always'
      : await ctx.prompter.ask(request, ctx.signal).catch((err: unknown) => {
          throw ctx.signal?.aborted ? new FerryError('cancelled', 'cancelled') : err;
        });
  if (ctx.signal?.aborted) throw new FerryError('cancelled', 'cancelled');
  if (pinned && (answer === 'trust-always' || answer === 'trust-once')) {
    // A changed certificate may be accepted for this connection, never re-pinned from the
    // prompt: only the trust center replaces a pinned certificate, after its warning.
    ctx.onTrustChanged?.({ kind: 'certificate', host: ctx.host, port: ctx.port, type: 'x509', fingerprint: info.fingerprint, previousFingerprint: pinned.fingerprint });
    ctx.logger.log('warn', `accepting the CHANGED certificate of ${ctx.host}:${ctx.port} (${info.fingerprint}) for this connection only; the trust center can replace the pinned one`);
  } else if (answer === 'trust-always') {
    await store.put({ kind: 'certificate', host: ctx.host, port: ctx.port, type: 'x509', fingerprint: info.fingerprint, details: { subject: info.subject, issuer: info.issuer, validFrom: info.validFrom, validTo: info.validTo, pem: info.pem } });
    ctx.logger.log('info', `trusting the certificate of ${ctx.host}:${ctx.port} (${info.fingerprint}) from now on`);
  } else if (answer === 'trust-once') {
    ctx.logger.log('info', `trusting the certificate of ${ctx.host}:${ctx.port} (${info.fingerprint}) for this connection`);
  } else if (pinned) {
    ctx.onTrustChanged?.({ kind: 'certificate', host: ctx.host, port: ctx.port, type: 'x509', fingerprint: info.fingerprint, previousFingerprint: pinned.fingerprint });
    throw new FerryError('cert-changed', `the TLS certificate of ${ctx.host}:${ctx.port} has changed since it was trusted`, `was ${pinned.fingerprint}, now ${info.fingerprint}`);
  } else {
    throw new FerryError('cert-untrusted', `the TLS certificate of ${ctx.host}:${ctx.port} is not trusted (${request.reason})`, info.fingerprint);
  }
  return pinnedTlsOptions(ctx.host, info.pem, info.fingerprint);
}

/**
 * TLS options pinned to the certificate trusted earlier for this host and port, when the trust
 * store holds it (its PEM, matching the pinned fingerprint): such a server can be reached in one
 * verified connection instead of a probe and a pinned reconnect.
 */
export async function storedPin(stateDir: string, host: string, port: number): Promise<ConnectionOptions | undefined> {
  const record = await new TrustStore(stateDir).get('certificate', host, port);
  const pem = record?.details?.pem;
  if (!record || !pem) return undefined;
  try {
    if (new X509Certificate(pem).fingerprint256 !== record.fingerprint) return undefined;
  } catch {
    return undefined;
  }
  return pinnedTlsOptions(host, pem, record.fingerprint);
}
