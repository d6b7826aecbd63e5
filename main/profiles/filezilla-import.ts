import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { AuthMethod, Protocol } from '../../shared/model/connection';
import { DEFAULT_PORTS } from '../../shared/model/connection';
import type { SiteInput } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import type { SiteStore } from './site-store';
import { child, childElements, ownText, parseXml, XmlError, type XmlElement } from './xml-parser';

/** One site read from sitemanager.xml, ready to save; `secret` is the decoded password, if any. */
export interface FileZillaSite {
  readonly input: SiteInput;
  /** Things that did not carry over, one short sentence each (never the password). */
  readonly notes: readonly string[];
}

/** What an import did, for the user: counts plus one line per skipped site or dropped detail. */
export interface ImportReport {
  readonly imported: number;
  readonly skipped: number;
  /** Passwords now kept by the secret store. */
  readonly secretsStored: number;
  /** Passwords not kept: no keyring and no master password, or encrypted by FileZilla's master password. */
  readonly secretsNotStored: number;
  readonly messages: readonly string[];
}

/** FileZilla's protocol numbers (ServerProtocol in its sources) that Ferry speaks. */
const PROTOCOLS: Readonly<Record<string, Protocol>> = { '0': 'ftp', '1': 'sftp', '3': 'ftps', '4': 'ftpes', '6': 'ftp' };
const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '2': 'HTTP', '5': 'HTTPS', '7': 'S3', '8': 'Storj', '9': 'WebDAV', '10': 'Azure Files', '11': 'Azure Blob', '12': 'OpenStack Swift', '13': 'Google Cloud Storage' };
/** FileZilla logon types: 0 anonymous, 1 normal, 2 ask, 3 interactive, 4 account, 5 key file, 6 profile. */
const MAX_SITES = 10_000;

class Skip extends Error {}

function text(server: XmlElement, name: string): string {
  const el = child(server, name);
  return el ? ownText(el).trim() : '';
}

/** Decodes FileZilla's `<Pass encoding="base64">`; plain `<Pass>` is how FileZilla before 3.26 stored them. */
function decodePassword(pass: XmlElement | undefined, notes: string[]): string | undefined {
  if (!pass) return undefined;
  const encoding = (pass.attributes.encoding ?? '').toLowerCase();
  const raw = ownText(pass);
  if (encoding === '') return raw === '' ? undefined : raw;
  if (encoding === 'crypt') {
    notes.push('its password is encrypted with a FileZilla master password and was not imported');
    return undefined;
  }
  if (encoding !== 'base64') {
    notes.push(`its password uses an unknown encoding "${encoding.slice(0, 20)}" and was not imported`);
    return undefined;
  }
  const compact = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    notes.push('its password is not valid base64 and was not imported');
    return undefined;
  }
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes) || undefined;
  } catch {
    notes.push('its password was not UTF-8 and was read as Latin-1');
    return bytes.toString('latin1') || undefined;
  }
}

/** FileZilla's "safe path": `type prefixLen prefix (segLen seg)*`, e.g. "1 0 4 home 5 alice" = /home/alice (type 1 = Unix). */
export function decodeRemoteDir(value: string): string | undefined {
  if (value === '') return undefined;
  const m = /^(\d+) (\d+)(?: |$)/.exec(value);
  if (!m || m[1] !== '1' || m[2] !== '0') return undefined;
  let pos = m[0].length;
  const segments: string[] = [];
  while (pos < value.length) {
    if (value[pos] === ' ') pos++;
    const len = /^(\d+) /.exec(value.slice(pos));
    if (!len) return undefined;
    pos += len[0].length;
    const n = Number(len[1]);
    if (n === 0 || pos + n > value.length) return undefined;
    segments.push(value.slice(pos, pos + n));
    pos += n;
  }
  return `/${segments.join('/')}`;
}

function auth(logonType: string, protocol: Protocol, notes: string[]): AuthMethod {
  switch (logonType) {
    case '0':
      if (protocol === 'sftp') throw new Skip('SFTP has no anonymous login');
      return 'anonymous';
    case '3':
      if (protocol === 'sftp') return 'keyboard-interactive';
      notes.push('interactive login became password login');
      return 'password';
    case '4':
      notes.push('the FTP account field is not supported and was dropped');
      return 'password';
    case '5':
      return 'key';
    case '6':
      throw new Skip('profile logins (cloud storage) are not supported');
    default:
      return 'password';
  }
}

