import { join } from 'node:path';
import { FerryError } from '../core/ferry-error';
import { readJsonFile, writeJsonFile } from '../core/json-file';
import { DEFAULT_SCRYPT, newPasswordKey, open, passwordKey, seal, type PasswordKeyHeader, type ScryptParams } from './secret-crypto';

/**
 * The part of Electron's `safeStorage` Ferry uses; injected so the store runs in plain Node.
 * `isEncryptionAvailable()` must be false when the OS offers no real keyring (see safe-storage-secrets.ts).
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Where new secrets go: the OS keyring, the user's master password, or nowhere (ask each time). */
export type SecretBackend = 'safe-storage' | 'master-password' | 'none';

export interface SecretStoreStatus {
  readonly backend: SecretBackend;
  /** A master password is set but not entered in this session: master-encrypted secrets are unreadable. */
  readonly locked: boolean;
}

interface SecretFile {
  readonly version: 1;
  readonly master?: PasswordKeyHeader;
  /** id -> "v1:safe:<base64>" or "v1:master:<iv.tag.ciphertext>". Never plain text. */
  readonly entries: Record<string, string>;
}

const SAFE_PREFIX = 'v1:safe:';
const MASTER_PREFIX = 'v1:master:';
const CHECK_TEXT = 'ferry-master-password-check';
const MIN_MASTER_LENGTH = 8;
const EMPTY: SecretFile = { version: 1, entries: {} };

/**
 * Passwords and key passphrases, encrypted at rest in `secrets.json` (mode 0600) in the state dir.
 * With a master password set, secrets are sealed with an scrypt-derived AES-256-GCM key; else with
 * the OS keyring through `safeStorage`; with neither, nothing is stored and callers ask each time.
 * Values never leave this class except through `read()`, which main uses to connect.
 */
