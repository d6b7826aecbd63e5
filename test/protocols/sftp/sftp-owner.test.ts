import { describe, expect, it } from 'vitest';
import { ownerAndGroup, toEntry } from '../../../main/protocols/sftp/sftp-session';

describe('SFTP owner and group', () => {
  it("takes the names from OpenSSH's ls -l style long name", () => {
    expect(ownerAndGroup('-rw-r--r--    1 alice    staff        1234 Jan  1 12:00 notes.txt', { uid: 501, gid: 20 })).toEqual({ owner: 'alice', group: 'staff' });
    expect(ownerAndGroup('drwxr-sr-x+   3 www-data www-data     4096 Mar  3  2024 site', {})).toEqual({ owner: 'www-data', group: 'www-data' });
    expect(ownerAndGroup('lrwxrwxrwx 1 0 0 7 Jan 1 00:00 link -> target', {})).toEqual({ owner: '0', group: '0' });
  });

  it('falls back to the numeric ids when the long name is not an ls -l line', () => {
    expect(ownerAndGroup('notes.txt', { uid: 1000, gid: 100 })).toEqual({ owner: '1000', group: '100' });
    expect(ownerAndGroup(undefined, { uid: 0, gid: 0 })).toEqual({ owner: '0', group: '0' });
    expect(ownerAndGroup('-rw-r--r-- x alice staff 1 Jan 1 00:00 f', { uid: 7 })).toEqual({ owner: '7' });
    expect(ownerAndGroup('', {})).toEqual({});
  });

  it('ignores names a hostile server stuffs with control characters or megabytes', () => {
    expect(ownerAndGroup(`-rw-r--r-- 1 ${'a'.repeat(100)} g 1 Jan 1 00:00 f`, { uid: 3 })).toEqual({ owner: '3', group: 'g' });
    expect(ownerAndGroup('-rw-r--r-- 1 ev\u001bil g 1 Jan 1 00:00 f', {})).toEqual({ group: 'g' });
    expect(ownerAndGroup(`-rw-r--r-- 1 u g ${'9'.repeat(5_000_000)}`, {})).toEqual({ owner: 'u', group: 'g' });
  });

  it('puts them on the entry', () => {
    expect(toEntry('f', { mode: 0o100644, size: 5, mtime: 1, uid: 1, gid: 2 }, '-rw-r--r-- 1 bob dev 5 Jan 1 00:00 f')).toEqual({
      name: 'f',
      type: 'file',
      size: 5,
      mtime: 1000,
      mode: 0o644,
      owner: 'bob',
      group: 'dev',
    });
  });
});
