import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/** scrypt cost parameters; stored beside the salt so they can be raised later without breaking old files. */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt floor (2^15, 8, 1): about 32 MiB and a tenth of a second per derivation. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Derives a 256-bit key from a password with scrypt. */
export function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  if (!Number.isInteger(params.N) || params.N < 2 ** 10 || params.N > 2 ** 20 || (params.N & (params.N - 1)) !== 0) {
    return Promise.reject(new Error('scrypt N must be a power of two between 2^10 and 2^20'));
  }
  if (!Number.isInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isInteger(params.p) || params.p < 1 || params.p > 16) {
    return Promise.reject(new Error('scrypt r or p out of range'));
  }
  const maxmem = 256 * params.N * params.r + 8 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * AES-256-GCM with a fresh random IV. Output `iv.tag.ciphertext`, each base64. `aad` binds the
 * ciphertext to its context (e.g. the entry id) so entries cannot be swapped undetected.
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
}

/** Reverses `seal`; returns null for a wrong key, a wrong `aad`, tampering or a malformed input. */
export function open(key: Buffer, sealed: string, aad: string): string | null {
  const parts = sealed.split('.');
  if (parts.length !== 3) return null;
  const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** A fresh random salt for a key derivation. */
export function newSalt(): Buffer {
  return randomBytes(16);
}

/** What is stored to re-derive and verify a password key: scrypt parameters, salt and a sealed check text. */
export interface PasswordKeyHeader extends ScryptParams {
  readonly kdf: 'scrypt';
  readonly salt: string;
  /** A known text sealed with the key: tells a wrong password from a right one. */
  readonly check: string;
}

/** Derives a fresh key from a password (new salt) and the header to find it again. */
export async function newPasswordKey(password: string, params: ScryptParams, checkText: string): Promise<{ key: Buffer; header: PasswordKeyHeader }> {
  const salt = newSalt();
  const key = await deriveKey(password, salt, params);
  return { key, header: { kdf: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64'), check: seal(key, checkText, `check:${checkText}`) } };
}

/** Re-derives the key a header was made with; null when the password is wrong. */
export async function passwordKey(password: string, header: PasswordKeyHeader, checkText: string): Promise<Buffer | null> {
  const key = await deriveKey(password, Buffer.from(String(header.salt), 'base64'), header);
  if (open(key, String(header.check), `check:${checkText}`) === checkText) return key;
  key.fill(0);
  return null;
}
