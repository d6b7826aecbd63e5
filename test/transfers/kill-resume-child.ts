// A process running the transfer engine on one download (test/transfers/engine-kill-resume.test.ts),
// journaling a checkpoint every few hundred KiB, until the test kills it with SIGKILL.
import { join } from 'node:path';
import { createLogger, nullSink } from '../../main/core/logger';
import { SftpRemoteFs } from '../../main/protocols/sftp/sftp-adapter';
import { TransferQueue } from '../../main/transfers/transfer-queue';

const [stateDir, port, remotePath, localPath, checkpointBytes] = process.argv.slice(2) as [string, string, string, string, string];
const target = { protocol: 'sftp' as const, host: '127.0.0.1', port: Number(port), user: 'alice' };
const logger = createLogger(nullSink);
const connect = async () => {
  const fs = new SftpRemoteFs(
    { target, password: 'secret', stateDir, prompter: { ask: async () => null }, logger, acceptNew: true, connections: 1 },
    { knownHostsPath: join(stateDir, 'no-known-hosts'), env: {} },
  );
  await fs.connect();
  return fs;
};
const queue = new TransferQueue(stateDir, connect, { ask: async () => null }, logger, { checkpointBytes: Number(checkpointBytes), parallel: 1 });
await queue.start();
await queue.add({ requests: [{ direction: 'download', target, localPath, remotePath, recursive: false, onExists: 'overwrite' }] });
process.stdout.write('started\n');
await queue.whenIdle();
process.stdout.write('finished\n');
