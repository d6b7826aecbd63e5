import { FerryError } from '../../core/ferry-error';
import { defaultKnownHostsPath } from './known-hosts';

/**
 * Knobs of the SFTP adapter beyond ConnectOptions; tests and the benchmark set them, the app and
 * the CLI use the defaults, except the in-flight cap, which users may set (FERRY_SFTP_IN_FLIGHT_MIB).
 */
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

/** The environment variable that sets the bytes in flight per transfer, in MiB (memory vs speed). */
export const IN_FLIGHT_ENV = 'FERRY_SFTP_IN_FLIGHT_MIB';

/**
 * Bytes in flight per transfer from FERRY_SFTP_IN_FLIGHT_MIB (1-256), or undefined when unset.
 * A connection's cap over all its transfers follows at four times that, as with the defaults.
 */
export function inFlightFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[IN_FLIGHT_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  const mib = Number(raw);
  if (!Number.isInteger(mib) || mib < 1 || mib > 256) {
    throw new FerryError('invalid-request', `${IN_FLIGHT_ENV} must be a whole number of MiB from 1 to 256, not "${raw}"`);
  }
  return mib * 1024 * 1024;
}

/** Fills in the defaults (the in-flight cap may come from the environment). */
export function resolveTuning(t: SftpTuning = {}): ResolvedSftpTuning {
  const env = t.env ?? process.env;
  const fromEnv = t.maxInFlightBytes === undefined ? inFlightFromEnv(env) : undefined;
  return {
    knownHostsPath: t.knownHostsPath ?? defaultKnownHostsPath(),
    maxInFlightBytes: t.maxInFlightBytes ?? fromEnv ?? SFTP_DEFAULTS.maxInFlightBytes,
    maxConnectionInFlightBytes: t.maxConnectionInFlightBytes ?? (fromEnv !== undefined ? fromEnv * 4 : SFTP_DEFAULTS.maxConnectionInFlightBytes),
    keepaliveMs: t.keepaliveMs ?? SFTP_DEFAULTS.keepaliveMs,
    deadDuringKexMs: t.deadDuringKexMs ?? SFTP_DEFAULTS.deadDuringKexMs,
    rekeyAfterBytes: t.rekeyAfterBytes ?? SFTP_DEFAULTS.rekeyAfterBytes,
    maxListBytes: t.maxListBytes ?? SFTP_DEFAULTS.maxListBytes,
    maxListEntries: t.maxListEntries ?? SFTP_DEFAULTS.maxListEntries,
    env,
    ...(t.ciphers ? { ciphers: t.ciphers } : {}),
    ...(t.debug ? { debug: t.debug } : {}),
    ...(t.chunkSize ? { chunkSize: t.chunkSize } : {}),
  };
}
