import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../main/trust/secret-store';

/**
 * A stand-in for Electron's safeStorage: real AES-GCM under a per-instance random key, so a
 * second instance (another machine, a reset keyring) cannot decrypt the first one's output.
 */
export class FakeSafeStorage implements SafeStorageLike {
  available = true;
  readonly encrypted: string[] = [];
  private readonly key = randomBytes(32);

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encrypted.push(plainText);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    const d = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    d.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8');
  }
}
