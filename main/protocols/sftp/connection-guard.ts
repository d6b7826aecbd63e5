import type { Client } from 'ssh2';
import type { Logger } from '../../core/logger';
import { inKeyExchange, internalsOf } from './ssh-internals';

/** Timings of the guard; the adapter derives them from Timeouts and SftpTuning. */
export interface ConnectionGuardOptions {
  /** Ping the server after this long without hearing from it, ms. */
  readonly keepaliveMs: number;
  /** Declare the connection dead after this long without a byte from the server, ms. */
  readonly deadAfterMs: number;
  /** The same while a key exchange runs (a slow server may take long to re-key), ms. */
  readonly deadDuringKexMs: number;
  /** Start a re-key ourselves after this many bytes (both directions) under one set of keys. */
  readonly rekeyAfterBytes: number;
  readonly logger: Logger;
  /** Called once when the server has gone silent for too long. */
  readonly onDead: (silentMs: number) => void;
}

/**
 * Keeps one SSH connection honest after login, replacing ssh2's keepalive (which counts only
 * ping replies and so kills a connection whose re-key outlasts interval × count):
 * - liveness is any byte from the server; pings are sent only when it is quiet, and never while a
 *   key exchange runs (ssh2 would hold them back anyway);
 * - the silence tolerated during a key exchange is longer than otherwise;
 * - if the server never re-keys, Ferry does after `rekeyAfterBytes` (RFC 4344's advice).
 */
export class ConnectionGuard {
  private timer: NodeJS.Timeout | undefined;
  private lastHeard = Date.now();
  private lastPing = 0;
  private bytesAtLastKex = 0;
  private stopped = false;
  /** Re-keys started by Ferry (for logs and tests). */
  rekeysStarted = 0;

  constructor(
    private readonly client: Client,
    private readonly options: ConnectionGuardOptions,
  ) {}

  /** Starts watching; call once authentication succeeded. */
  start(): void {
    const { _sock: sock } = internalsOf(this.client);
    if (!sock) return;
    this.lastHeard = Date.now();
    this.bytesAtLastKex = sock.bytesRead + sock.bytesWritten;
    sock.on('data', this.onData);
    this.client.on('handshake', this.onHandshake);
    const tick = Math.max(50, Math.min(this.options.keepaliveMs, this.options.deadAfterMs) / 4);
    this.timer = setInterval(this.onTick, tick);
    this.timer.unref();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.client.removeListener('handshake', this.onHandshake);
    internalsOf(this.client)._sock?.removeListener('data', this.onData);
  }


  private readonly onHandshake = (): void => {
    const sock = internalsOf(this.client)._sock;
    if (sock) this.bytesAtLastKex = sock.bytesRead + sock.bytesWritten;
  };

  private readonly onData = (): void => {
    this.lastHeard = Date.now();
    const { _sock: sock, _protocol: proto } = internalsOf(this.client);
    if (!sock || !proto || this.stopped) return;
    if (sock.bytesRead + sock.bytesWritten - this.bytesAtLastKex >= this.options.rekeyAfterBytes && !inKeyExchange(proto)) {
      this.bytesAtLastKex = sock.bytesRead + sock.bytesWritten;
      this.rekeysStarted++;
      this.options.logger.log('debug', 'starting a re-key: the server has not re-keyed for a while');
      proto.rekey();
    }
  };

  private readonly onTick = (): void => {
    if (this.stopped) return;
    const internals = internalsOf(this.client);
    const proto = internals._protocol;
    if (!proto) return;
    const silent = Date.now() - this.lastHeard;
    const kex = inKeyExchange(proto);
    const limit = kex ? Math.max(this.options.deadDuringKexMs, this.options.deadAfterMs) : this.options.deadAfterMs;
    if (silent >= limit) {
      this.stop();
      this.options.onDead(silent);
      return;
    }
    const now = Date.now();
    if (!kex && silent >= this.options.keepaliveMs && now - this.lastPing >= this.options.keepaliveMs && internals._callbacks) {
      this.lastPing = now;
      // A global request with want-reply; the reply (success or failure) is proof of life.
      // The callback slot keeps ssh2's reply bookkeeping in order.
      internals._callbacks.push(() => undefined);
      proto.ping();
    }
  };
}