function charset(server: XmlElement, notes: string[]): string {
  if (text(server, 'EncodingType').toLowerCase() !== 'custom') return 'utf8';
  const label = text(server, 'CustomEncoding');
  try {
    new TextDecoder(label);
    return label.toLowerCase();
  } catch {
    notes.push(`the character set "${label.slice(0, 30)}" is unknown here; UTF-8 is used`);
    return 'utf8';
  }
}

function readServer(server: XmlElement, folder: string): FileZillaSite {
  const notes: string[] = [];
  const protocolNumber = text(server, 'Protocol') || '0';
  const protocol = PROTOCOLS[protocolNumber];
  if (!protocol) throw new Skip(`protocol ${PROTOCOL_NAMES[protocolNumber] ?? protocolNumber} is not supported`);
  if (protocolNumber === '6') notes.push('it was set to plain FTP only; Ferry will try TLS first and ask before going without');
  const host = text(server, 'Host');
  if (host === '') throw new Skip('it has no host');
  const portText = text(server, 'Port');
  const port = portText === '' ? DEFAULT_PORTS[protocol] : Number(portText);
  const method = auth(text(server, 'Logontype') || '1', protocol, notes);
  const passive = protocol === 'sftp' || text(server, 'PasvMode') !== 'MODE_ACTIVE';
  const name = text(server, 'Name') || ownText(server).trim() || host;
  const secret = method === 'anonymous' || method === 'key' ? undefined : decodePassword(child(server, 'Pass'), notes);
  const keyFile = method === 'key' ? text(server, 'Keyfile') : '';
  const remoteDir = decodeRemoteDir(text(server, 'RemoteDir'));
  if (text(server, 'RemoteDir') !== '' && remoteDir === undefined) notes.push('its remote folder is not a Unix path and was dropped');
  const localDir = text(server, 'LocalDir');
  const input: SiteInput = {
    name: name.slice(0, 128),
    folder,
    protocol,
    host,
    port,
    user: method === 'anonymous' ? '' : text(server, 'User'),
    auth: method,
    ...(keyFile ? { keyFile } : {}),
    passive,
    charset: charset(server, notes),
    ...(localDir ? { localDir } : {}),
    ...(remoteDir ? { remoteDir } : {}),
    transferLimit: 4,
    ...(secret !== undefined ? { secret } : {}),
  };
  return { input, notes };
}

/**
 * Reads the sites of a FileZilla sitemanager.xml (or a Site Manager export): nested folders,
 * hosts, ports, users, protocols, logon types, base64 or legacy plain passwords. Sites Ferry
 * cannot use are reported in `skipped` with the reason. Throws `invalid-request` for a file that
 * is not XML or not FileZilla's.
 */