export class SecretStore {
  private readonly path: string;
  private readonly safeStorage: SafeStorageLike | null;
  private readonly scryptParams: ScryptParams;
  private masterKey: Buffer | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string, safeStorage: SafeStorageLike | null, options: { scrypt?: ScryptParams } = {}) {
    this.path = join(stateDir, 'secrets.json');
    this.safeStorage = safeStorage;
    this.scryptParams = options.scrypt ?? DEFAULT_SCRYPT;
  }

  /** Which backend new secrets use, and whether the master password still has to be entered. */
  async status(): Promise<SecretStoreStatus> {
    const file = await this.load();
    if (file.master) return { backend: 'master-password', locked: this.masterKey === null };
    return { backend: this.safeAvailable() ? 'safe-storage' : 'none', locked: false };
  }

  /** Stores a secret under `id`. Resolves false, storing nothing, when no backend can keep it safely. */
  async save(id: string, secret: string): Promise<boolean> {
    checkId(id);
    if (secret === '') {
      await this.remove(id);
      return true;
    }
    return this.mutate((file) => {
      const sealed = this.encrypt(file, id, secret);
      if (sealed === null) return [file, false];
      return [{ ...file, entries: { ...file.entries, [id]: sealed } }, true];
    });
  }

  /** The secret stored under `id`, or undefined when there is none or it cannot be decrypted now (locked, keyring gone). */
  async read(id: string): Promise<string | undefined> {
    const { entries } = await this.load();
    if (!Object.hasOwn(entries, id)) return undefined;
    return this.decrypt(id, entries[id] as string) ?? undefined;
  }

  /** Whether a secret is stored under `id` (readable now or not). */
  async has(id: string): Promise<boolean> {
    return Object.hasOwn((await this.load()).entries, id);
  }

  async remove(id: string): Promise<void> {
    await this.mutate((file) => {
      if (!Object.hasOwn(file.entries, id)) return [file, undefined];
      const entries = { ...file.entries };
      delete entries[id];
      return [{ ...file, entries }, undefined];
    });
  }

  /**
   * Sets or changes the master password. Changing it requires the store to be unlocked; every
   * secret readable now is re-sealed with the new key (keyring-sealed ones included); one that
   * cannot be read now (its keyring is gone) could never be read again and is dropped.
   */
  async setMasterPassword(password: string): Promise<void> {
    if (password.length < MIN_MASTER_LENGTH) {
      throw new FerryError('invalid-request', `the master password must have at least ${MIN_MASTER_LENGTH} characters`);
    }
    const { key, header } = await newPasswordKey(password, this.scryptParams, CHECK_TEXT);
    await this.mutate((file) => {
      if (file.master && this.masterKey === null) {
        key.fill(0);
        throw new FerryError('auth-failed', 'enter the current master password first');
      }
      const entries: Record<string, string> = {};
      for (const [id, sealed] of Object.entries(file.entries)) {
        const plain = this.decrypt(id, sealed);
        if (plain !== null) entries[id] = MASTER_PREFIX + seal(key, plain, aadFor(id));
      }
      this.setKey(key);
      return [{ version: 1, master: header, entries }, undefined];
    });
  }

  /** Enters the master password for this session. Resolves false for a wrong one. */
  async unlock(password: string): Promise<boolean> {
    const master = (await this.load()).master;
    if (!master) return true;
    const key = await passwordKey(password, master, CHECK_TEXT);
    if (key === null) return false;
    this.setKey(key);
    return true;
  }

  /** Forgets the derived key; master-sealed secrets are unreadable until the next `unlock`. */
  lock(): void {
    this.setKey(null);
  }

  /**
   * Removes the master password. Readable secrets move to the keyring when it is available;
   * the others are dropped (they could only be read with the password being removed).
   */
  async clearMasterPassword(): Promise<{ kept: number; dropped: number }> {
    return this.mutate((file) => {
      if (file.master && this.masterKey === null) throw new FerryError('auth-failed', 'enter the master password first');
      const plain = Object.entries(file.entries).map(([id, sealed]) => [id, this.decrypt(id, sealed)] as const);
      this.setKey(null);
      const next: SecretFile = { version: 1, entries: {} };
      const entries: Record<string, string> = {};
      for (const [id, value] of plain) {
        const sealed = value === null ? null : this.encrypt(next, id, value);
        if (sealed !== null) entries[id] = sealed;
      }
      return [{ version: 1, entries }, { kept: Object.keys(entries).length, dropped: plain.length - Object.keys(entries).length }];
    });
  }

  private encrypt(file: SecretFile, id: string, secret: string): string | null {
    if (file.master) {
      if (this.masterKey === null) return null;
      return MASTER_PREFIX + seal(this.masterKey, secret, aadFor(id));
    }
    if (!this.safeAvailable()) return null;
    return SAFE_PREFIX + this.safeStorage!.encryptString(secret).toString('base64');
  }

  private decrypt(id: string, sealed: string): string | null {
    if (sealed.startsWith(MASTER_PREFIX)) {
      return this.masterKey === null ? null : open(this.masterKey, sealed.slice(MASTER_PREFIX.length), aadFor(id));
    }
    if (sealed.startsWith(SAFE_PREFIX)) {
      if (!this.safeAvailable()) return null;
      try {
        return this.safeStorage!.decryptString(Buffer.from(sealed.slice(SAFE_PREFIX.length), 'base64'));
      } catch {
        return null;
      }
    }
    return null;
  }

  private safeAvailable(): boolean {
    try {
      return this.safeStorage?.isEncryptionAvailable() === true;
    } catch {
      return false;
    }
  }

  private setKey(key: Buffer | null): void {
    if (this.masterKey && this.masterKey !== key) this.masterKey.fill(0);
    this.masterKey = key;
  }

  private async load(): Promise<SecretFile> {
    await this.queue.catch(() => undefined);
    return readSecretFile(this.path);
  }

  private mutate<R>(change: (file: SecretFile) => [SecretFile, R]): Promise<R> {
    const run = async (): Promise<R> => {
      const [next, result] = change(await readSecretFile(this.path));
      await writeJsonFile(this.path, next);
      return result;
    };
    const done = this.queue.then(run, run);
    this.queue = done.catch(() => undefined);
    return done;
  }
}

async function readSecretFile(path: string): Promise<SecretFile> {
  const file = await readJsonFile<SecretFile>(path, EMPTY);
  if (file?.version !== 1 || typeof file.entries !== 'object' || file.entries === null) {
    throw new FerryError('internal', `the secrets file ${path} has an unknown format`);
  }
  return file;
}

function aadFor(id: string): string {
  return `ferry:secret:${id}`;
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256 || id === '__proto__') {
    throw new FerryError('invalid-request', 'a secret needs a valid id');
  }
}
