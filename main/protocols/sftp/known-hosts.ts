import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One key line of an OpenSSH known_hosts file that names the host we look for. */
export interface KnownHostKey {
  readonly keyType: string;
  /** The SSH wire blob of the public key. */
  readonly key: Buffer;
  /** `@revoked` lines: this key must never be accepted. */
  readonly revoked: boolean;
}

/** Where OpenSSH keeps the user's known hosts. Ferry reads it and never writes it. */
export function defaultKnownHostsPath(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

/** The name OpenSSH looks up for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/**
 * The keys a known_hosts file holds for `host:port`, plain and hashed (`|1|salt|hmac`) entries,
 * wildcards and negations included; `@cert-authority` lines are skipped. A missing or unreadable
 * file is simply empty: it is a hint, never a requirement.
 */
export async function readKnownHostKeys(path: string, host: string, port: number): Promise<KnownHostKey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return matchKnownHosts(text, host, port);
}

/** Pure part of readKnownHostKeys, for tests. */
export function matchKnownHosts(text: string, host: string, port: number): KnownHostKey[] {
  const name = knownHostsName(host, port);
  const found: KnownHostKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') continue;
      if (marker !== '@revoked') continue;
      revoked = true;
    }
    const [patterns, keyType, keyB64] = fields;
    if (!patterns || !keyType || !keyB64) continue;
    if (!hostMatches(patterns, name)) continue;
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0) continue;
    found.push({ keyType, key, revoked });
  }
  return found;
}

function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const pattern = (negated ? p.slice(1) : p).toLowerCase();
    if (globMatches(pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|');
  if (parts.length !== 4) return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const expected = Buffer.from(parts[3]!, 'base64');
  const actual = createHmac('sha1', salt).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function globMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}