export function readFileZillaSites(xml: string): { sites: FileZillaSite[]; skipped: { name: string; reason: string }[] } {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlError) throw new FerryError('invalid-request', `This is not a readable FileZilla site file: ${err.message}`);
    throw err;
  }
  const servers = root.name === 'FileZilla3' ? child(root, 'Servers') : undefined;
  if (!servers) throw new FerryError('invalid-request', 'This is not a FileZilla site file (no <FileZilla3><Servers>)');
  const sites: FileZillaSite[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const walk = (el: XmlElement, path: string[]) => {
    for (const node of childElements(el)) {
      if (sites.length + skipped.length >= MAX_SITES) return;
      if (node.name === 'Folder') {
        const name = ownText(node).trim().replace(/\//g, '-').slice(0, 128) || 'Unnamed';
        walk(node, [...path, name]);
      } else if (node.name === 'Server') {
        try {
          sites.push(readServer(node, path.join('/')));
        } catch (err) {
          if (!(err instanceof Skip)) throw err;
          skipped.push({ name: text(node, 'Name') || ownText(node).trim() || text(node, 'Host') || '(unnamed)', reason: err.message });
        }
      }
    }
  };
  walk(servers, []);
  return { sites, skipped };
}

/**
 * Imports sitemanager.xml into the site store. Passwords are handed to the secret store (which
 * encrypts them, or declines without a keyring) and never appear in the report. A site equal to
 * one already saved (folder, name, protocol, host, port, user) is skipped, so importing twice is harmless.
 */
export async function importFileZilla(xml: string, store: SiteStore): Promise<ImportReport> {
  const { sites, skipped } = readFileZillaSites(xml);
  const messages = skipped.map((s) => `Skipped "${s.name}": ${s.reason}.`);
  if (xml.includes('\uFFFD')) messages.unshift('The file was not read as UTF-8, so some names may be garbled; FileZilla writes UTF-8, so this copy may have been re-saved in another encoding.');
  const existing = new Set((await store.list()).map(identity));
  let imported = 0;
  let secretsStored = 0;
  let secretsNotStored = 0;
  let skippedCount = skipped.length;
  for (const { input, notes: readNotes } of sites) {
    const notes = [...readNotes];
    const label = `"${input.folder ? `${input.folder}/` : ''}${input.name}"`;
    if (existing.has(identity(input))) {
      skippedCount++;
      messages.push(`Skipped ${label}: it is already saved.`);
      continue;
    }
    let saved;
    try {
      saved = await store.save(input);
    } catch (err) {
      if (!(err instanceof FerryError) || err.code !== 'invalid-request') throw err;
      // A LocalDir from another OS (C:\...) is not worth losing the site for.
      if (input.localDir === undefined) {
        skippedCount++;
        messages.push(`Skipped ${label}: ${err.message}.`);
        continue;
      }
      const { localDir: _dropped, ...rest } = input;
      try {
        saved = await store.save(rest);
        notes.push('its local folder is not a path on this computer and was dropped');
      } catch (again) {
        if (!(again instanceof FerryError) || again.code !== 'invalid-request') throw again;
        skippedCount++;
        messages.push(`Skipped ${label}: ${again.message}.`);
        continue;
      }
    }
    imported++;
    existing.add(identity(input));
    if (input.secret !== undefined) {
      if (saved.hasSecret) secretsStored++;
      else secretsNotStored++;
    }
    if (notes.some((n) => n.includes('FileZilla master password'))) secretsNotStored++;
    for (const note of notes) messages.push(`Imported ${label}, but ${note}.`);
  }
  if (secretsNotStored > 0 && secretsStored === 0 && sites.some((s) => s.input.secret !== undefined)) {
    messages.push('Passwords were not saved: this computer has no keyring and no Ferry master password is set. Ferry will ask for them.');
  }
  return { imported, skipped: skippedCount, secretsStored, secretsNotStored, messages };
}

function identity(s: { folder: string; name: string; protocol: string; host: string; port: number; user: string }): string {
  return JSON.stringify([s.folder, s.name, s.protocol, s.host.toLowerCase(), s.port, s.user]);
}

/**
 * The same sitemanager.xml with every stored password removed (`<Pass>` elements dropped, "normal"
 * logons turned into "ask for password"), for the offer to clear them from FileZilla after an
 * import. Works on the text so the rest of the file stays byte for byte as FileZilla wrote it.
 */
export function scrubFileZillaPasswords(xml: string): { xml: string; removed: number } {
  readFileZillaSites(xml); // refuse anything that is not a FileZilla site file
  let removed = 0;
  const out = xml.replace(/<Server>[\s\S]*?<\/Server>/g, (server) => {
    const without = server.replace(/[ \t]*<Pass\b[^>]*?(?:\/>|>[\s\S]*?<\/Pass>)[ \t]*\r?\n?/g, () => {
      removed++;
      return '';
    });
    return without === server ? server : without.replace(/<Logontype>\s*1\s*<\/Logontype>/, '<Logontype>2</Logontype>');
  });
  return { xml: out, removed };
}

/**
 * Clears the stored passwords from a sitemanager.xml on disk, after the user agreed to it
 * post-import. Written atomically beside the original with its permissions; no backup copy is
 * kept (it would hold the very passwords being removed). FileZilla should be closed first, as it
 * rewrites the file when it exits.
 */
export async function clearFileZillaPasswords(path: string): Promise<{ removed: number }> {
  const info = await stat(path);
  if (!info.isFile() || info.size > 8 * 1024 * 1024) throw new FerryError('invalid-request', 'this is not a FileZilla site file');
  const { xml, removed } = scrubFileZillaPasswords(await readFile(path, 'utf8'));
  if (removed === 0) return { removed };
  const temp = `${path}.ferry-${process.pid}.tmp`;
  await writeFile(temp, xml, { mode: info.mode & 0o777 });
  await rename(temp, path);
  return { removed };
}
