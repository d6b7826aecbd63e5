import type { Socket } from 'node:net';
import type { Client } from 'ssh2';

/**
 * The few ssh2 1.17 internals Ferry relies on, typed in one place. ssh2 has no public API for
 * them (`Client.rekey()` is documented but absent); the tests pin the behaviour, so an ssh2
 * upgrade that moves them fails loudly instead of silently.
 */
/** ssh2's inbound packet decoder: `_onPayload` is swapped between normal and key-exchange handling. */
export interface SshDecipher {
  _onPayload: (payload: Buffer) => unknown;
}

/** ssh2's transport (`lib/protocol/Protocol.js`), the parts Ferry touches. */
export interface SshProtocol {
  /** Defined from the moment we send KEXINIT until the new keys are in use (ssh2 queues other packets meanwhile). */
  _kexinit: Buffer | undefined;
  _strictMode: boolean | undefined;
  _onPayload: (payload: Buffer) => unknown;
  _decipher: SshDecipher | undefined;
  /** The current key exchange; its sessionID exists once the initial exchange has completed. */
  _kex: { sessionID?: Buffer } | undefined;
  _skipNextInboundPacket: boolean;
  rekey(): void;
  ping(): void;
}

/** The private fields of an ssh2 Client that lead to the transport and the socket. */
export interface ClientInternals {
  _protocol: SshProtocol | undefined;
  _sock: Socket | undefined;
  _callbacks: Array<(...args: unknown[]) => void> | undefined;
}

/** The internals of a connected ssh2 Client; throws when this ssh2 no longer has them. */
export function internalsOf(client: Client): ClientInternals {
  const c = client as unknown as ClientInternals;
  if (!c._protocol || typeof c._protocol.rekey !== 'function' || typeof c._protocol.ping !== 'function') {
    throw new Error('this ssh2 version lacks the internal protocol object Ferry needs (rekey/ping)');
  }
  return c;
}

/** True while a key exchange is in progress (any non-KEX packet is held back by ssh2). */
export function inKeyExchange(proto: SshProtocol): boolean {
  return proto._kexinit !== undefined;
}

/**
 * Calls `onValue` with the value `obj[key]` holds now and with every value assigned to it later
 * (ssh2 replaces its cipher and decipher objects at each key exchange).
 */
export function onEachValue<T extends object, K extends keyof T>(obj: T, key: K, onValue: (value: T[K]) => void): void {
  let current = obj[key];
  onValue(current);
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (next: T[K]) => {
      current = next;
      onValue(next);
    },
  });
}
