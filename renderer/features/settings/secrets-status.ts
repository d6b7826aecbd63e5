import { useCallback, useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../shared/ipc/contract';
import { ferry } from '../../ferry-api';

/** Where main stores new site secrets (`secrets:status`): keyring, master password, or nowhere. */
export type SecretsStatus = InvokeResponse<'secrets:status'>;

/**
 * Main's secret-storage status, loaded on mount; null until it arrives (or when main cannot say).
 * `reload` asks again, e.g. after setting or entering the master password.
 */
export function useSecretsStatus(): { status: SecretsStatus | null; reload: () => Promise<void> } {
  const [status, setStatus] = useState<SecretsStatus | null>(null);
  const reload = useCallback(async () => {
    const res = await ferry().secretsStatus({});
    if (res.ok) setStatus(res.value);
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { status, reload };
}

/** Why main would not store a new site secret now, and what the user can do; null when it would (or is not known yet). */
function storageGap(status: SecretsStatus | null): { cause: string; advice: string } | null {
  if (status === null || status.backend === 'safe-storage') return null;
  if (status.backend === 'none') return { cause: 'no system keyring is available', advice: 'set a master password in Settings' };
  if (status.locked) return { cause: 'the master password has not been entered in this session', advice: 'unlock saved passwords in Settings first' };
  return null;
}

/**
 * Why a password (or key passphrase) being typed for a site will not be saved, as a sentence for
 * the form; null when main can store it. Main then asks for it at each connection instead.
 */
export function unsavedSecretReason(status: SecretsStatus | null, noun: 'password' | 'passphrase'): string | null {
  const gap = storageGap(status);
  if (!gap) return null;
  return `${gap.cause.charAt(0).toUpperCase()}${gap.cause.slice(1)}, so this ${noun} will not be saved: Ferry will ask for it each time you connect. To save it, ${gap.advice}.`;
}

/** The same, said once a site was saved without the secret typed for it. */
export function savedWithoutSecret(status: SecretsStatus | null, noun: 'password' | 'passphrase', site: string): string | null {
  const gap = storageGap(status);
  if (!gap) return null;
  return `Saved “${site}” without its ${noun}: ${gap.cause}. Ferry will ask for it each time you connect; to save it, ${gap.advice}.`;
}
