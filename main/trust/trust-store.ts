import { join } from 'node:path';
import type { TrustEntry } from '../../shared/model/site';
import { readJsonFile, writeJsonFile } from '../core/json-file';

/** A trusted SSH host key or TLS certificate, pinned by SHA-256 fingerprint. */
export interface TrustRecord extends TrustEntry {
  /** Extra facts shown in the trust center (certificate subject, issuer, validity). */
  readonly details?: Readonly<Record<string, string>>;
}

interface TrustFile {
  readonly version: 1;
  readonly entries: TrustRecord[];
}

/**
 * The host keys and certificates Ferry trusts, in `trust.json` in the state dir, shared by the GUI
 * and the CLI. One entry per (kind, host, port). Writes are atomic and serialized.
 */
export class TrustStore {
  private readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.path = join(stateDir, 'trust.json');
  }

  async list(): Promise<TrustRecord[]> {
    return (await this.load()).entries;
  }

  async get(kind: TrustRecord['kind'], host: string, port: number): Promise<TrustRecord | undefined> {
    return (await this.load()).entries.find((e) => e.kind === kind && e.host === host.toLowerCase() && e.port === port);
  }

  /** Adds or replaces the entry for (kind, host, port). Replacing a changed key is a trust-center action. */
  async put(record: Omit<TrustRecord, 'firstSeen' | 'lastUsed'>): Promise<TrustRecord> {
    return this.mutate((entries) => {
      const now = Date.now();
      const host = record.host.toLowerCase();
      const full: TrustRecord = { ...record, host, firstSeen: now, lastUsed: now };
      return [[...entries.filter((e) => !(e.kind === record.kind && e.host === host && e.port === record.port)), full], full];
    });
  }

  /** Records that a trusted entry was just used. */
  async touch(kind: TrustRecord['kind'], host: string, port: number): Promise<void> {
    await this.mutate((entries) => [entries.map((e) => (e.kind === kind && e.host === host.toLowerCase() && e.port === port ? { ...e, lastUsed: Date.now() } : e)), undefined]);
  }

  async remove(kind: TrustRecord['kind'], host: string, port: number): Promise<boolean> {
    return this.mutate((entries) => {
      const rest = entries.filter((e) => !(e.kind === kind && e.host === host.toLowerCase() && e.port === port));
      return [rest, rest.length !== entries.length];
    });
  }

  private async load(): Promise<TrustFile> {
    await this.queue.catch(() => undefined);
    return readJsonFile<TrustFile>(this.path, { version: 1, entries: [] });
  }

  private mutate<R>(change: (entries: TrustRecord[]) => [TrustRecord[], R]): Promise<R> {
    const run = async (): Promise<R> => {
      const file = await readJsonFile<TrustFile>(this.path, { version: 1, entries: [] });
      const [entries, result] = change(file.entries);
      await writeJsonFile(this.path, { version: 1, entries });
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
