import type { TrustDetails, TrustEntry } from '../../shared/model/site';
import { FerryError } from '../core/ferry-error';
import type { TrustRecord, TrustStore } from './trust-store';

/** A key or certificate a server presented that differs from the trusted one: refused, awaiting a decision here. */
export interface ChangedKey extends Omit<TrustRecord, 'firstSeen' | 'lastUsed'> {
  readonly previousFingerprint: string;
  readonly seenAt: number;
}

const MAX_PENDING = 200;
const DETAIL_KEYS = ['subject', 'issuer', 'validFrom', 'validTo', 'pem'] as const satisfies readonly (keyof TrustDetails)[];
type Kind = TrustEntry['kind'];

function keyOf(kind: Kind, host: string, port: number): string {
  return `${kind} ${host.toLowerCase()}:${port}`;
}

/**
 * The one place a user sees whom Ferry trusts (host keys and certificates: host, type, SHA-256,
 * first seen, last used), removes entries, and replaces a key that changed. Connections refuse a
 * changed key and report it with `noteChanged`; only `replaceChanged`, called from this screen
 * after the warning, pins the new one, and only with the exact fingerprint that was reported.
 */
export class TrustCenter {
  private readonly pending = new Map<string, ChangedKey>();

  constructor(private readonly store: TrustStore, private readonly now: () => number = Date.now) {}

  /** Every trusted entry, by host, port and kind, as plain data for the renderer. */
  async list(): Promise<TrustEntry[]> {
    const entries = await this.store.list();
    return entries
      .map(({ kind, host, port, type, fingerprint, firstSeen, lastUsed }) => ({ kind, host, port, type, fingerprint, firstSeen, lastUsed }))
      .sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port || a.kind.localeCompare(b.kind));
  }

  /** What was recorded with one entry (a certificate's subject, issuer, validity and PEM). Unknown entries are an error. */
  async details(kind: Kind, host: string, port: number): Promise<TrustDetails> {
    const record = await this.store.get(kind, host, port);
    if (!record) throw new FerryError('invalid-request', `${host}:${port} is not in the trust list`);
    const d = record.details ?? {};
    const out: Record<string, string> = {};
    for (const k of DETAIL_KEYS) if (typeof d[k] === 'string') out[k] = d[k];
    return out;
  }

  /** Forgets an entry: the next connection asks as for a new server. Unknown entries are an error. */
  async remove(kind: Kind, host: string, port: number): Promise<void> {
    this.pending.delete(keyOf(kind, host, port));
    if (!(await this.store.remove(kind, host, port))) throw new FerryError('invalid-request', `${host}:${port} is not in the trust list`);
  }

  /** Called by a connection that refused a changed key, so the user can review it here. */
  noteChanged(change: Omit<ChangedKey, 'seenAt'>): void {
    const key = keyOf(change.kind, change.host, change.port);
    this.pending.delete(key);
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(key, { ...change, host: change.host.toLowerCase(), seenAt: this.now() });
  }

  /** Changed keys reported since the app started, newest last. */
  changes(): ChangedKey[] {
    return [...this.pending.values()];
  }

  /**
   * Pins the new key for (kind, host, port). Refused unless a change with exactly this fingerprint
   * was reported and the old entry is still the one it replaced (nothing swapped in between).
   */
  async replaceChanged(kind: Kind, host: string, port: number, fingerprint: string): Promise<TrustEntry> {
    const key = keyOf(kind, host, port);
    const change = this.pending.get(key);
    if (!change || change.fingerprint !== fingerprint) {
      throw new FerryError('invalid-request', `no changed key with that fingerprint was reported for ${host}:${port}`);
    }
    const current = await this.store.get(kind, host, port);
    if (current && current.fingerprint !== change.previousFingerprint) {
      this.pending.delete(key);
      throw new FerryError('invalid-request', `the trusted entry for ${host}:${port} changed meanwhile; connect again to review it`);
    }
    const { previousFingerprint: _p, seenAt: _s, ...record } = change;
    const saved = await this.store.put(record);
    this.pending.delete(key);
    const { details: _d, ...entry } = saved;
    return entry;
  }
}
