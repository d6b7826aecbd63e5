import type { ErrorCode } from './errors';

/**
 * One plain sentence per contract error code, for people: what went wrong and, where there is
 * one, what to do. UIs lead with it; an error's own `message` names the specifics, and its raw
 * `detail` (library or server text) belongs in the log only.
 */
export const USER_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  'invalid-request': 'Ferry could not do that: the request was not valid.',
  usage: 'The command was not used correctly.',
  'not-supported': 'This server or this version of Ferry does not support that.',
  'auth-failed': 'The login did not succeed: check the user name and the password or key.',
  'host-key-unknown': 'The server’s host key is not trusted yet, so Ferry did not log in.',
  'host-key-changed': 'The server’s host key has changed, so Ferry did not connect: someone may be intercepting the connection.',
  'cert-untrusted': 'The server’s certificate is not trusted, so Ferry did not log in.',
  'cert-changed': 'The server’s certificate has changed, so Ferry did not connect: someone may be intercepting the connection.',
  'tls-unavailable': 'The server does not offer encryption (TLS).',
  'tls-handshake-failed': 'The encrypted connection (TLS) could not be set up.',
  'tls-handshake-timeout': 'The server did not complete the encrypted connection (TLS) in time.',
  'plain-refused': 'Ferry did not continue without encryption.',
  'dns-failed': 'The host name could not be found: check its spelling and the network.',
  'connection-refused': 'The server could not be reached: check the host, the port and the network.',
  'connection-lost': 'The connection to the server was lost.',
  timeout: 'The server stopped answering in time.',
  'no-such-file': 'The file or folder does not exist.',
  'permission-denied': 'Permission denied.',
  'already-exists': 'A file or folder with that name already exists.',
  'no-space': 'There is not enough space left.',
  'limit-exceeded': 'That is more than Ferry allows.',
  'unsafe-path': 'Ferry refused a name that could write outside the chosen folder.',
  'protocol-error': 'The server answered in a way Ferry did not expect.',
  cancelled: 'Cancelled.',
  partial: 'Some items were not transferred.',
  internal: 'Something went wrong inside Ferry.',
};

/** The sentence for `code`, as USER_MESSAGES has it. */
export function userMessage(code: ErrorCode): string {
  return USER_MESSAGES[code];
}
