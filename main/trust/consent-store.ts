import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/json-file';

interface ConsentFile {
  readonly version: 1;
  /** Keys: a site id, or "host:port" for sites reached by URL. */
  readonly plainFtp: Record<string, { readonly grantedAt: number }>;
}

/** Per-site consent to continue FTP without encryption ("always for this site"), in the state dir. */
export class ConsentStore {
  private readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, 'consents.json');
  }

  static key(host: string, port: number, siteId?: string): string {
    return siteId ?? `${host.toLowerCase()}:${port}`;
  }

  async hasPlainFtp(key: string): Promise<boolean> {
    const file = await readJsonFile<ConsentFile>(this.path, { version: 1, plainFtp: {} });
    return Object.hasOwn(file.plainFtp, key);
  }

  async grantPlainFtp(key: string): Promise<void> {
    const file = await readJsonFile<ConsentFile>(this.path, { version: 1, plainFtp: {} });
    await writeJsonFile(this.path, { version: 1, plainFtp: { ...file.plainFtp, [key]: { grantedAt: Date.now() } } });
  }

  async revokePlainFtp(key: string): Promise<void> {
    const file = await readJsonFile<ConsentFile>(this.path, { version: 1, plainFtp: {} });
    const rest = { ...file.plainFtp };
    delete rest[key];
    await writeJsonFile(this.path, { version: 1, plainFtp: rest });
  }
}
