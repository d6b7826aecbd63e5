import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { FTPContext } from 'basic-ftp';
import { describe, expect, it } from 'vitest';
import { DataTap, prepareDownload, takePendingTap } from '../../../main/protocols/ftp/data-tap';
import { makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { makeTempDir } from './helpers/temp-dir';
import { startDataListener, startScriptedServer } from './hostile/scripted-server';
import { cleanupAfterEach } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('DataTap', () => {
  it('keeps copies of what arrives before a consumer attaches, then hands it over in order', () => {
    const tap = new DataTap();
    const buf = tap.onread.buffer;
    buf.fill(1, 0, 10);
    expect(tap.onread.callback(10, buf)).toBe(true);
    buf.fill(2, 0, 10); // the buffer is reused for the next read
    expect(tap.onread.callback(5, buf)).toBe(true);
    const got: Buffer[] = [];
    tap.attach(new Socket(), (c) => void got.push(Buffer.from(c)));
    expect(got.map((c) => [...c])).toEqual([Array(10).fill(1), Array(5).fill(2)]);
    buf.fill(3, 0, 4);
    tap.onread.callback(4, buf);
    expect([...got[2]!]).toEqual([3, 3, 3, 3]);
  });

  it('pauses the connection when too much arrives before the consumer, and resumes it on attach', () => {
    const tap = new DataTap();
    const size = tap.onread.buffer.length;
    let answers: boolean[] = [];
    for (let i = 0; i < 80; i++) answers.push(tap.onread.callback(size, tap.onread.buffer));
    expect(answers.at(-1)).toBe(false);
    expect(answers.indexOf(false)).toBeGreaterThan(0);
    const socket = new Socket();
    let resumed = 0;
    socket.resume = () => (resumed++, socket);
    let bytes = 0;
    tap.attach(socket, (c) => void (bytes += c.length));
    expect(bytes).toBe(80 * size);
    expect(resumed).toBe(1);
    answers = [tap.onread.callback(1, tap.onread.buffer)];
    expect(answers).toEqual([true]);
  });

  it('drops what arrives after detach', () => {
    const tap = new DataTap();
    let n = 0;
    tap.attach(new Socket(), () => void n++);
    tap.onread.callback(1, tap.onread.buffer);
    tap.detach();
    tap.onread.callback(1, tap.onread.buffer);
    expect(n).toBe(1);
  });

  it('a tap asked for a download ends with the preparation, even when it fails', async () => {
    const ftp = {} as FTPContext;
    await expect(prepareDownload(ftp, () => Promise.reject(new Error('EPSV refused')))).rejects.toThrow('EPSV refused');
    expect(takePendingTap(ftp)).toBeUndefined();
    let seen: DataTap | undefined;
    await prepareDownload(ftp, async () => {
      seen = takePendingTap(ftp);
    });
    expect(seen).toBeInstanceOf(DataTap);
    expect(takePendingTap(ftp)).toBeUndefined();
  });
});

describe('downloads through the tap', () => {
  /** A server that sends the whole body on the data connection right after RETR and answers 150 only `lateMs` later. */
  async function earlyDataServer(body: Buffer, lateMs: number) {
    let send: (() => void) | undefined;
    const data = await startDataListener((socket) => {
      send = () => socket.end(body);
    });
    cleanup.push(() => data.close());
    const srv = await startScriptedServer({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        if (line.startsWith('RETR')) {
          send?.();
          setTimeout(() => c.reply('150 here'), lateMs);
          setTimeout(() => c.reply('226 done'), lateMs + 50);
          return true;
        }
        return false;
      },
    });
    cleanup.push(() => srv.close());
    return srv;
  }

  it('data that arrives before the 150 reply (more than the early limit) lands byte-exact', async () => {
    const body = randomBytes(6 * 1024 * 1024 + 123);
    const srv = await earlyDataServer(body, 300);
    const t = makeTempDir();
    cleanup.push(() => t.remove());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(t.path, 's'), prompter: recordingPrompter({}), allowPlain: true, adapter: { transferConnections: 1 } });
    await fs.connect();
    cleanup.push(() => fs.close());
    const target = join(t.path, 'early.bin');
    expect(await fs.download('/early.bin', target)).toBe(body.length);
    expect(sha(readFileSync(target))).toBe(sha(body));
  });
});
