import type { ErrorCode } from '../../shared/ipc/errors';

/** The CLI's exit codes, per the contract. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  untrusted: 4,
  encryption: 5,
  network: 6,
  remote: 7,
  partial: 8,
} as const;

/** Maps a contract error code to the CLI exit code. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'usage':
    case 'invalid-request':
      return EXIT.usage;
    case 'auth-failed':
      return EXIT.auth;
    case 'host-key-unknown':
    case 'host-key-changed':
    case 'cert-untrusted':
    case 'cert-changed':
      return EXIT.untrusted;
    case 'tls-unavailable':
    case 'tls-handshake-failed':
    case 'tls-handshake-timeout':
    case 'plain-refused':
      return EXIT.encryption;
    case 'dns-failed':
    case 'connection-refused':
    case 'connection-lost':
    case 'timeout':
      return EXIT.network;
    case 'no-such-file':
    case 'permission-denied':
    case 'already-exists':
    case 'no-space':
    case 'unsafe-path':
    case 'limit-exceeded':
      return EXIT.remote;
    case 'partial':
      return EXIT.partial;
    default:
      return EXIT.failure;
  }
}

/** What the user can do about it: appended to the one-sentence error on stderr. */
export function adviceFor(code: ErrorCode): string {
  switch (code) {
    case 'auth-failed':
      return 'Check the user name, password (FERRY_PASSWORD or --password-env) or key (-i).';
    case 'host-key-unknown':
    case 'cert-untrusted':
      return 'Verify the fingerprint with the server admin, then rerun with --accept-new or answer the prompt on a terminal.';
    case 'host-key-changed':
    case 'cert-changed':
      return 'This may be an attack; if the change is expected, remove the old entry in the app\'s trust center.';
    case 'tls-unavailable':
    case 'tls-handshake-failed':
    case 'tls-handshake-timeout':
    case 'plain-refused':
      return 'Use --allow-plain to continue without encryption (credentials will travel in clear text), or fix TLS on the server.';
    case 'dns-failed':
    case 'connection-refused':
    case 'connection-lost':
    case 'timeout':
      return 'Check the host, port and network, or raise --timeout / --retries.';
    case 'no-such-file':
      return 'Check the path.';
    case 'permission-denied':
      return 'Check the permissions on the server or the local folder.';
    case 'partial':
      return 'Rerun the same command to retry the items that did not transfer.';
    default:
      return '';
  }
}
