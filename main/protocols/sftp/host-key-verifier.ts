import { createHash } from 'node:crypto';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import type { Prompter } from '../../core/prompter';
import { TrustStore } from '../../trust/trust-store';
import type { ConnectOptions } from '../remote-fs';
import { readKnownHostKeys, type KnownHostKey } from './known-hosts';

/** `SHA256:<base64 without padding>` of an SSH public key blob, exactly as OpenSSH prints it. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function sshKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && 4 + len <= keyBlob.length ? keyBlob.toString('latin1', 4, 4 + len) : 'unknown';
}

/** Where trust lives and who decides about a key seen for the first time. */
export interface HostKeyVerifierOptions {
  readonly host: string;
  readonly port: number;
  readonly stateDir: string;
  readonly knownHostsPath: string;
  readonly prompter: Prompter;
  readonly acceptNew: boolean;
  readonly logger: Logger;
  /** Told about every refused changed key, so the trust center can offer to replace it. */
  readonly onTrustChanged?: ConnectOptions['onTrustChanged'];
}

/**
 * Decides whether a server's host key is trusted: Ferry's trust store first (authoritative), then
 * the user's known_hosts (read only), then the user. Runs on every key exchange: after the first
 * decision it answers synchronously from a per-connection cache, so a re-key never waits on disk
 * or a person (and ssh2 never leaves the key exchange half-finished while it waits).
 */
export class HostKeyVerifier {
  private readonly store: TrustStore;
  private acceptedFingerprint: string | undefined;
  /** Why the last key was refused; the adapter reports it instead of ssh2's generic error. */
  failure: FerryError | undefined;

  constructor(private readonly options: HostKeyVerifierOptions) {
    this.store = new TrustStore(options.stateDir);
  }

  /** Key types already trusted for this host, to ask the server for those first (as OpenSSH does). */
  async knownKeyTypes(): Promise<string[]> {
    const { host, port, knownHostsPath } = this.options;
    const types: string[] = [];
    const stored = await this.store.get('host-key', host, port);
    if (stored) types.push(stored.type);
    for (const k of await readKnownHostKeys(knownHostsPath, host, port)) if (!k.revoked && !types.includes(k.keyType)) types.push(k.keyType);
    return types;
  }

  /**
   * ssh2 `hostVerifier`: returns true/false synchronously when the answer is cached (every re-key),
   * otherwise undefined and calls `done` later.
   */
  verify(keyBlob: Buffer, done: (ok: boolean) => void): boolean | undefined {
    const fingerprint = sshFingerprint(keyBlob);
    if (this.acceptedFingerprint !== undefined) {
      if (fingerprint === this.acceptedFingerprint) return true;
      this.failure = this.refuseChange(sshKeyType(keyBlob), this.acceptedFingerprint, fingerprint);
      return false;
    }
    this.decide(keyBlob, fingerprint).then(
      () => {
        this.acceptedFingerprint = fingerprint;
        done(true);
      },
      (err: unknown) => {
        this.failure = err instanceof FerryError ? err : new FerryError('host-key-unknown', 'the host key could not be verified', String(err));
        done(false);
      },
    );
    return undefined;
  }

  private async decide(keyBlob: Buffer, fingerprint: string): Promise<void> {
    const { host, port, knownHostsPath, logger } = this.options;
    const keyType = sshKeyType(keyBlob);
    const stored = await this.store.get('host-key', host, port);
    if (stored) {
      if (stored.fingerprint === fingerprint) {
        await this.store.touch('host-key', host, port).catch(() => undefined);
        return;
      }
      throw this.refuseChange(keyType, stored.fingerprint, fingerprint);
    }
    const known = await readKnownHostKeys(knownHostsPath, host, port);
    if (known.some((k) => k.revoked && k.key.equals(keyBlob))) {
      throw new FerryError('host-key-unknown', `the host key of ${host}:${port} (${fingerprint}) is marked revoked in ${knownHostsPath}`);
    }
    if (known.some((k) => !k.revoked && k.key.equals(keyBlob))) {
      logger.log('info', `host key ${fingerprint} found in ${knownHostsPath}`);
      return;
    }
    const sameType = known.find((k: KnownHostKey) => !k.revoked && k.keyType === keyType);
    if (sameType) throw this.refuseChange(keyType, sshFingerprint(sameType.key), fingerprint);
    await this.askAboutNewKey(keyType, fingerprint);
  }

  private async askAboutNewKey(keyType: string, fingerprint: string): Promise<void> {
    const { host, port, prompter, acceptNew, logger } = this.options;
    const answer = acceptNew ? 'trust-always' : await prompter.ask({ kind: 'host-key', host, port, keyType, fingerprint });
    if (answer === 'trust-always') {
      await this.store.put({ kind: 'host-key', host, port, type: keyType, fingerprint });
      logger.log('info', `trusted the host key ${fingerprint} of ${host}:${port}`);
      return;
    }
    if (answer === 'trust-once') {
      logger.log('info', `trusted the host key ${fingerprint} of ${host}:${port} for this connection only`);
      return;
    }
    throw new FerryError('host-key-unknown', `the host key of ${host}:${port} is not trusted (${keyType} ${fingerprint})`);
  }

  /** The error for a changed key; the trust center hears about it too. Nothing is stored. */
  private refuseChange(type: string, previous: string, current: string): FerryError {
    const { host, port, onTrustChanged, logger } = this.options;
    logger.log('error', `host key changed for ${host}:${port}: was ${previous}, now ${current}`);
    try {
      onTrustChanged?.({ kind: 'host-key', host, port, type, fingerprint: current, previousFingerprint: previous });
    } catch {
      // A listener's failure must not turn a refusal into an acceptance or hide it.
    }
    return changedError(host, port, previous, current);
  }
}

function changedError(host: string, port: number, previous: string, current: string): FerryError {
  return new FerryError(
    'host-key-changed',
    `host key changed for ${host}:${port} (was ${previous}, now ${current}); refusing to connect`,
    `host key changed: old ${previous}, new ${current}`,
  );
}
