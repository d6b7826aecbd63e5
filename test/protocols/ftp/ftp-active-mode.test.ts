import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eprtCommand, portCommand } from '../../../main/protocols/ftp/active-mode';
import { errorCode, makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { startEmbeddedFtp } from './helpers/embedded-ftp-server';
import { startScriptedServer, type ScriptedConnection } from './hostile/scripted-server';
import { cleanupAfterEach, tempPath } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

const tmp = (): string => tempPath(cleanup);

/** Where the client asked to be connected to, from an EPRT or PORT line. */
function target(line: string): { host: string; port: number } {
  const eprt = /^EPRT \|1\|([\d.]+)\|(\d+)\|$/.exec(line);
  if (eprt) return { host: eprt[1]!, port: Number(eprt[2]) };
  const n = /^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)$/.exec(line)!.slice(1).map(Number);
  return { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]! };
}

function dial(to: { host: string; port: number }, from = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: to.host, port: to.port, localAddress: from }, () => resolve(s));
    s.once('error', reject);
  });
}

/** A scripted server whose RETR connects back to the client (active mode) and sends `content`. */
async function activeServer(content: Buffer, opts: { refuseEprt?: boolean; neverConnect?: boolean; intruderFirst?: boolean } = {}) {
  let dataTarget: { host: string; port: number } | undefined;
  const intruder = { refused: false };
  const srv = await startScriptedServer({
    onCommand: (c: ScriptedConnection, line) => {
      if (line.startsWith('EPRT')) {
        if (opts.refuseEprt) c.reply('502 EPRT not implemented');
        else {
          dataTarget = target(line);
          c.reply('200 EPRT ok');
        }
        return true;
      }
      if (line.startsWith('PORT')) {
        dataTarget = target(line);
        c.reply('200 PORT ok');
        return true;
      }
      if (line.startsWith('RETR')) {
        if (opts.neverConnect) {
          c.reply('150 opening data connection');
          return true;
        }
        void (async () => {
          if (opts.intruderFirst) {
            const bad = await dial(dataTarget!, '127.0.0.2');
            await new Promise((r) => bad.once('close', r));
            intruder.refused = true;
          }
          const data = await dial(dataTarget!);
          c.reply('150 opening data connection');
          data.end(content, () => c.reply('226 done'));
        })();
        return true;
      }
      return false;
    },
  });
  cleanup.push(() => srv.close());
  return { srv, intruder };
}

describe('FTP active mode', () => {
  it('formats EPRT and PORT', () => {
    expect(eprtCommand('10.0.0.5', 5282)).toBe('EPRT |1|10.0.0.5|5282|');
    expect(eprtCommand('::1', 40000)).toBe('EPRT |2|::1|40000|');
    expect(portCommand('10.0.0.5', 5282)).toBe('PORT 10,0,0,5,20,162');
  });

  it('lists, uploads and downloads byte-exact against ftp-srv with the server connecting back', async () => {
    const dir = tmp();
    await mkdir(join(dir, 'root'));
    await writeFile(join(dir, 'root', 'hello.txt'), 'hello active\n');
    const server = await startEmbeddedFtp(join(dir, 'root'), 'plain');
    cleanup.push(() => server.close());
    const { fs, lines } = makeFs({ protocol: 'ftp', port: server.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, passive: false });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect((await fs.list('/')).map((e) => e.name)).toContain('hello.txt');
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    big.write('start', 0);
    await writeFile(join(dir, 'big.bin'), big);
    expect(await fs.upload(join(dir, 'big.bin'), '/big.bin')).toBe(big.length);
    expect((await readFile(join(dir, 'root', 'big.bin'))).equals(big)).toBe(true);
    expect(await fs.download('/big.bin', join(dir, 'back.bin'))).toBe(big.length);
    expect((await readFile(join(dir, 'back.bin'))).equals(big)).toBe(true);
    expect(lines.some((l) => /^(EPRT|PORT) /.test(l.text))).toBe(true);
    expect(lines.some((l) => /^(EPSV|PASV)$/.test(l.text))).toBe(false);
  });

  it('falls back to PORT when the server refuses EPRT', async () => {
    const content = Buffer.from('via PORT\n');
    const { srv } = await activeServer(content, { refuseEprt: true });
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, passive: false });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.download('/f', join(dir, 'f'))).toBe(content.length);
    expect((await readFile(join(dir, 'f'))).equals(content)).toBe(true);
    expect(srv.allCommands().some((l) => l.startsWith('PORT 127,0,0,1,'))).toBe(true);
  });

  it('turns away a data connection from another address and takes the server\'s', async () => {
    const content = Buffer.from('only from the server\n');
    const { srv, intruder } = await activeServer(content, { intruderFirst: true });
    const dir = tmp();
    const { fs, lines } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, passive: false });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.download('/f', join(dir, 'f'))).toBe(content.length);
    expect((await readFile(join(dir, 'f'))).equals(content)).toBe(true);
    expect(intruder.refused).toBe(true);
    expect(lines.some((l) => /refused a data connection from 127\.0\.0\.2/.test(l.text))).toBe(true);
  });

  it('fails with a clear timeout when the server never connects back, and the next operation works', async () => {
    const { srv } = await activeServer(Buffer.from('x'), { neverConnect: true });
    const dir = tmp();
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: join(dir, 's'), prompter: recordingPrompter({}), allowPlain: true, passive: false });
    await fs.connect();
    cleanup.push(() => fs.close());
    const t = Date.now();
    const download = fs.download('/f', join(dir, 'f'));
    await expect(download).rejects.toThrow(/did not open the data connection.*active mode/);
    expect(await errorCode(fs.download('/f', join(dir, 'f')))).toBe('timeout');
    expect(Date.now() - t).toBeLessThan(8000);
    await fs.mkdir('/still-browsing', { recursive: true });
  });
});
