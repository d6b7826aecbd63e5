import type { SiteInput } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import { DEFAULT_SCRYPT, newPasswordKey, open, passwordKey, seal, type PasswordKeyHeader, type ScryptParams } from '../trust/secret-crypto';
import type { StoredSite } from './profile-schema';

const FORMAT = 'ferry-sites';
const CHECK_TEXT = 'ferry-export-check';
const MIN_PASSPHRASE = 8;
const MAX_EXPORT_CHARS = 16 * 1024 * 1024;

interface ExportedSecrets extends PasswordKeyHeader {
  /** Index into `sites` -> AES-256-GCM sealed secret, bound to that index. */
  readonly entries: Record<string, string>;
}

interface ExportFile {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly exportedAt: string;
  readonly sites: SiteInput[];
  /** The site tree's folders, empty ones included (files from before folders existed have none). */
  readonly folders?: string[];
  readonly secrets?: ExportedSecrets;
}

type ExportFields = Omit<SiteInput, 'id' | 'secret'>;

function exportFields(site: StoredSite): ExportFields {
  const { id: _i, createdAt: _c, updatedAt: _u, lastUsed: _l, ...fields } = site;
  return fields;
}

/**
 * Serializes sites for another machine. Without a passphrase the file holds no secret at all;
 * with one, each readable secret is sealed with AES-256-GCM under an scrypt key from it.
 * Ids and history stay behind. Never writes a secret in clear text.
 */
export async function exportSites(
  sites: readonly StoredSite[],
  options: { passphrase?: string; readSecret?: (id: string) => Promise<string | undefined>; scrypt?: ScryptParams; folders?: readonly string[] } = {},
): Promise<string> {
  const file: { -readonly [K in keyof ExportFile]: ExportFile[K] } = {
    format: FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    sites: sites.map(exportFields),
    ...(options.folders && options.folders.length > 0 ? { folders: [...options.folders] } : {}),
  };
  if (options.passphrase !== undefined) {
    if (options.passphrase.length < MIN_PASSPHRASE) throw new FerryError('invalid-request', `the export passphrase must have at least ${MIN_PASSPHRASE} characters`);
    if (!options.readSecret) throw new FerryError('internal', 'exporting secrets needs access to the secret store');
    const { key, header } = await newPasswordKey(options.passphrase, options.scrypt ?? DEFAULT_SCRYPT, CHECK_TEXT);
    const entries: Record<string, string> = {};
    for (const [index, site] of sites.entries()) {
      const secret = await options.readSecret(site.id);
      if (secret !== undefined) entries[String(index)] = seal(key, secret, `ferry:export:${index}`);
    }
    file.secrets = { ...header, entries };
    key.fill(0);
  }
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads an export back into site inputs ready for `SiteStore.save`. Secrets are returned only with
 * the right passphrase; without one they are left out; a wrong one is `auth-failed`.
 */
export async function readSiteExport(text: string, passphrase?: string): Promise<SiteInput[]> {
  if (text.length > MAX_EXPORT_CHARS) throw new FerryError('invalid-request', 'the export file is too large');
  let file: ExportFile;
  try {
    file = JSON.parse(text) as ExportFile;
  } catch {
    throw new FerryError('invalid-request', 'this is not a Ferry site export (not JSON)');
  }
  if (file?.format !== FORMAT || file.version !== 1 || !Array.isArray(file.sites)) {
    throw new FerryError('invalid-request', 'this is not a Ferry site export, or one from a newer version');
  }
  const sites = file.sites.map((s) => {
    const { id: _i, secret: _s, ...rest } = (s ?? {}) as SiteInput;
    return rest;
  });
  if (passphrase === undefined || !file.secrets) return sites;
  const header = file.secrets;
  const key = await passwordKey(passphrase, header, CHECK_TEXT);
  if (key === null) throw new FerryError('auth-failed', 'the export passphrase is wrong');
  try {
    return sites.map((site, index) => {
      const sealed = Object.hasOwn(header.entries ?? {}, String(index)) ? header.entries[String(index)] : undefined;
      const secret = typeof sealed === 'string' ? open(key, sealed, `ferry:export:${index}`) : null;
      return secret === null ? site : { ...site, secret };
    });
  } finally {
    key.fill(0);
  }
}

/** Most folders an export may bring. */
const MAX_EXPORT_FOLDERS = 10_000;

/** The folders an export lists (empty ones included); none for files from before folders existed. */
export function readExportFolders(text: string): string[] {
  if (text.length > MAX_EXPORT_CHARS) throw new FerryError('invalid-request', 'the export file is too large');
  let file: Partial<ExportFile>;
  try {
    file = JSON.parse(text) as Partial<ExportFile>;
  } catch {
    throw new FerryError('invalid-request', 'this is not a Ferry site export (not JSON)');
  }
  const folders: unknown = file?.folders;
  if (folders === undefined) return [];
  if (!Array.isArray(folders) || folders.length > MAX_EXPORT_FOLDERS || !folders.every((f) => typeof f === 'string')) {
    throw new FerryError('invalid-request', 'the folders of this site export are not a list of names');
  }
  return folders as string[];
}
