import type { ErrorCode, FerryErrorShape } from '../../shared/ipc/errors';

/** The one error class of the core: a contract code, one plain sentence, optional detail. */
export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FerryError';
    this.code = code;
    this.detail = detail;
  }

  /** Plain data for IPC, JSON and the CLI. */
  toShape(): FerryErrorShape {
    return this.detail === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** Node errno codes that mean the network, not the request, failed. */
const NETWORK_ERRNO: Record<string, { code: ErrorCode; message: string }> = {
  ECONNREFUSED: { code: 'connection-refused', message: 'the server refused the connection' },
  ECONNRESET: { code: 'connection-lost', message: 'the connection was reset' },
  EPIPE: { code: 'connection-lost', message: 'the connection was closed' },
  ETIMEDOUT: { code: 'timeout', message: 'the connection timed out' },
  EHOSTUNREACH: { code: 'connection-refused', message: 'the host is unreachable' },
  ENETUNREACH: { code: 'connection-refused', message: 'the network is unreachable' },
  ENOTFOUND: { code: 'dns-failed', message: 'the host name could not be resolved' },
  EAI_AGAIN: { code: 'dns-failed', message: 'the host name could not be resolved' },
  ENOENT: { code: 'no-such-file', message: 'no such file or folder' },
  EACCES: { code: 'permission-denied', message: 'permission denied' },
  EPERM: { code: 'permission-denied', message: 'operation not permitted' },
  EEXIST: { code: 'already-exists', message: 'it already exists' },
  ENOSPC: { code: 'no-space', message: 'no space left on the device' },
  EDQUOT: { code: 'no-space', message: 'disk quota exceeded' },
  ENOTDIR: { code: 'no-such-file', message: 'a part of the path is not a folder' },
  EISDIR: { code: 'invalid-request', message: 'it is a folder' },
  ENOTEMPTY: { code: 'permission-denied', message: 'the folder is not empty' },
};

/** Turns anything thrown into a FerryError, keeping the original as `cause`. */
export function toFerryError(err: unknown, context?: string): FerryError {
  if (err instanceof FerryError) return err;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const errno = typeof e?.code === 'string' ? NETWORK_ERRNO[e.code] : undefined;
  const raw = typeof e?.message === 'string' ? e.message : String(err);
  if (errno) {
    const message = context ? `${context}: ${errno.message}` : capitalize(errno.message);
    return new FerryError(errno.code, message, raw, { cause: err });
  }
  if ((err as { name?: string } | undefined)?.name === 'AbortError') {
    return new FerryError('cancelled', 'cancelled', undefined, { cause: err });
  }
  return new FerryError('internal', context ? `${context}: ${raw}` : raw, undefined, { cause: err });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
