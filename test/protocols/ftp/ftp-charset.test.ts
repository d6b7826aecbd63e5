import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCharset } from '../../../main/protocols/ftp/ftp-charset';
import { errorCode, makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { makeTempDir } from './helpers/temp-dir';
import { startMemoryServer } from './hostile/memory-server';
import { cleanupAfterEach } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

/** Raw bytes as the memory server keys them. */
const wire = (...bytes: number[]): string => Buffer.from(bytes).toString('latin1');
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];

async function session(charset: string, files: [string, Buffer][], homeBytes?: number[]) {
  const mem = await startMemoryServer({
    onCommand: (c, line) => {
      if (line !== 'PWD' || !homeBytes) return false;
      c.socket.write(Buffer.from([...ascii('257 "'), ...homeBytes, ...ascii('" is the current directory\r\n')]));
      return true;
    },
  });
  cleanup.push(mem.close);
  for (const [path, body] of files) mem.files.set(path, body);
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  const { fs } = makeFs({ protocol: 'ftp', port: mem.srv.port, stateDir: join(t.path, 'state'), prompter: recordingPrompter({}), allowPlain: true, charset });
  return { mem, fs, dir: t.path };
}

describe('per-site charset', () => {
  it('windows-1252: the euro sign and bytes 0x80-0x9F are read and written as that charset', async () => {
    // "/Prix €5.txt" and "/Š…Ÿ‰.txt": every byte 0x80-0x9F that stands for a character.
    const euro = wire(0x2f, ...ascii('Prix '), 0x80, ...ascii('5.txt'));
    const high = wire(0x2f, 0x8a, 0x85, 0x9f, 0x89, ...ascii('.txt'));
    const { mem, fs, dir } = await session('windows-1252', [[euro, Buffer.from('euro\n')], [high, Buffer.from('high\n')]], [0x2f, 0x80, 0x9c]);
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.home()).toBe('/€œ');
    expect((await fs.list('/')).map((e) => e.name).sort()).toEqual(['Prix €5.txt', 'Š…Ÿ‰.txt']);
    expect(await fs.download('/Prix €5.txt', join(dir, 'a'))).toBe(5);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('euro\n');
    expect(await fs.download('/Š…Ÿ‰.txt', join(dir, 'b'))).toBe(5);
    writeFileSync(join(dir, 'up'), 'up!\n');
    expect(await fs.upload(join(dir, 'up'), '/Reçu € „ok“.txt')).toBe(4);
    expect(mem.files.get(wire(0x2f, ...ascii('Re'), 0xe7, ...ascii('u '), 0x80, 0x20, 0x84, ...ascii('ok'), 0x93, ...ascii('.txt')))?.toString()).toBe('up!\n');
    expect(mem.srv.allCommands()).not.toContain('OPTS UTF8 ON');
  });

  it('shift_jis: a Japanese name round-trips through a listing, a download and an upload', async () => {
    const sjis = [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]; // 日本語
    const name = wire(0x2f, ...sjis, ...ascii('.txt'));
    const { mem, fs, dir } = await session('Shift_JIS', [[name, Buffer.from('nihongo\n')]]);
    await fs.connect();
    cleanup.push(() => fs.close());
    expect((await fs.list('/')).map((e) => e.name)).toEqual(['日本語.txt']);
    expect(await fs.download('/日本語.txt', join(dir, 'a'))).toBe(8);
    writeFileSync(join(dir, 'up'), 'kana\n');
    // ｶﾅ (half-width, one byte each) and 表 (0x95 0x5C: the trail byte is a backslash).
    expect(await fs.upload(join(dir, 'up'), '/ｶﾅ表.txt')).toBe(5);
    expect(mem.files.get(wire(0x2f, 0xb6, 0xc5, 0x95, 0x5c, ...ascii('.txt')))?.toString()).toBe('kana\n');
  });

  it('a name the charset cannot write is refused before anything is sent', async () => {
    const { mem, fs, dir } = await session('windows-1252', []);
    await fs.connect();
    cleanup.push(() => fs.close());
    writeFileSync(join(dir, 'up'), 'x');
    const before = mem.srv.allCommands().length;
    expect(await errorCode(fs.upload(join(dir, 'up'), '/日本.txt'))).toBe('invalid-request');
    expect(mem.srv.allCommands().length).toBe(before);
  });

  it('an unknown charset, or one FTP cannot carry, is a clear error naming the supported set', async () => {
    for (const charset of ['klingon-8', 'utf-16le']) {
      const { mem, fs } = await session(charset, []);
      const err: unknown = await fs.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid-request', message: expect.stringMatching(new RegExp(`"${charset}".*supported: utf-8, .*windows-1250.*shift_jis`)) });
      expect(mem.srv.connections).toHaveLength(0);
    }
  });

  it('encoders agree with the decoders (gb18030 four-byte and supplementary, big5, euc-kr, koi8-r)', () => {
    const samples: [string, string][] = [
      ['gb18030', '中文€ÿ😀'],
      ['gbk', '中文€'],
      ['big5', '中文測試'],
      ['euc-kr', '한국어'],
      ['euc-jp', 'ﾃｽﾄ日本'],
      ['koi8-r', 'Привет'],
      ['iso-8859-2', 'Łódź'],
      ['iso-8859-1', '\u0080é'],
    ];
    for (const [name, text] of samples) {
      const cs = resolveCharset(name);
      expect(cs.decode(cs.encode(text)), name).toBe(text);
    }
    expect(resolveCharset('gb18030').encode('€').toString('hex')).toBe('a2e3');
    expect(resolveCharset('iso-8859-1').encode('\u0080').toString('hex')).toBe('80');
  });
});
