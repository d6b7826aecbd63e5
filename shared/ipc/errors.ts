/**
 * The closed set of error codes that cross IPC and drive CLI exit codes.
 * The UI acts on the code; `message` is one plain sentence for a person.
 */
export const ERROR_CODES = [
  'invalid-request',
  'usage',
  'not-supported',
  'auth-failed',
  'host-key-unknown',
  'host-key-changed',
  'cert-untrusted',
  'cert-changed',
  'tls-unavailable',
  'tls-handshake-failed',
  'tls-handshake-timeout',
  'plain-refused',
  'dns-failed',
  'connection-refused',
  'connection-lost',
  'timeout',
  'no-such-file',
  'permission-denied',
  'already-exists',
  'no-space',
  'limit-exceeded',
  'unsafe-path',
  'protocol-error',
  'cancelled',
  'partial',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The only error shape that crosses a process boundary: plain data, no stack, no secrets. */
export interface FerryErrorShape {
  readonly code: ErrorCode;
  readonly message: string;
  readonly detail?: string;
}

/** What every invoke channel resolves to: errors are values, never thrown across IPC. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FerryErrorShape };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Errors worth retrying with backoff: the network, not the request, was at fault. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'connection-lost',
  'connection-refused',
  'timeout',
  'dns-failed',
]);
