// One Ferry SFTP transfer in its own process, so the benchmark measures its time and peak RSS
// the same way as for OpenSSH sftp and lftp. Prints one JSON line: {"seconds": ..., "bytes": ...}.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nullLogger } from '../main/core/logger';
import { refusingPrompter } from '../main/core/prompter';
import { SftpRemoteFs } from '../main/protocols/sftp/sftp-adapter';

const [port, keyPath, stateDir, direction, from, to, cipher] = process.argv.slice(2);
if (!port || !keyPath || !stateDir || !from || !to || (direction !== 'download' && direction !== 'upload')) {
  throw new Error('usage: bench-sftp-ferry <port> <key> <state-dir> download|upload <from> <to> [cipher]');
}
const fs = new SftpRemoteFs(
  {
    target: { protocol: 'sftp', host: '127.0.0.1', port: Number(port), user: 'root', auth: 'key' },
    privateKey: await readFile(keyPath),
    stateDir,
    prompter: refusingPrompter,
    logger: nullLogger,
    acceptNew: true,
  },
  {
    knownHostsPath: join(stateDir, 'no-known-hosts'),
    env: {},
    ...(cipher ? { ciphers: [cipher] } : {}),
    ...(process.env.FERRY_BENCH_CHUNK ? { chunkSize: Number(process.env.FERRY_BENCH_CHUNK) } : {}),
    ...(process.env.FERRY_BENCH_INFLIGHT_MB ? { maxInFlightBytes: Number(process.env.FERRY_BENCH_INFLIGHT_MB) * 1024 * 1024 } : {}),
  },
);
const start = performance.now();
await fs.connect();
const bytes = direction === 'download' ? await fs.download(from, to) : await fs.upload(from, to);
await fs.close();
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - start) / 1000, bytes })}\n`);
