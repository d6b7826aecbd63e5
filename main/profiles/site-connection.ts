import type { ConnectionTarget } from '../../shared/model/connection';
import { FerryError } from '../core/ferry-error';
import type { Prompter } from '../core/prompter';
import type { SecretStoreStatus } from '../trust/secret-store';
import type { StoredSite } from './profile-schema';
import { usesSecret } from './site-validation';

/** What a saved site connects to: the ConnectionTarget every adapter takes, with its site id. */
export function targetForSite(site: StoredSite): ConnectionTarget {
  return {
    protocol: site.protocol,
    host: site.host,
    port: site.port,
    user: site.user,
    auth: site.auth,
    ...(site.keyFile !== undefined ? { keyFile: site.keyFile } : {}),
    passive: site.passive,
    charset: site.charset,
    siteId: site.id,
  };
}

/** The secret store as seen when connecting. */
export interface ConnectSecrets {
  status(): Promise<SecretStoreStatus>;
  has(id: string): Promise<boolean>;
  read(id: string): Promise<string | undefined>;
  unlock(password: string): Promise<boolean>;
}

const MASTER_TRIES = 3;

/**
 * The secret to connect a saved site with: the stored one (asking for the master password first
 * when the store is locked), else, for password logins, the user is asked now and the answer is
 * not stored. Key and keyboard-interactive logins without a stored secret resolve undefined: the
 * adapter asks only if the key is encrypted or the server prompts. Cancelling rejects `cancelled`.
 */
export async function secretForSite(site: StoredSite, secrets: ConnectSecrets, prompter: Prompter, signal?: AbortSignal): Promise<string | undefined> {
  if (!usesSecret(site.auth)) return undefined;
  const status = await secrets.status();
  if (status.locked && (await secrets.has(site.id))) {
    for (let i = 0; i < MASTER_TRIES; i++) {
      const answer = await prompter.ask({ kind: 'secret', purpose: 'master-password', subject: 'Ferry master password' }, signal);
      if (answer === null) throw new FerryError('cancelled', 'the master password was not entered');
      if (await secrets.unlock(answer.value)) break;
      if (i === MASTER_TRIES - 1) throw new FerryError('auth-failed', 'the master password is wrong');
    }
  }
  const stored = await secrets.read(site.id);
  if (stored !== undefined || site.auth !== 'password') return stored;
  const answer = await prompter.ask({ kind: 'secret', purpose: 'password', subject: `${site.user}@${site.host}` }, signal);
  if (answer === null) throw new FerryError('cancelled', 'no password was entered');
  return answer.value;
}
