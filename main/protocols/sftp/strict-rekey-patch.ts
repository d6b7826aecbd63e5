import { onEachValue, type SshDecipher, type SshProtocol } from './ssh-internals';

const MSG_IGNORE = 2;
const MSG_UNIMPLEMENTED = 3;
const MSG_DEBUG = 4;

const PATCHED = Symbol('ferry.strictRekeyPatch');

/**
 * Works around an ssh2 1.17 trap: with strict kex negotiated, ssh2 treats an IGNORE, DEBUG or
 * UNIMPLEMENTED message received during *any* key exchange as fatal, while OpenSSH's strict-kex
 * rule covers only the initial one (servers may legitimately send IGNORE during a re-key). On
 * this one connection, such messages received during a re-key are dropped, as RFC 4253 says to.
 * The initial exchange is left untouched, so strict kex keeps its Terrapin protection.
 * `own`, when given, sees every payload passed on and may replace it (ssh-read-ring.ts copies
 * the ones ssh2 may keep).
 */
export function tolerateIgnoreDuringRekey(proto: SshProtocol, onDropped?: (type: number) => void, own?: (payload: Buffer) => Buffer): void {
  const p = proto as SshProtocol & { [PATCHED]?: true };
  if (p[PATCHED]) return;
  p[PATCHED] = true;
  onEachValue(proto, '_decipher', (decipher) => {
    if (decipher) wrapDecipher(proto, decipher, onDropped, own);
  });
}

function wrapDecipher(proto: SshProtocol, decipher: SshDecipher, onDropped?: (type: number) => void, own?: (payload: Buffer) => Buffer): void {
  const d = decipher as SshDecipher & { [PATCHED]?: true };
  if (d[PATCHED]) return;
  d[PATCHED] = true;
  let handler = decipher._onPayload;
  const filtered = (payload: Buffer): unknown => {
    if (
      handler !== proto._onPayload &&
      proto._strictMode === true &&
      proto._kex?.sessionID !== undefined &&
      !proto._skipNextInboundPacket &&
      payload.length > 0 &&
      (payload[0] === MSG_IGNORE || payload[0] === MSG_DEBUG || payload[0] === MSG_UNIMPLEMENTED)
    ) {
      onDropped?.(payload[0]);
      return undefined;
    }
    return handler(own ? own(payload) : payload);
  };
  Object.defineProperty(decipher, '_onPayload', {
    configurable: true,
    enumerable: true,
    get: () => filtered,
    set: (fn: (payload: Buffer) => unknown) => {
      handler = fn;
    },
  });
}
