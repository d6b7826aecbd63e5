import type { TLSSocket } from 'node:tls';
import type { Protocol } from '../../../shared/model/connection';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import type { Prompter } from '../../core/prompter';
import { ConsentStore } from '../../trust/consent-store';
import { TrustStore } from '../../trust/trust-store';
import type { ConnectOptions } from '../remote-fs';
import { decideCertificate, inspectPeer, probeTlsOptions, storedPin } from './ftp-certificates';
import { FtpSession, type SessionConfig, type SessionPlan } from './ftp-session';

/** Who to ask and where trust and consent live. */
export interface NegotiationContext {
  readonly protocol: Protocol;
  readonly siteId?: string;
  readonly stateDir: string;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly acceptNew?: boolean;
  readonly allowPlain?: boolean;
  readonly onTrustChanged?: ConnectOptions['onTrustChanged'];
}

/**
 * Opens the first control connection and settles how every later one is made:
 * - ftps: implicit TLS; ftpes: explicit TLS; neither ever falls back.
 * - ftp: explicit TLS first; if the server refuses AUTH TLS, or the handshake fails or runs past
 *   its deadline, continuing in clear text needs consent (allowPlain, a stored "always" consent,
 *   or the plain-ftp prompt). No credentials are sent before that answer. After a failed
 *   handshake the clear-text connection is a fresh one.
 * The certificate is inspected before login and decided on (see decideCertificate); a server
 * whose certificate was pinned with its PEM is reached directly, verified against it, and probed
 * again (to ask) only when it presents another one.
 * Resolves with the logged-in session and the plan.
 */
export async function negotiate(config: SessionConfig, ctx: NegotiationContext): Promise<{ session: FtpSession; plan: SessionPlan }> {
  const { host, port } = config.endpoint;
  const pinned = await storedPin(ctx.stateDir, host, port);
  if (pinned) {
    const plan: SessionPlan = { mode: ctx.protocol === 'ftps' ? 'implicit' : 'explicit', tls: pinned };
    const session = new FtpSession(config);
    try {
      await session.open(plan);
      await new TrustStore(ctx.stateDir).touch('certificate', host, port);
      config.logger.log('info', `TLS ${session.tlsDescription ?? ''}; verified against the certificate pinned for ${host}:${port}`);
      return { session, plan };
    } catch (err) {
      session.close();
      if (!(err instanceof FerryError)) throw err;
      if (err.code === 'cert-changed' || err.code === 'cert-untrusted') {
        config.logger.log('warn', `${host}:${port} no longer presents the pinned certificate: ${err.message}`);
      } else if (ctx.protocol === 'ftp' && TLS_FAILURES.has(err.code)) {
        return { session: await plainAfterConsent(err.message, undefined, config, ctx), plan: { mode: 'none' } };
      } else {
        throw err;
      }
    }
  }
  return probeAndNegotiate(config, ctx);
}

const TLS_FAILURES: ReadonlySet<string> = new Set(['tls-unavailable', 'tls-handshake-failed', 'tls-handshake-timeout']);

async function probeAndNegotiate(config: SessionConfig, ctx: NegotiationContext): Promise<{ session: FtpSession; plan: SessionPlan }> {
  const { host, port } = config.endpoint;
  const probe = probeTlsOptions(host);
  let session = new FtpSession(config);
  try {
    if (ctx.protocol === 'ftps') {
      const secure = await session.connectImplicit(probe);
      const plan: SessionPlan = { mode: 'implicit', tls: await trustPeer(secure, config, ctx) };
      session = await continueOrReopen(session, secure, plan, config);
      return { session, plan };
    }
    await session.connectPlain();
    let refusal = await session.requestTls();
    let secure: TLSSocket | undefined;
    if (refusal === undefined) {
      try {
        secure = await session.upgrade(probe);
      } catch (err) {
        if (!(err instanceof FerryError) || (err.code !== 'tls-handshake-failed' && err.code !== 'tls-handshake-timeout') || ctx.protocol !== 'ftp') throw err;
        refusal = err.message;
      }
    } else if (ctx.protocol !== 'ftp') {
      throw new FerryError('tls-unavailable', `${host}:${port} offers no encryption: ${refusal}`);
    }
    if (secure) {
      const plan: SessionPlan = { mode: 'explicit', tls: await trustPeer(secure, config, ctx) };
      session = await continueOrReopen(session, secure, plan, config);
      return { session, plan };
    }
    session = await plainAfterConsent(refusal ?? 'TLS is unavailable', session, config, ctx);
    return { session, plan: { mode: 'none' } };
  } catch (err) {
    session.close();
    throw err;
  }
}

