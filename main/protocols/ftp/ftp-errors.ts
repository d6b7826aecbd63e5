import { FTPError } from 'basic-ftp';
import type { ErrorCode } from '../../../shared/ipc/errors';
import { FerryError, toFerryError } from '../../core/ferry-error';

/** Maps an FTP reply code (and its text, where the code alone is ambiguous) to a contract code. */
export function codeForReply(code: number, text: string): ErrorCode {
  const t = text.toLowerCase();
  if (code === 530 || code === 532) return 'auth-failed';
  if (code === 550 || code === 450) {
    if (/already exists|file exists/.test(t)) return 'already-exists';
    if (/permission|denied|not allowed|access|forbidden|read-only/.test(t)) return 'permission-denied';
    return 'no-such-file';
  }
  if (code === 553) return /exist/.test(t) ? 'already-exists' : 'permission-denied';
  if (code === 552 || code === 452) return 'no-space';
  if (code === 421 || code === 425 || code === 426) return 'connection-lost';
  if (code === 502 || code === 504) return 'not-supported';
  if (code === 501) return 'invalid-request';
  return 'protocol-error';
}

const MESSAGE_PATTERNS: readonly [RegExp, ErrorCode, string][] = [
  [/StringWriter: Maximum bytes exceeded/i, 'limit-exceeded', 'the listing is larger than the allowed size'],
  [/Timeout \((control|data) socket\)/i, 'timeout', 'the server stopped responding'],
  [/Server sent FIN|closed connection unexpectedly|Socket closed due to transmission error|Client is closed|closed client/i, 'connection-lost', 'the connection was closed'],
  [/open data connection|transfer strategies|no data connection/i, 'connection-lost', 'the data connection could not be opened'],
  [/control response exceeded/i, 'limit-exceeded', 'the server sent an over-long reply'],
  [/Can't parse|only supports MLSD, Unix- or DOS-style/i, 'protocol-error', 'the server sent a reply Ferry cannot read'],
];

/**
 * Turns anything basic-ftp, a socket or our own code threw into a FerryError with a contract
 * code. `what` names the operation for the message ("cannot list /pub").
 */
export function ftpError(err: unknown, what: string): FerryError {
  if (err instanceof FerryError) return err;
  if (err instanceof FTPError) {
    const text = err.message.replace(/^\d{3}[ -]?/, '').trim();
    return new FerryError(codeForReply(err.code, err.message), `${what}: the server answered ${err.code} ${text}`.slice(0, 500), err.message, { cause: err });
  }
  const message = (err as { message?: unknown } | undefined)?.message;
  const errno = (err as { code?: unknown } | undefined)?.code;
  if (typeof message === 'string' && typeof errno !== 'string') {
    for (const [re, code, sentence] of MESSAGE_PATTERNS) if (re.test(message)) return new FerryError(code, `${what}: ${sentence}`, message, { cause: err });
  }
  if (typeof message === 'string' && typeof errno === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(errno)) {
    return new FerryError('cert-untrusted', `${what}: the server's certificate was refused (${message})`, errno, { cause: err });
  }
  if (typeof message === 'string' && typeof errno === 'string' && /^ERR_TLS|^ERR_SSL|SSL/.test(errno)) {
    // Handshakes of control connections are mapped where they happen (ftp-control); here an
    // established encrypted connection broke.
    return new FerryError('connection-lost', `${what}: the encrypted connection broke (${message})`, errno, { cause: err });
  }
  return toFerryError(err, what);
}
