import { connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, TLSSocket, type ConnectionOptions } from 'node:tls';
import { FTPError, type FTPContext, type FTPResponse } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import { controlAddress } from './ftp-control';
import { bindTap, takePendingTap, type DataTap } from './data-tap';
import { withDeadline } from './deadline';

interface ContextInternals {
  tlsSessionStore: unknown;
  tlsOptions: object;
}


/** Port from an EPSV reply "229 ... (|||6446|)". */
export function parseEpsvPort(message: string): number {
  const m = /\(([!-~])\1\1(\d{1,5})\1\)/.exec(message);
  const port = m ? Number(m[2]) : NaN;
  if (!(port > 0 && port < 65536)) throw new FerryError('protocol-error', `the server sent an EPSV reply Ferry cannot read: ${message.slice(0, 120)}`);
  return port;
}

/** Host and port from a PASV reply "227 ... (h1,h2,h3,h4,p1,p2)". */
export function parsePasv(message: string): { host: string; port: number } {
  const m = /(?<!\d)(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})(?!\d)/.exec(message);
  if (!m) throw new FerryError('protocol-error', `the server sent a PASV reply Ferry cannot read: ${message.slice(0, 120)}`);
  const n = m.slice(1).map(Number);
  if (n.some((v) => v > 255)) throw new FerryError('protocol-error', `the server sent an invalid PASV address: ${message.slice(0, 120)}`);
  return { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]! };
}

/**
 * basic-ftp transfer strategy: EPSV, else PASV; the data connection always goes to the control
 * connection's address (a PASV reply naming another host is logged and ignored: no FTP bounce,
 * no SSRF). The data connection gets the control connection's TLS options and session, so
 * servers that require session reuse (vsftpd require_ssl_reuse=YES) accept it. Connecting is
 * bounded by `connectMs`.
 */
export function passiveStrategy(logger: Logger, connectMs: number): (ftp: FTPContext) => Promise<FTPResponse> {
  let epsvWorks = true;
  return async (ftp) => {
    const host = controlAddress(ftp);
    let res: FTPResponse | undefined;
    let port = 0;
    if (epsvWorks) {
      try {
        res = await ftp.request('EPSV');
        port = parseEpsvPort(res.message);
      } catch (err) {
        if (!(err instanceof FTPError) && !(err instanceof FerryError && err.code === 'protocol-error')) throw err;
        epsvWorks = false;
        res = undefined;
      }
    }
    if (!res) {
      res = await ftp.request('PASV');
      const target = parsePasv(res.message);
      if (target.host !== host && target.host !== '0.0.0.0') logger.log('warn', `the server asked for a data connection to ${target.host}; using ${host} (the control connection's address) instead`);
      port = target.port;
    }
    ftp.dataSocket = await openDataSocket(ftp, host, port, connectMs);
    return res;
  };
}

/**
 * Opens the data connection. A download's connection (see data-tap.ts) is dialed by Node's TLS
 * (or net) itself, so it can read into one reused buffer; the TLS options are the control
 * connection's, and the certificate is checked against the same host name as before.
 */
function openDataSocket(ftp: FTPContext, host: string, port: number, connectMs: number): Promise<Socket> {
  const tap = takePendingTap(ftp);
  let socket: Socket | undefined;
  return withDeadline({ ms: connectMs, phase: `opening the data connection to ${host}:${port}`, onExpire: () => socket?.destroy() }, () =>
    new Promise<Socket>((resolve, reject) => {
      const s = ftp.socket instanceof TLSSocket ? dialTls(ftp, ftp.socket, host, port, tap) : netConnect({ host, port, ...(tap ? { onread: tap.onread } : {}) });
      socket = s;
      if (tap) bindTap(s, tap);
      s.once('error', (err) => {
        s.destroy();
        reject(new FerryError('connection-lost', `cannot open the data connection to ${host}:${port}: ${err.message}`, undefined, { cause: err }));
      });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(s);
      });
    }),
  );
}

/** TLS on a new connection to host:port with the control connection's options and session. */
function dialTls(ftp: FTPContext, control: TLSSocket, host: string, port: number, tap: DataTap | undefined): TLSSocket {
  const internals = ftp as unknown as ContextInternals;
  const base = internals.tlsOptions as ConnectionOptions;
  // The name the control connection's certificate was checked against (servername, else host),
  // not the address dialed (the same server, but possibly written differently).
  const name = base.servername ?? base.host ?? host;
  const verify = base.checkServerIdentity ?? checkServerIdentity;
  const secure = tlsConnect({
    ...base,
    host,
    port,
    session: (internals.tlsSessionStore as Buffer | undefined) ?? control.getSession(),
    checkServerIdentity: (_host, cert) => verify(name, cert),
    ...(tap ? { onread: tap.onread } : {}),
  });
  // TLS 1.3 servers may issue a fresh single-use ticket after each data handshake.
  secure.on('session', (session: Buffer) => {
    internals.tlsSessionStore = session;
  });
  return secure;
}
