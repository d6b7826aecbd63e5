import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { ConnectFn } from '../../main/transfers/connection-pool';
import { makeFs, recordingPrompter } from '../protocols/ftp/helpers/adapter-fixture';
import { startEmbeddedFtp, type EmbeddedServer } from '../protocols/ftp/helpers/embedded-ftp-server';
import { tempDir } from './helpers';

/** A per-test folder with an embedded plain FTP server over `<dir>/root`, and the engine's way in. */
export interface FtpTestbed {
  readonly dir: string;
  readonly server: EmbeddedServer;
  target(): ConnectionTarget;
  /** Opens real FTP adapters (plain, with consent) to the server's current port. */
  readonly connect: ConnectFn;
  /** Stops the server (every connection drops) and starts it again on the same port. */
  restart(): Promise<void>;
}

/** Registers beforeEach/afterEach hooks that give each test a fresh testbed. */
export function useFtpTestbed(): FtpTestbed {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let server: EmbeddedServer | undefined;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(join(dir, 'root'));
    server = await startEmbeddedFtp(join(dir, 'root'), 'plain');
  });
  afterEach(async () => {
    await server?.close();
    await cleanup();
  });
  const connect: ConnectFn = async () => {
    const { fs } = makeFs({ protocol: 'ftp', port: server!.port, stateDir: join(dir, 'state'), prompter: recordingPrompter({}), allowPlain: true, timeouts: { connectMs: 5000, tlsMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: 5000 } });
    await fs.connect();
    return fs;
  };
  return {
    get dir() {
      return dir;
    },
    get server() {
      return server!;
    },
    target: () => ({ protocol: 'ftp', host: '127.0.0.1', port: server!.port, user: 'alice' }),
    connect,
    restart: async () => {
      const port = server!.port;
      await server!.close();
      server = await startEmbeddedFtp(join(dir, 'root'), 'plain', undefined, port);
    },
  };
}
