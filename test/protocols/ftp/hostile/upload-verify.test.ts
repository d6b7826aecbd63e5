import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runUpload, type RunContext } from '../../../../main/transfers/item-runner';
import type { ItemRecord } from '../../../../main/transfers/queue-records';
import { errorCode, makeFs, recordingPrompter } from '../helpers/adapter-fixture';
import { makeTempDir } from '../helpers/temp-dir';
import { startDataListener, startScriptedServer, type ScriptedConnection } from './scripted-server';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** How the server tells a file's size: SIZE, only MLST (SIZE refused), or only its LIST line. */
type SizeVia = 'size' | 'mlst' | 'list';

/**
 * A scripted server holding uploaded files in memory, all in '/'. STOR is answered 226 after the
 * data connection ends, but the last `drop` bytes are not kept (a server that loses data).
 */
async function memoryServer(via: SizeVia, drop: number) {
  const files = new Map<string, Buffer>();
  const sockets: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  const data = await startDataListener((s) => {
    const w = waiting.shift();
    if (w) w(s);
    else sockets.push(s);
  });
  cleanup.push(() => data.close());
  const nextSocket = (): Promise<Socket> => new Promise((resolve) => (sockets.length ? resolve(sockets.shift()!) : waiting.push(resolve)));
  const arg = (line: string): string => line.slice(line.indexOf(' ') + 1);
  const serve = async (c: ScriptedConnection, line: string): Promise<void> => {
    const socket = await nextSocket();
    c.reply('150 go');
    if (line.startsWith('LIST')) {
      const listing = [...files].map(([path, body]) => `-rw-r--r--    1 ftp      ftp      ${body.length} Jan 01  2024 ${path.slice(1)}\r\n`).join('');
      socket.end(listing, () => c.reply('226 listed'));
      return;
    }
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => {
      const body = Buffer.concat(chunks);
      files.set(arg(line), body.subarray(0, Math.max(0, body.length - drop)));
      c.reply('226 stored');
    });
  };
  const srv = await startScriptedServer({
    onCommand: (c, line) => {
      const verb = line.split(' ')[0]!;
      const body = files.get(arg(line));
      switch (verb) {
        case 'FEAT':
          return (c.reply(via === 'mlst' ? '211-Features:\r\n MLST type*;size*;\r\n211 End' : '211 no features'), true);
        case 'EPSV':
          return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        case 'CWD':
          return (c.reply(arg(line) === '/' ? '250 ok' : '550 not a folder'), true);
        case 'STOR':
        case 'LIST':
          void serve(c, line);
          return true;
        case 'SIZE':
          if (via !== 'size') return (c.reply('502 SIZE not implemented'), true);
          return (c.reply(body ? `213 ${body.length}` : '550 no such file'), true);
        case 'MLST':
          if (via !== 'mlst') return (c.reply('502 MLST not implemented'), true);
          return (c.reply(body ? `250-Listing\r\n type=file;size=${body.length}; ${arg(line)}\r\n250 End` : '550 no such file'), true);
        case 'RNFR':
          return (c.reply(body ? '350 ready' : '550 no such file'), true);
        case 'RNTO': {
          const from = c.received.at(-2)!.line;
          files.set(arg(line), files.get(arg(from))!);
          files.delete(arg(from));
          return (c.reply('250 renamed'), true);
        }
        default:
          return false;
      }
    },
  });
  cleanup.push(() => srv.close());
  return { srv, files };
}

async function setup(via: SizeVia, drop: number) {
  const { srv, files } = await memoryServer(via, drop);
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  const body = randomBytes(300_000);
  const localPath = join(t.path, 'f.bin');
  writeFileSync(localPath, body);
  const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 'state'), prompter: recordingPrompter({}), allowPlain: true });
  await fs.connect();
  cleanup.push(() => fs.close());
  const item: ItemRecord = { id: 'i1', jobId: 'j1', direction: 'upload', rel: '', localPath, remotePath: '/f.bin', size: body.length, mtime: null, mode: null, state: 'active', attempts: 1, transferred: 0 };
  const ctx: RunContext = {
    fs,
    signal: new AbortController().signal,
    localRoot: t.path,
    onProgress: () => undefined,
    decide: async () => 'overwrite',
    record: async () => undefined,
    trustedOffset: undefined,
    checkpointBytes: 1 << 30,
    fsyncMinBytes: 1 << 30,
    ensureDir: async () => undefined,
  };
  return { srv, files, fs, body, item, ctx, localPath };
}

describe.each<SizeVia>(['size', 'mlst', 'list'])('upload size checked on the server (size via %s)', (via) => {
  it('a server that kept every byte: the upload is renamed into place and resolves with its size', async () => {
    const { srv, files, fs, body, item, ctx, localPath } = await setup(via, 0);
    expect(await runUpload(item, ctx)).toMatchObject({ state: 'done' });
    expect(files.get('/f.bin')?.equals(body)).toBe(true);
    expect(files.has('/.f.bin.ferry-part')).toBe(false);
    expect(await fs.upload(localPath, '/again.bin')).toBe(body.length);
    const asked = srv.allCommands().filter((l) => /^(SIZE|MLST|LIST)/.test(l));
    expect(asked.some((l) => l.startsWith(via.toUpperCase()))).toBe(true);
  });

  it('a server that dropped bytes after 226: the upload fails and nothing gets the final name', async () => {
    const { srv, files, fs, item, ctx, localPath } = await setup(via, 1000);
    const err: unknown = await runUpload(item, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'protocol-error', message: expect.stringMatching(/299000 bytes of \/\.f\.bin\.ferry-part/) });
    expect(files.has('/f.bin')).toBe(false);
    expect(srv.allCommands().some((l) => l.startsWith('RNFR'))).toBe(false);
    expect(await errorCode(fs.upload(localPath, '/direct.bin'))).toBe('protocol-error');
  });
});
