import { parseList } from 'basic-ftp';
import { describe, expect, it } from 'vitest';
import { parseListDate, parseMlstFacts, parsePwd, toRemoteEntry } from '../../../main/protocols/ftp/ftp-listing';
import { parseEpsvPort, parsePasv } from '../../../main/protocols/ftp/passive-mode';
import { codeForReply } from '../../../main/protocols/ftp/ftp-errors';

const NOW = Date.UTC(2026, 10, 22, 12, 0);

describe('LIST parsing', () => {
  it('reads Unix listings: types, sizes, modes, owners, links and dates', () => {
    const text = [
      'total 12',
      'drwxr-xr-x    2 alice    staff        4096 Mar  3  2024 docs',
      '-rw-r-----    1 alice    staff       12345 Nov 21 23:55 notes with spaces.txt',
      'lrwxrwxrwx    1 alice    staff           9 Jan  2 10:00 link -> docs/x.txt',
      'drwxr-xr-x    2 alice    staff        4096 Jan  2 10:00 .',
    ].join('\r\n');
    const entries = parseList(text).map((f) => toRemoteEntry(f, NOW)).filter((e) => e !== undefined);
    expect(entries).toEqual([
      { name: 'docs', type: 'dir', size: 0, mtime: Date.UTC(2024, 2, 3), mode: 0o755, owner: 'alice', group: 'staff' },
      { name: 'notes with spaces.txt', type: 'file', size: 12345, mtime: Date.UTC(2026, 10, 21, 23, 55), mode: 0o640, owner: 'alice', group: 'staff' },
      { name: 'link', type: 'symlink', size: 9, mtime: Date.UTC(2026, 0, 2, 10, 0), mode: 0o777, owner: 'alice', group: 'staff', linkTarget: 'docs/x.txt' },
    ]);
  });

  it('reads DOS listings', () => {
    const text = ['11-21-26  11:55PM       <DIR>          Folder', '01-02-99  09:05AM                 1234 file.bin'].join('\r\n');
    const entries = parseList(text).map((f) => toRemoteEntry(f, NOW));
    expect(entries).toEqual([
      { name: 'Folder', type: 'dir', size: 0, mtime: Date.UTC(2026, 10, 21, 23, 55), mode: null },
      { name: 'file.bin', type: 'file', size: 1234, mtime: Date.UTC(1999, 0, 2, 9, 5), mode: null },
    ]);
  });

  it('drops names that are not a single path segment', () => {
    const text = '-rw-r--r--    1 a b 1 Jan  1  2024 ../../etc/passwd\r\n-rw-r--r--    1 a b 1 Jan  1  2024 ok';
    expect(parseList(text).map((f) => toRemoteEntry(f, NOW)?.name)).toEqual([undefined, 'ok']);
  });

  it('puts a Unix date without a year that lies in the future into last year', () => {
    expect(parseListDate('Dec 24 10:00', NOW)).toBe(Date.UTC(2025, 11, 24, 10, 0));
    expect(parseListDate('Feb 30 nonsense', NOW)).toBeNull();
  });
});

describe('replies', () => {
  it('parses MLST facts', () => {
    expect(parseMlstFacts(' type=file;size=42;modify=20260102030405;unix.mode=0644; /pub/a.txt')).toEqual({ type: 'file', size: 42, mtime: Date.UTC(2026, 0, 2, 3, 4, 5), mode: 0o644 });
    expect(parseMlstFacts(' Type=dir;Modify=20260102030405.123; /pub')).toMatchObject({ type: 'dir', size: 0 });
  });

  it('parses PWD with doubled quotes', () => {
    expect(parsePwd('257 "/a ""b"" c" is the current directory')).toBe('/a "b" c');
  });

  it('parses EPSV and PASV, refusing malformed ones', () => {
    expect(parseEpsvPort('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(() => parseEpsvPort('229 (|||99999|)')).toThrow(/EPSV/);
    expect(parsePasv('227 Entering Passive Mode (192,168,1,100,10,229)')).toEqual({ host: '192.168.1.100', port: 10 * 256 + 229 });
    expect(() => parsePasv('227 (300,1,1,1,1,1)')).toThrow(/PASV/);
  });

  it('maps reply codes to contract codes', () => {
    expect(codeForReply(530, '530 Login incorrect.')).toBe('auth-failed');
    expect(codeForReply(550, '550 Failed to open file.')).toBe('no-such-file');
    expect(codeForReply(550, '550 Permission denied.')).toBe('permission-denied');
    expect(codeForReply(552, '552 Quota exceeded')).toBe('no-space');
    expect(codeForReply(421, '421 Timeout.')).toBe('connection-lost');
    expect(codeForReply(502, '502 Command not implemented.')).toBe('not-supported');
  });
});
