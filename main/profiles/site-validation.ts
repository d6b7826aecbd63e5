import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';
import type { AuthMethod, Protocol } from '../../shared/model/connection';
import { PROTOCOLS } from '../../shared/model/connection';
import type { SiteInput } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import type { StoredSite } from './profile-schema';

/** The editable fields of a site after validation: what the store persists. */
export type SiteFields = Omit<StoredSite, 'id' | 'createdAt' | 'updatedAt' | 'lastUsed'>;

const AUTHS: readonly AuthMethod[] = ['password', 'key', 'agent', 'keyboard-interactive', 'anonymous'];
const SFTP_ONLY: ReadonlySet<AuthMethod> = new Set(['key', 'agent', 'keyboard-interactive']);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function invalid(message: string): never {
  throw new FerryError('invalid-request', message);
}

function plainText(value: unknown, what: string, min: number, max: number): string {
  if (typeof value !== 'string') invalid(`${what} must be text`);
  const trimmed = value.trim();
  if (trimmed.length < min) invalid(`${what} must not be empty`);
  if (trimmed.length > max) invalid(`${what} is too long (at most ${max} characters)`);
  if (CONTROL.test(trimmed)) invalid(`${what} must not contain control characters`);
  return trimmed;
}

/** "Work//Clients/ " -> "Work/Clients"; '' is the top of the tree. */
export function normalizeFolder(value: unknown): string {
  if (value === undefined || value === '') return '';
  const text = plainText(value, 'The folder', 0, 1024);
  const parts = text.split('/').map((p) => p.trim()).filter((p) => p.length > 0);
  for (const part of parts) {
    if (part.length > 128) invalid('A folder name is too long (at most 128 characters)');
    if (part === '.' || part === '..') invalid('A folder name cannot be "." or ".."');
  }
  return parts.join('/');
}

/** A DNS name (IDN converted to ASCII, lower case) or an IP address, nothing else. */
export function normalizeHost(value: unknown): string {
  const text = plainText(value, 'The host', 1, 255);
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIP(bare)) return bare.toLowerCase();
  // domainToASCII parses like a URL host ("a/b" -> "a"): refuse URL syntax before it sees the text.
  const ascii = /[\s/\\@:?#%[\]<>^|'"`{}*,;=+&$!()~]/.test(bare) ? '' : domainToASCII(bare);
  if (ascii === '' || ascii.length > 253 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*\.?$/i.test(ascii)) {
    invalid(`"${text.slice(0, 80)}" is not a valid host name or address`);
  }
  return ascii.toLowerCase();
}

/** A character set label the platform can decode, e.g. "utf8", "windows-1252", "shift_jis". */
export function normalizeCharset(value: unknown): string {
  if (value === undefined || value === '') return 'utf8';
  const text = plainText(value, 'The character set', 1, 64).toLowerCase();
  try {
    new TextDecoder(text);
  } catch {
    invalid(`"${text}" is not a character set Ferry knows`);
  }
  return text;
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) invalid(`${what} must be a whole number from ${min} to ${max}`);
  return value;
}

function optionalPath(value: unknown, what: string, remote: boolean): string | undefined {
  if (value === undefined || value === '') return undefined;
  let text = plainText(value, what, 1, 4096);
  // "~/.ssh/id_ed25519" as people type it: the home folder of the user running Ferry.
  if (!remote && (text === '~' || text.startsWith('~/') || text.startsWith('~\\'))) text = join(homedir(), text.slice(2));
  if (remote ? !text.startsWith('/') : !isAbsolute(text)) invalid(`${what} must be an absolute path`);
  return text;
}

/**
 * Checks everything the renderer sent for a site and returns the fields to store, or throws an
 * `invalid-request` FerryError whose message names the field and the rule, for the site editor.
 */
export function validateSiteInput(input: SiteInput): SiteFields {
  if (typeof input !== 'object' || input === null) invalid('A site must be an object');
  const name = plainText(input.name, 'The site name', 1, 128);
  const folder = normalizeFolder(input.folder);
  if (!PROTOCOLS.includes(input.protocol as Protocol)) invalid(`The protocol must be one of ${PROTOCOLS.join(', ')}`);
  const protocol = input.protocol;
  const host = normalizeHost(input.host);
  const port = integer(input.port, 'The port', 1, 65535);
  if (!AUTHS.includes(input.auth)) invalid(`The login type must be one of ${AUTHS.join(', ')}`);
  const auth = input.auth;
  if (protocol === 'sftp' && auth === 'anonymous') invalid('SFTP has no anonymous login');
  if (protocol !== 'sftp' && SFTP_ONLY.has(auth)) invalid(`Login by ${auth} needs SFTP`);
  const user = input.user === undefined ? '' : plainText(input.user, 'The user name', 0, 256);
  if (user === '' && auth !== 'anonymous') invalid('The user name must not be empty');
  const keyFile = auth === 'key' ? optionalPath(input.keyFile, 'The key file', false) : undefined;
  if (auth === 'key' && keyFile === undefined) invalid('Login by key needs a key file');
  if (typeof input.passive !== 'boolean') invalid('Passive mode must be on or off');
  const localDir = optionalPath(input.localDir, 'The local folder', false);
  const remoteDir = optionalPath(input.remoteDir, 'The remote folder', true);
  return {
    name,
    folder,
    protocol,
    host,
    port,
    user,
    auth,
    ...(keyFile !== undefined ? { keyFile } : {}),
    passive: input.passive,
    charset: normalizeCharset(input.charset),
    ...(localDir !== undefined ? { localDir } : {}),
    ...(remoteDir !== undefined ? { remoteDir } : {}),
    transferLimit: integer(input.transferLimit, 'The transfer limit', 1, 16),
  };
}

/** Whether a login type uses a stored secret (password, or the key's passphrase). */
export function usesSecret(auth: AuthMethod): boolean {
  return auth === 'password' || auth === 'key' || auth === 'keyboard-interactive';
}