/**
 * Logs in on the probing connection when the system trusted its certificate. Otherwise (or when
 * the server gave up while the user was asked) it opens a fresh connection verified against the
 * pinned certificate: the probe's TLS session carries the failed verification, and data
 * connections resume that session, so they must resume a verified one.
 */
async function continueOrReopen(session: FtpSession, secure: TLSSocket, plan: SessionPlan, config: SessionConfig): Promise<FtpSession> {
  if (secure.authorized && !session.closed) {
    session.useTlsOptions(plan.tls!);
    await session.login();
    return session;
  }
  session.close();
  const fresh = new FtpSession(config);
  try {
    await fresh.open(plan);
  } catch (err) {
    fresh.close();
    throw err;
  }
  return fresh;
}

async function trustPeer(secure: TLSSocket, config: SessionConfig, ctx: NegotiationContext): ReturnType<typeof decideCertificate> {
  const info = inspectPeer(secure);
  config.logger.log('info', `TLS ${secure.getProtocol() ?? ''} ${secure.getCipher()?.name ?? ''}; certificate ${info.subject}, SHA-256 ${info.fingerprint}${info.authorized ? '' : ` (${info.reason})`}`);
  return decideCertificate(info, {
    host: config.endpoint.host,
    port: config.endpoint.port,
    stateDir: ctx.stateDir,
    prompter: ctx.prompter,
    logger: config.logger,
    ...(ctx.acceptNew !== undefined ? { acceptNew: ctx.acceptNew } : {}),
    ...(config.endpoint.signal ? { signal: config.endpoint.signal } : {}),
    ...(ctx.onTrustChanged ? { onTrustChanged: ctx.onTrustChanged } : {}),
  });
}

/**
 * Asks (unless consent exists) and then logs in without encryption: on `session` when it is
 * still open (AUTH TLS was refused, nothing else happened), else on a fresh connection.
 */
async function plainAfterConsent(reason: string, session: FtpSession | undefined, config: SessionConfig, ctx: NegotiationContext): Promise<FtpSession> {
  await obtainPlainConsent(reason, config, ctx);
  let plain = session;
  if (!plain || plain.closed) {
    plain = new FtpSession(config);
    await plain.connectPlain();
  }
  config.logger.log('warn', `continuing WITHOUT encryption to ${config.endpoint.host}:${config.endpoint.port}: ${reason}`);
  try {
    await plain.login();
  } catch (err) {
    plain.close();
    throw err;
  }
  return plain;
}

async function obtainPlainConsent(reason: string, config: SessionConfig, ctx: NegotiationContext): Promise<void> {
  const { host, port } = config.endpoint;
  if (ctx.allowPlain) return;
  const store = new ConsentStore(ctx.stateDir);
  const key = ConsentStore.key(host, port, ctx.siteId);
  if (await store.hasPlainFtp(key)) return;
  const signal = config.endpoint.signal;
  const answer = await ctx.prompter.ask({ kind: 'plain-ftp', host, port, reason }, signal).catch((err: unknown) => {
    throw signal?.aborted ? new FerryError('cancelled', 'cancelled') : err;
  });
  if (signal?.aborted) throw new FerryError('cancelled', 'cancelled');
  if (answer === 'always') {
    await store.grantPlainFtp(key);
    return;
  }
  if (answer === 'once') return;
  throw new FerryError('plain-refused', `${host}:${port} cannot be reached with encryption (${reason}) and continuing without it was not allowed`);
}
