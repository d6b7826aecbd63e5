import type { Socket } from 'node:net';
import { startDataListener, startScriptedServer, type CommandHandler, type ScriptedConnection, type ScriptedServer } from './scripted-server';

/** How the server tells a file's size: SIZE, only MLST (SIZE refused), or only its LIST line. */
export type SizeVia = 'size' | 'mlst' | 'list';

export interface MemoryServer {
  readonly srv: ScriptedServer;
  /** Files in '/', keyed by their path's raw bytes as a 'latin1' string (what came on the wire). */
  readonly files: Map<string, Buffer>;
  close(): Promise<void>;
}

/**
 * A scripted passive-mode server keeping files in memory, all in '/': STOR, APPE, RETR, LIST (Unix
 * format, names as raw bytes), SIZE / MLST per `via`, RNFR/RNTO. STOR is answered 226 once the
 * data connection ends, but the last `drop` bytes are not kept (a server that loses data).
 * `onCommand` may script anything first.
 */
export async function startMemoryServer(opts: { via?: SizeVia; drop?: number; onCommand?: CommandHandler } = {}): Promise<MemoryServer> {
  const via = opts.via ?? 'size';
  const files = new Map<string, Buffer>();
  const sockets: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  const data = await startDataListener((s) => {
    const w = waiting.shift();
    if (w) w(s);
    else sockets.push(s);
  });
  const nextSocket = (): Promise<Socket> => new Promise((resolve) => (sockets.length ? resolve(sockets.shift()!) : waiting.push(resolve)));
  const arg = (line: string): string => line.slice(line.indexOf(' ') + 1);
  const serve = async (c: ScriptedConnection, line: string): Promise<void> => {
    const socket = await nextSocket();
    c.reply('150 go');
    if (line.startsWith('LIST')) {
      const listing = [...files].map(([path, body]) => `-rw-r--r--    1 ftp      ftp      ${body.length} Jan 01  2024 ${path.slice(1)}\r\n`).join('');
      socket.end(Buffer.from(listing, 'latin1'), () => c.reply('226 listed'));
    } else if (line.startsWith('RETR')) {
      socket.end(files.get(arg(line)) ?? Buffer.alloc(0), () => c.reply('226 sent'));
    } else {
      const chunks: Buffer[] = [];
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('end', () => {
        const sent = Buffer.concat(chunks);
        const body = line.startsWith('APPE') ? Buffer.concat([files.get(arg(line)) ?? Buffer.alloc(0), sent]) : sent;
        files.set(arg(line), body.subarray(0, Math.max(0, body.length - (opts.drop ?? 0))));
        c.reply('226 stored');
      });
    }
  };
  const srv = await startScriptedServer({
    onCommand: (c, line) => {
      if (opts.onCommand?.(c, line) === true) return true;
      const verb = line.split(' ')[0]!;
      const body = files.get(arg(line));
      switch (verb) {
        case 'FEAT':
          return (c.reply(via === 'mlst' ? '211-Features:\r\n MLST type*;size*;\r\n211 End' : '211 no features'), true);
        case 'EPSV':
          return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        case 'CWD':
          return (c.reply(arg(line) === '/' ? '250 ok' : '550 not a folder'), true);
        case 'RETR':
          if (!body) return (c.reply('550 no such file'), true);
          void serve(c, line);
          return true;
        case 'STOR':
        case 'APPE':
        case 'LIST':
          void serve(c, line);
          return true;
        case 'SIZE':
          if (via !== 'size') return (c.reply('502 SIZE not implemented'), true);
          return (c.reply(body ? `213 ${body.length}` : '550 no such file'), true);
        case 'MLST':
          if (via !== 'mlst') return (c.reply('502 MLST not implemented'), true);
          return (c.reply(body ? `250-Listing\r\n type=file;size=${body.length}; ${arg(line)}\r\n250 End` : '550 no such file'), true);
        case 'DELE':
          if (!body) return (c.reply('550 no such file'), true);
          files.delete(arg(line));
          return (c.reply('250 deleted'), true);
        case 'RNFR':
          return (c.reply(body ? '350 ready' : '550 no such file'), true);
        case 'RNTO': {
          const from = arg(c.received.at(-2)!.line);
          files.set(arg(line), files.get(from)!);
          files.delete(from);
          return (c.reply('250 renamed'), true);
        }
        default:
          return false;
      }
    },
  });
  return {
    srv,
    files,
    close: async () => {
      await srv.close();
      await data.close();
    },
  };
}
