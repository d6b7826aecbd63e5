import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Client, FTPContext, FTPResponse } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { Timeouts } from '../remote-fs';
import { withDeadline } from './deadline';
import { ftpError } from './ftp-errors';

/** Where and how long: what every phase of opening a control connection needs. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly timeouts: Timeouts;
  readonly signal?: AbortSignal;
}

/** Marks the Error our pinned checkServerIdentity returns (value: the presented fingerprint), so a mismatch reads as 'cert-changed'. */
export const PIN_MISMATCH = Symbol('ferry-pin-mismatch');

/** Set on TLS options pinned to one certificate (value: its fingerprint). */
export const PINNED = Symbol('ferry-pinned-certificate');

const UNTRUSTED_TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME/i;

/** Opens the TCP connection within `connectMs`. */
export function tcpConnect(ep: Endpoint): Promise<Socket> {
  let socket: Socket | undefined;
  return withDeadline(
    { ms: ep.timeouts.connectMs, phase: `connecting to ${ep.host}:${ep.port}`, onExpire: () => socket?.destroy(), ...(ep.signal ? { signal: ep.signal } : {}) },
    () =>
      new Promise<Socket>((resolve, reject) => {
        const s = netConnect({ host: ep.host, port: ep.port });
        socket = s;
        s.once('error', (err) => {
          s.destroy();
          reject(ftpError(err, `cannot connect to ${ep.host}:${ep.port}`));
        });
        s.once('connect', () => {
          s.removeAllListeners('error');
          s.setNoDelay(true);
          resolve(s);
        });
      }),
  );
}

/**
 * Runs a TLS handshake over `socket` within `tlsMs` (basic-ftp has no timer during this phase:
 * a server that answers 234 and goes silent would hold it forever). Failures become
 * 'tls-handshake-failed', 'tls-handshake-timeout', 'cert-untrusted' or 'cert-changed'.
 */
export function tlsHandshake(socket: Socket, options: ConnectionOptions, ep: Endpoint): Promise<TLSSocket> {
  let secure: TLSSocket | undefined;
  const close = (): void => {
    secure?.destroy();
    socket.destroy();
  };
  return withDeadline(
    { ms: ep.timeouts.tlsMs, phase: `the TLS handshake with ${ep.host}:${ep.port}`, code: 'tls-handshake-timeout', onExpire: close, ...(ep.signal ? { signal: ep.signal } : {}) },
    () =>
      new Promise<TLSSocket>((resolve, reject) => {
        // A pinned control connection is checked here rather than refused inside Node, so the
        // certificate that replaced the pinned one can be named (data connections, which resume
        // this verified session, keep Node's own refusal).
        const pinned = (options as { [PINNED]?: string })[PINNED];
        const s = tlsConnect({ ...options, socket, ...(pinned ? { rejectUnauthorized: false } : {}) });
        secure = s;
        const onClose = (): void => reject(new FerryError('tls-handshake-failed', `the TLS handshake with ${ep.host}:${ep.port} failed: the server closed the connection`));
        s.once('close', onClose);
        s.once('error', (err: Error & { code?: string; [PIN_MISMATCH]?: string }) => {
          close();
          // The detail of a cert-changed error is the fingerprint the server presented.
          if (err[PIN_MISMATCH]) reject(new FerryError('cert-changed', `the TLS certificate of ${ep.host}:${ep.port} is not the one trusted before`, err[PIN_MISMATCH]));
          else if (typeof err.code === 'string' && UNTRUSTED_TLS_CODES.test(err.code)) {
            reject(new FerryError('cert-untrusted', `the TLS certificate of ${ep.host}:${ep.port} is not trusted (${err.message})`, err.code));
          } else reject(new FerryError('tls-handshake-failed', `the TLS handshake with ${ep.host}:${ep.port} failed: ${err.message}`, err.code));
        });
        s.once('secureConnect', () => {
          if (pinned && !s.authorized) {
            const presented = s.getPeerCertificate()?.fingerprint256 ?? 'unknown';
            close();
            reject(new FerryError('cert-changed', `the TLS certificate of ${ep.host}:${ep.port} is not the one trusted before`, presented));
            return;
          }
          s.removeAllListeners('error');
          s.removeListener('close', onClose);
          s.setNoDelay(true);
          resolve(s);
        });
      }),
  );
}

interface ClientInternals {
  _handleConnectResponse(): Promise<FTPResponse>;
}

/** Hands a connected socket to basic-ftp and waits for the greeting within `connectMs`. */
export function greet(client: Client, socket: Socket, ep: Endpoint): Promise<FTPResponse> {
  client.ftp.socket = socket;
  return withDeadline(
    { ms: ep.timeouts.connectMs, phase: `the greeting from ${ep.host}:${ep.port}`, onExpire: () => client.close(), ...(ep.signal ? { signal: ep.signal } : {}) },
    () => (client as unknown as ClientInternals)._handleConnectResponse(),
  ).catch((err: unknown) => {
    client.close();
    throw ftpError(err, `${ep.host}:${ep.port} did not greet`);
  });
}

/**
 * Sends one command and waits for its reply within `ms`. On expiry or a broken connection the
 * client is closed; a negative reply leaves it usable and rejects with the mapped FerryError.
 */
export function sendCommand(client: Client, command: string, ms: number, what = command.split(' ')[0]!, signal?: AbortSignal): Promise<FTPResponse> {
  return runOnClient(client, ms, what, () => client.send(command), signal);
}

/** Like sendCommand, but a negative reply resolves (with its code) instead of rejecting. */
export function sendIgnoringError(client: Client, command: string, ms: number): Promise<FTPResponse> {
  return runOnClient(client, ms, command.split(' ')[0]!, () => client.sendIgnoringError(command));
}

/** Runs one basic-ftp operation against a deadline; see sendCommand. */
export function runOnClient<T>(client: Client, ms: number, what: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return withDeadline({ ms, phase: `the reply to ${what}`, onExpire: () => client.close(), ...(signal ? { signal } : {}) }, work).catch((err: unknown) => {
    const mapped = ftpError(err, what);
    if (!(err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'number')) client.close();
    throw mapped;
  });
}

/** The control socket's peer address: data connections go there and nowhere else. */
export function controlAddress(ftp: FTPContext): string {
  const address = ftp.socket.remoteAddress;
  if (!address) throw new FerryError('connection-lost', 'the control connection is closed');
  return address.replace(/^::ffff:/i, '');
}
