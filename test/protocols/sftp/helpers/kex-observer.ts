/**
 * Server-side wire observer for the in-process ssh2 test server: sees every message the client
 * sends, marks the client's key-exchange windows (from its KEXINIT to its NEWKEYS, as the server
 * receives them, which is exactly what the client sent between the two) and records any non-KEX
 * message inside one. It can also slow a re-key down and inject IGNORE messages into it.
 */

const KEXINIT = 20;
const NEWKEYS = 21;
const KEX_ECDH_INIT = 30;
const IGNORE = 2;

interface Decipher {
  _onPayload: (payload: Buffer) => unknown;
}

interface ServerProtocol {
  _decipher: Decipher | undefined;
  _kex: { sessionID?: Buffer } | undefined;
  _packetRW: { write: { allocStartKEX: number; alloc(len: number, force: boolean): Buffer; finalize(packet: Buffer, force: boolean): Buffer } };
  _cipher: { encrypt(packet: Buffer): void };
}

export interface KexObserverOptions {
  /** Hold the client's KEX_ECDH_INIT this long during re-keys (a slow server), ms. */
  readonly slowRekeyMs?: number;
  /** Send SSH_MSG_IGNORE to the client in the middle of every re-key. */
  readonly ignoreDuringRekey?: boolean;
  /** The same during the initial key exchange (strict kex forbids it there: Terrapin). */
  readonly ignoreDuringInitialKex?: boolean;
}

export class KexObserver {
  /** Message types the client sent inside a key exchange that are not KEX messages. */
  readonly violations: { type: number; exchange: number }[] = [];
  /** Completed key exchanges seen from the client (the initial one included). */
  exchanges = 0;
  /** Non-KEX messages by type, all connection long. */
  readonly seen = new Map<number, number>();
  /** IGNORE messages injected into re-keys. */
  ignoresSent = 0;
  /** The same, by who started the re-key: the server (its KEXINIT went first) or the client. */
  readonly ignoresInto = { serverInitiated: 0, clientInitiated: 0 };
  private inKex = false;

  constructor(private readonly options: KexObserverOptions = {}) {}

  /** Starts watching one server-side connection (call from the 'connection' event). */
  attach(connection: unknown): void {
    const proto = (connection as { _protocol: ServerProtocol })._protocol;
    let current = proto._decipher;
    const wrapped = new WeakSet<object>();
    const wrap = (d: Decipher): void => {
      if (wrapped.has(d)) return;
      wrapped.add(d);
      let handler = d._onPayload;
      const observing = (payload: Buffer): unknown => {
        const type = payload[0] ?? -1;
        const rekey = proto._kex?.sessionID !== undefined;
        if (type === KEXINIT) {
          this.inKex = true;
          if (rekey ? this.options.ignoreDuringRekey : this.options.ignoreDuringInitialKex) {
            // The server's KEXINIT already out before the client's arrived: the server started it.
            const serverStarted = (proto as { _kexinit?: unknown })._kexinit !== undefined;
            // After the server's own KEXINIT has gone out: the client is in its key exchange.
            const result = handler(payload);
            this.sendIgnore(proto);
            if (rekey) this.ignoresInto[serverStarted ? 'serverInitiated' : 'clientInitiated']++;
            return result;
          }
        } else if (type === NEWKEYS) {
          this.inKex = false;
          this.exchanges++;
        } else if (this.inKex && (type < 20 || type > 49)) {
          this.violations.push({ type, exchange: this.exchanges });
        } else if (!this.inKex) {
          this.seen.set(type, (this.seen.get(type) ?? 0) + 1);
        }
        if (type === KEX_ECDH_INIT && rekey && this.options.slowRekeyMs) {
          const copy = Buffer.from(payload);
          const h = handler;
          setTimeout(() => h(copy), this.options.slowRekeyMs);
          return undefined;
        }
        return handler(payload);
      };
      Object.defineProperty(d, '_onPayload', {
        configurable: true,
        get: () => observing,
        set: (fn: (payload: Buffer) => unknown) => {
          handler = fn;
        },
      });
    };
    if (current) wrap(current);
    Object.defineProperty(proto, '_decipher', {
      configurable: true,
      get: () => current,
      set: (d: Decipher | undefined) => {
        current = d;
        if (d) wrap(d);
      },
    });
  }

  /** Sends IGNORE now, bypassing ssh2's own queue (as a strict OpenSSH-like server may). */
  sendIgnore(proto: ServerProtocol): void {
    const text = Buffer.from('ferry-test-ignore');
    const w = proto._packetRW.write;
    const p = w.allocStartKEX;
    const packet = w.alloc(1 + 4 + text.length, true);
    packet[p] = IGNORE;
    packet.writeUInt32BE(text.length, p + 1);
    text.copy(packet, p + 5);
    proto._cipher.encrypt(w.finalize(packet, true));
    this.ignoresSent++;
  }
}
