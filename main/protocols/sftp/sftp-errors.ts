import type { ErrorCode } from '../../../shared/ipc/errors';
import { FerryError, toFerryError } from '../../core/ferry-error';

/** SFTP status codes (draft-ietf-secsh-filexfer, v3 plus the v5/v6 ones some servers send). */
export const SFTP_STATUS = {
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const;

const STATUS_TO_CODE: Record<number, { code: ErrorCode; text: string }> = {
  2: { code: 'no-such-file', text: 'no such file or folder' },
  3: { code: 'permission-denied', text: 'permission denied' },
  4: { code: 'protocol-error', text: 'the server reported a failure' },
  5: { code: 'protocol-error', text: 'the server did not understand the request' },
  6: { code: 'connection-lost', text: 'no connection' },
  7: { code: 'connection-lost', text: 'the connection was lost' },
  8: { code: 'not-supported', text: 'the server does not support this operation' },
  9: { code: 'protocol-error', text: 'invalid handle' },
  10: { code: 'no-such-file', text: 'no such path' },
  11: { code: 'already-exists', text: 'it already exists' },
  12: { code: 'permission-denied', text: 'the file system is write-protected' },
  14: { code: 'no-space', text: 'no space left on the server' },
  15: { code: 'no-space', text: 'quota exceeded' },
  18: { code: 'permission-denied', text: 'the folder is not empty' },
  19: { code: 'no-such-file', text: 'a part of the path is not a folder' },
  24: { code: 'invalid-request', text: 'it is a folder' },
};

/** ssh2 messages that mean the channel or the connection is gone. */
const LOST = /No response from server|Not connected|channel.*(closed|not open)|Connection lost|write after end|socket.*(closed|destroyed)|ECONNRESET|EPIPE/i;

/**
 * Turns an ssh2 / SFTP failure into a FerryError with a contract code. SFTP status codes arrive as
 * numeric `code`s on ssh2's errors; socket errors as errno strings; a vanished channel as text.
 */
export function sftpError(err: unknown, context: string): FerryError {
  if (err instanceof FerryError) return err;
  const e = err as { code?: unknown; message?: unknown; level?: unknown } | undefined;
  const raw = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.code === 'number') {
    const mapped = STATUS_TO_CODE[e.code];
    if (mapped) {
      const serverText = raw && raw !== mapped.text ? raw : undefined;
      return new FerryError(mapped.code, `${context}: ${mapped.text}`, serverText, { cause: err });
    }
    return new FerryError('protocol-error', `${context}: the server answered with status ${e.code}`, raw, { cause: err });
  }
  if (typeof e?.code === 'string') return toFerryError(err, context);
  if (LOST.test(raw)) return new FerryError('connection-lost', `${context}: the connection was lost`, raw, { cause: err });
  return new FerryError('protocol-error', `${context}: ${raw}`, undefined, { cause: err });
}

/** True for an SFTP status error with this code. */
export function hasStatus(err: unknown, status: number): boolean {
  return (err as { code?: unknown } | undefined)?.code === status;
}
