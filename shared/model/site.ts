import type { AuthMethod, Protocol } from './connection';

/** A saved site as the renderer sees it: never carries a secret, only whether one is stored. */
export interface SiteProfile {
  readonly id: string;
  readonly name: string;
  /** Folder path in the site tree, e.g. "Work/Clients"; '' for the top. */
  readonly folder: string;
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: AuthMethod;
  readonly keyFile?: string;
  readonly passive: boolean;
  readonly charset: string;
  readonly localDir?: string;
  readonly remoteDir?: string;
  /** Max parallel transfers for this site (1-16). */
  readonly transferLimit: number;
  readonly hasSecret: boolean;
  readonly allowPlain: boolean;
}

/** What the renderer sends to create or update a site; `secret` goes to main once and is not returned. */
export interface SiteInput extends Omit<SiteProfile, 'id' | 'hasSecret' | 'allowPlain'> {
  readonly id?: string;
  /** undefined = keep the stored one; '' = forget it. */
  readonly secret?: string;
}

/** An entry of the trust center. */
/** What Ferry recorded about a trusted certificate when the user accepted it (all optional: host keys have none). */
export interface TrustDetails {
  readonly subject?: string;
  readonly issuer?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  /** The certificate itself, PEM-encoded. */
  readonly pem?: string;
}

export interface TrustEntry {
  readonly kind: 'host-key' | 'certificate';
  readonly host: string;
  readonly port: number;
  readonly type: string;
  readonly fingerprint: string;
  readonly firstSeen: number;
  readonly lastUsed: number;
}
