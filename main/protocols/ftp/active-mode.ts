import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, TLSSocket, type ConnectionOptions } from 'node:tls';
import { FTPError, type FTPContext, type FTPResponse } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import { controlAddress } from './ftp-control';

interface ContextInternals {
  tlsSessionStore: unknown;
  tlsOptions: ConnectionOptions;
}

/**
 * The data connection of an active-mode transfer before the server has opened it: basic-ftp
 * wants a data socket before it sends RETR/STOR/LIST, but in active mode the server connects
 * only after that. Writes wait (a TLS ClientHello, the first bytes of an upload) and reads begin
 * once `attach()` hands over the accepted connection. It has the few socket members basic-ftp
 * and Ferry touch (byte counters, addresses, setTimeout).
 */
export class PendingDataConnection extends Duplex {
  bytesRead = 0;
  bytesWritten = 0;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  private socket: Socket | undefined;
  private waiting: (() => void)[] = [];

  constructor() {
    // Not half-open, like a socket: TLS over it takes this over and must end when the server ends.
    super({ allowHalfOpen: false });
  }

  attach(socket: Socket): void {
    if (this.destroyed) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.bytesRead += d.length;
      if (!this.push(d)) socket.pause();
    });
    socket.once('end', () => this.push(null));
    socket.once('error', (err) => this.destroy(err));
    socket.once('close', () => {
      if (!this.destroyed && this.readableEnded) this.destroy();
    });
    for (const w of this.waiting.splice(0)) w();
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  override _read(): void {
    this.socket?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const send = (): void => {
      this.bytesWritten += chunk.length;
      this.socket!.write(chunk, cb);
    };
    if (this.socket) send();
    else this.waiting.push(send);
  }

  override _final(cb: (err?: Error | null) => void): void {
    const end = (): void => {
      this.socket!.end(cb);
    };
    if (this.socket) end();
    else this.waiting.push(end);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.waiting = [];
    this.socket?.destroy();
    cb(err);
  }
}

/** `EPRT |1|127.0.0.1|5282|` (or |2| for IPv6). */
export function eprtCommand(address: string, port: number): string {
  return `EPRT |${address.includes(':') ? 2 : 1}|${address}|${port}|`;
}

/** `PORT 127,0,0,1,20,162`: IPv4 only. */
export function portCommand(address: string, port: number): string {
  return `PORT ${address.split('.').join(',')},${port >> 8},${port & 255}`;
}

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ pauseOnConnect: true });
    server.once('error', (err) => reject(new FerryError('connection-lost', `cannot listen for the data connection on ${host}: ${err.message}`, undefined, { cause: err })));
    server.listen(0, host, () => resolve(server));
  });
}

/**
 * basic-ftp transfer strategy for active mode: Ferry listens on the control connection's local
 * address, announces it with EPRT (PORT when the server does not know EPRT) and accepts the
 * server's connection, from the control connection's peer address only: another host that
 * races to the port is turned away. TLS runs over it with Ferry as the TLS client (RFC 4217),
 * resuming the control connection's session. No connection within `connectMs` of the command
 * closes the session with a clear error.
 */
export function activeStrategy(logger: Logger, connectMs: number): (ftp: FTPContext) => Promise<FTPResponse> {
  let eprtWorks = true;
  return async (ftp) => {
    const peer = controlAddress(ftp);
    const local = ftp.socket.localAddress?.replace(/^::ffff:/i, '');
    if (!local) throw new FerryError('connection-lost', 'the control connection is closed');
    const server = await listen(local);
    const port = (server.address() as AddressInfo).port;
    let res: FTPResponse | undefined;
    try {
      if (eprtWorks) {
        try {
          res = await ftp.request(eprtCommand(local, port));
        } catch (err) {
          if (!(err instanceof FTPError)) throw err;
          eprtWorks = false;
        }
      }
      if (!res) {
        if (local.includes(':')) throw new FerryError('not-supported', 'the server does not accept EPRT, and PORT cannot name an IPv6 address: use passive mode');
        res = await ftp.request(portCommand(local, port));
      }
    } catch (err) {
      server.close();
      throw err instanceof FTPError ? new FerryError('not-supported', `the server refused active mode (${err.message}): use passive mode`, err.message, { cause: err }) : err;
    }
    const pending = new PendingDataConnection();
    const done = (): void => {
      clearTimeout(timer);
      server.close();
    };
    let dataSocket: Socket | undefined;
    const timer = setTimeout(() => {
      done();
      // Only if this transfer is still waiting: a failed command may have moved on already.
      if (dataSocket && ftp.dataSocket === dataSocket) ftp.closeWithError(new FerryError('timeout', `the server did not open the data connection to ${local}:${port} within ${Math.round(connectMs / 1000)} s (active mode; a firewall or NAT may block it: try passive mode)`));
    }, connectMs);
    server.on('connection', (socket: Socket) => {
      const from = socket.remoteAddress?.replace(/^::ffff:/i, '');
      if (from !== peer) {
        logger.log('warn', `refused a data connection from ${from}: only the server (${peer}) may connect`);
        socket.destroy();
        return;
      }
      done();
      pending.attach(socket);
      socket.resume();
    });
    pending.once('close', done);
    if (ftp.socket instanceof TLSSocket) {
      const internals = ftp as unknown as ContextInternals;
      const secure = tlsConnect({ ...internals.tlsOptions, socket: pending, session: (internals.tlsSessionStore as Buffer | undefined) ?? ftp.socket.getSession() });
      secure.on('session', (session: Buffer) => {
        internals.tlsSessionStore = session;
      });
      secure.once('close', () => pending.destroy());
      dataSocket = secure;
    } else {
      dataSocket = pending as unknown as Socket;
    }
    ftp.dataSocket = dataSocket;
    return res;
  };
}
