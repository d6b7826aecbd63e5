// The Ferry side of `npm run bench:ftp`, run as its own process (under /usr/bin/time, like lftp
// and curl) so peak RSS is measured the same way. Prints one JSON line: seconds from connect()
// to close() (Node's and tsx's start-up excluded) and bytes moved.
//   bench-ftp-ferry.ts <port> <stateDir> download|upload <from> <to>
//   bench-ftp-ferry.ts <port> <stateDir> upload-many|download-many <fromDir> <toDir> <connections>
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../main/core/logger';
import { FtpRemoteFs } from '../main/protocols/ftp/ftp-adapter';
import { joinRemote } from '../main/protocols/remote-fs';

const [portText, stateDir, op, from, to, connections] = process.argv.slice(2);
const fs = new FtpRemoteFs(
  {
    target: { protocol: 'ftpes', host: '127.0.0.1', port: Number(portText) },
    stateDir: stateDir!,
    prompter: { ask: async () => null },
    acceptNew: true,
    logger: createLogger({ write: () => undefined }),
  },
  { transferConnections: Number(connections ?? 4) },
);

const started = performance.now();
await fs.connect();
let bytes: number;
let files: number;
switch (op) {
  case 'download':
    bytes = await fs.download(from!, to!);
    files = 1;
    break;
  case 'upload':
    bytes = await fs.upload(from!, to!);
    files = 1;
    break;
  case 'upload-many': {
    await fs.mkdir(to!, { recursive: true });
    const names = await readdir(from!);
    const sizes = await Promise.all(names.map((n) => fs.upload(join(from!, n), joinRemote(to!, n))));
    bytes = sizes.reduce((a, b) => a + b, 0);
    files = names.length;
    break;
  }
  case 'download-many': {
    await mkdir(to!, { recursive: true });
    const entries = (await fs.list(from!)).filter((e) => e.type === 'file');
    const sizes = await Promise.all(entries.map((e) => fs.download(joinRemote(from!, e.name), join(to!, e.name))));
    bytes = sizes.reduce((a, b) => a + b, 0);
    files = entries.length;
    break;
  }
  default:
    throw new Error(`unknown operation ${op}`);
}
await fs.close();
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, bytes, files }));
