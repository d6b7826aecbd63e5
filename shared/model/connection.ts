/** The wire protocols Ferry speaks. `ftp` tries TLS first; `ftpes` requires explicit TLS; `ftps` is implicit TLS. */
export type Protocol = 'sftp' | 'ftp' | 'ftpes' | 'ftps';

export const PROTOCOLS: readonly Protocol[] = ['sftp', 'ftp', 'ftpes', 'ftps'];

export const DEFAULT_PORTS: Readonly<Record<Protocol, number>> = { sftp: 22, ftp: 21, ftpes: 21, ftps: 990 };

/** How to authenticate; secrets are never part of this type's data crossing IPC back to the renderer. */
export type AuthMethod = 'password' | 'key' | 'agent' | 'keyboard-interactive' | 'anonymous';

/** Where to connect, without secrets: what a site profile or a URL names. */
export interface ConnectionTarget {
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly auth?: AuthMethod;
  /** Path to a private key file (SFTP). */
  readonly keyFile?: string;
  /** FTP data connection mode. */
  readonly passive?: boolean;
  /** FTP control/listing charset, default utf8. */
  readonly charset?: string;
  /** Saved site id, when the target comes from a profile (consents and limits are per site). */
  readonly siteId?: string;
}

/** A parsed `sftp://`, `ftp://`, `ftpes://` or `ftps://` URL. */
export interface ParsedUrl {
  readonly target: ConnectionTarget;
  /** Password given inline in the URL, if any. */
  readonly password?: string;
  /** Absolute path on the server, percent-decoded; '/' when empty. */
  readonly path: string;
}
