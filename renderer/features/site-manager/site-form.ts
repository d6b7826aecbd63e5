import { DEFAULT_PORTS, type AuthMethod, type Protocol } from '../../../shared/model/connection';
import type { SiteInput, SiteProfile } from '../../../shared/model/site';

/** The editable fields of a site, as strings where the user types them. */
export interface SiteDraft {
  id?: string;
  name: string;
  folder: string;
  protocol: Protocol;
  host: string;
  port: string;
  user: string;
  auth: AuthMethod;
  keyFile: string;
  passive: boolean;
  charset: string;
  localDir: string;
  remoteDir: string;
  transferLimit: string;
  /** '' = keep the stored secret (if any). */
  secret: string;
  forgetSecret: boolean;
  hasSecret: boolean;
}

/** Which authentication methods make sense for a protocol. */
export function authMethodsFor(protocol: Protocol): AuthMethod[] {
  return protocol === 'sftp' ? ['password', 'key', 'agent', 'keyboard-interactive'] : ['password', 'anonymous'];
}

/** A blank site in `folder`. */
export function emptyDraft(folder = ''): SiteDraft {
  return {
    name: 'New site',
    folder,
    protocol: 'sftp',
    host: '',
    port: '',
    user: '',
    auth: 'password',
    keyFile: '',
    passive: true,
    charset: 'utf8',
    localDir: '',
    remoteDir: '',
    transferLimit: '4',
    secret: '',
    forgetSecret: false,
    hasSecret: false,
  };
}

/** The draft of a saved site (never holds its secret: only whether one is stored). */
export function draftOf(site: SiteProfile): SiteDraft {
  return {
    id: site.id,
    name: site.name,
    folder: site.folder,
    protocol: site.protocol,
    host: site.host,
    port: String(site.port),
    user: site.user,
    auth: site.auth,
    keyFile: site.keyFile ?? '',
    passive: site.passive,
    charset: site.charset,
    localDir: site.localDir ?? '',
    remoteDir: site.remoteDir ?? '',
    transferLimit: String(site.transferLimit),
    secret: '',
    forgetSecret: false,
    hasSecret: site.hasSecret,
  };
}

/** Validates a draft and turns it into what `sites:save` takes; returns a message on error. */
export function toSiteInput(d: SiteDraft): SiteInput | string {
  if (!d.name.trim()) return 'Give the site a name.';
  if (!d.host.trim()) return 'Enter the host name.';
  const port = d.port.trim() === '' ? DEFAULT_PORTS[d.protocol] : Number(d.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'The port must be a number from 1 to 65535.';
  const limit = Number(d.transferLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 16) return 'Parallel transfers must be from 1 to 16.';
  const auth = authMethodsFor(d.protocol).includes(d.auth) ? d.auth : 'password';
  if (auth === 'key' && !d.keyFile.trim()) return 'Choose the private key file.';
  const secret = d.forgetSecret ? '' : d.secret !== '' ? d.secret : undefined;
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    folder: d.folder.split('/').map((p) => p.trim()).filter(Boolean).join('/'),
    protocol: d.protocol,
    host: d.host.trim(),
    port,
    user: d.user.trim(),
    auth,
    ...(auth === 'key' ? { keyFile: d.keyFile.trim() } : {}),
    passive: d.passive,
    charset: d.charset.trim() || 'utf8',
    ...(d.localDir.trim() ? { localDir: d.localDir.trim() } : {}),
    ...(d.remoteDir.trim() ? { remoteDir: d.remoteDir.trim() } : {}),
    transferLimit: limit,
    ...(secret !== undefined ? { secret } : {}),
  };
}
