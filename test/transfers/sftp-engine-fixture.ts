import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionTarget } from '../../shared/model/connection';
import { nullLogger } from '../../main/core/logger';
import { refusingPrompter } from '../../main/core/prompter';
import { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import type { RemoteFs } from '../../main/protocols/remote-fs';
import type { ConnectFn } from '../../main/transfers/connection-pool';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { tempDir } from './helpers';
import { startResetProxy, type ResetProxy } from './reset-proxy';

/** A connect factory for the engine that opens real SFTP adapters to 127.0.0.1:`port`. */
export function sftpConnect(port: number, stateDir: string, opts: { idleMs?: number } = {}): { connect: ConnectFn; target: ConnectionTarget; opened: () => number } {
  let opened = 0;
  const target: ConnectionTarget = { protocol: 'sftp', host: '127.0.0.1', port, user: 'alice' };
  const connect: ConnectFn = async (t) => {
    opened++;
    await mkdir(stateDir, { recursive: true });
    const fs = new SftpRemoteFs(
      {
        target: { ...t, port },
        password: 'secret',
        stateDir,
        prompter: refusingPrompter,
        logger: nullLogger,
        acceptNew: true,
        timeouts: { connectMs: 5000, loginMs: 5000, commandMs: 5000, idleMs: opts.idleMs ?? 5000 },
      },
      { knownHostsPath: join(stateDir, 'no-known-hosts'), env: {} },
    );
    await fs.connect();
    return fs as RemoteFs;
  };
  return { connect, target, opened: () => opened };
}

/** A per-test folder with an SFTP server (ssh2 in-process) over `root`, reached through a proxy. */
export interface SftpTestbed {
  readonly dir: string;
  readonly root: string;
  readonly server: TestServer;
  readonly proxy: ResetProxy;
  close(): Promise<void>;
}

/** Starts the testbed; `resetEveryBytes` and `bytesPerSecond` shape the proxied link. */
export async function startSftpTestbed(link: { resetEveryBytes?: number; bytesPerSecond?: number; serialReads?: boolean } = {}): Promise<SftpTestbed> {
  const { dir, cleanup } = await tempDir();
  const root = join(dir, 'root');
  await mkdir(root);
  const server = await startTestServer({ root, users: { alice: { password: 'secret' } }, ...(link.serialReads ? { sftp: { serialReads: true } } : {}) });
  const proxy = await startResetProxy(server.port, link.resetEveryBytes, link.bytesPerSecond ? { bytesPerSecond: link.bytesPerSecond } : {});
  return {
    dir,
    root,
    server,
    proxy,
    close: async () => {
      await proxy.close();
      await server.close();
      await cleanup();
    },
  };
}
