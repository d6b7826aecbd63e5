import { defaultKnownHostsPath } from './known-hosts';

/** Knobs of the SFTP adapter beyond ConnectOptions; tests and the benchmark set them, the app uses the defaults. */
export interface SftpTuning {
  /** The user's OpenSSH known_hosts, read and never written. */
  readonly knownHostsPath?: string;
  /** Cap on bytes requested but not settled, per transfer. */
  readonly maxInFlightBytes?: number;
  /** The same over all transfers running at once on the connection. */
  readonly maxConnectionInFlightBytes?: number;
  /** Upper bound on the request size (the server's limit still applies). */
  readonly chunkSize?: number;
  /** Ping a quiet server after this long, ms. */
  readonly keepaliveMs?: number;
  /** Silence tolerated while a key exchange runs, ms (otherwise the idle timeout applies). */
  readonly deadDuringKexMs?: number;
  /** Ferry re-keys after this many bytes under one set of keys, if the server has not. */
  readonly rekeyAfterBytes?: number;
  /** Cap on the bytes of names in one listing. */
  readonly maxListBytes?: number;
  /** Default for ConnectOptions.maxListEntries. */
  readonly maxListEntries?: number;
  readonly ciphers?: readonly string[];
  /** Environment to read SSH_AUTH_SOCK from. */
  readonly env?: NodeJS.ProcessEnv;
  /** ssh2's protocol trace. */
  readonly debug?: (line: string) => void;
}

/** The values used when a knob is not set. */
export const SFTP_DEFAULTS = {
  maxInFlightBytes: 8 * 1024 * 1024,
  maxConnectionInFlightBytes: 32 * 1024 * 1024,
  keepaliveMs: 15_000,
  deadDuringKexMs: 180_000,
  rekeyAfterBytes: 1024 * 1024 * 1024,
  maxListBytes: 128 * 1024 * 1024,
  maxListEntries: 500_000,
} as const;

export type ResolvedSftpTuning = Required<Omit<SftpTuning, 'ciphers' | 'debug' | 'chunkSize'>> & Pick<SftpTuning, 'ciphers' | 'debug' | 'chunkSize'>;

/** Fills in the defaults. */
export function resolveTuning(t: SftpTuning = {}): ResolvedSftpTuning {
  return {
    knownHostsPath: t.knownHostsPath ?? defaultKnownHostsPath(),
    maxInFlightBytes: t.maxInFlightBytes ?? SFTP_DEFAULTS.maxInFlightBytes,
    maxConnectionInFlightBytes: t.maxConnectionInFlightBytes ?? SFTP_DEFAULTS.maxConnectionInFlightBytes,
    keepaliveMs: t.keepaliveMs ?? SFTP_DEFAULTS.keepaliveMs,
    deadDuringKexMs: t.deadDuringKexMs ?? SFTP_DEFAULTS.deadDuringKexMs,
    rekeyAfterBytes: t.rekeyAfterBytes ?? SFTP_DEFAULTS.rekeyAfterBytes,
    maxListBytes: t.maxListBytes ?? SFTP_DEFAULTS.maxListBytes,
    maxListEntries: t.maxListEntries ?? SFTP_DEFAULTS.maxListEntries,
    env: t.env ?? process.env,
    ...(t.ciphers ? { ciphers: t.ciphers } : {}),
    ...(t.debug ? { debug: t.debug } : {}),
    ...(t.chunkSize ? { chunkSize: t.chunkSize } : {}),
  };
}
