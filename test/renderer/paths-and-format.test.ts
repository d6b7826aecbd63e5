import { describe, expect, it } from 'vitest';
import { baseName, breadcrumbs, isValidName, joinPath, parentPath, resolveTypedPath } from '../../renderer/lib/paths';
import { formatEta, formatMode, formatOctal, formatRate, formatSize } from '../../renderer/lib/format';

describe('pane paths', () => {
  it('handles POSIX paths', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a/b', 'c')).toBe('/a/b/c');
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/')).toBe('/');
    expect(parentPath('/a/b/')).toBe('/a');
    expect(baseName('/a/b')).toBe('b');
    expect(breadcrumbs('/srv/www')).toEqual([
      { label: '/', path: '/' },
      { label: 'srv', path: '/srv' },
      { label: 'www', path: '/srv/www' },
    ]);
  });

  it('handles Windows paths on the local side', () => {
    expect(joinPath('C:\\', 'Users')).toBe('C:\\Users');
    expect(joinPath('C:\\Users', 'bob')).toBe('C:\\Users\\bob');
    expect(parentPath('C:\\Users\\bob')).toBe('C:\\Users');
    expect(parentPath('C:\\Users')).toBe('C:\\');
    expect(parentPath('C:\\')).toBe('C:\\');
    expect(breadcrumbs('C:\\Users\\bob').map((c) => c.path)).toEqual(['C:\\', 'C:\\Users', 'C:\\Users\\bob']);
  });

  it('resolves typed paths from the current folder', () => {
    expect(resolveTypedPath('/srv', 'pub')).toBe('/srv/pub');
    expect(resolveTypedPath('/srv', 'pub/')).toBe('/srv/pub');
    expect(resolveTypedPath('/srv/www', '..')).toBe('/srv');
    expect(resolveTypedPath('/srv', 'pub/../etc/./x//')).toBe('/srv/etc/x');
    expect(resolveTypedPath('/srv', '/var/log/')).toBe('/var/log');
    expect(resolveTypedPath('/srv', '/../../..')).toBe('/');
    expect(resolveTypedPath('/', '..')).toBe('/');
    expect(resolveTypedPath('/srv', '  /tmp  ')).toBe('/tmp');
    expect(resolveTypedPath('', 'pub')).toBe('pub');
    expect(resolveTypedPath('C:\\Users', 'bob\\..\\alice\\')).toBe('C:\\Users\\alice');
    expect(resolveTypedPath('/home', 'c:/Temp/../Windows')).toBe('C:\\Windows');
    expect(resolveTypedPath('C:\\Users', '..\\..\\..')).toBe('C:\\');
    expect(resolveTypedPath('\\\\server\\share\\a', '..\\..')).toBe('\\\\server\\share\\');
  });

  it('takes "~" in a typed path as the home folder, when there is one', () => {
    expect(resolveTypedPath('/srv', '~', '/home/bob')).toBe('/home/bob');
    expect(resolveTypedPath('/srv', '~/Downloads/../docs/', '/home/bob')).toBe('/home/bob/docs');
    expect(resolveTypedPath('C:\\', '~\\Desktop', 'C:\\Users\\bob')).toBe('C:\\Users\\bob\\Desktop');
    // A name that only starts with "~" is a relative name; without a home "~" is a name too.
    expect(resolveTypedPath('/srv', '~backup', '/home/bob')).toBe('/srv/~backup');
    expect(resolveTypedPath('/srv', '~/x')).toBe('/srv/~/x');
    expect(resolveTypedPath('/srv', '~', null)).toBe('/srv/~');
  });

  it('refuses names that are not a single entry', () => {
    expect(isValidName('report.pdf')).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\0b']) expect(isValidName(bad)).toBe(false);
  });
});

describe('formatting', () => {
  it('formats sizes, rates, ETAs and modes', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatRate(0)).toBe('');
    expect(formatRate(2 * 1024 * 1024)).toBe('2.0 MiB/s');
    expect(formatEta(null)).toBe('');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3723)).toBe('1:02:03');
    expect(formatMode(0o755, 'dir')).toBe('drwxr-xr-x');
    expect(formatMode(0o640)).toBe('-rw-r-----');
    expect(formatMode(null)).toBe('');
    expect(formatOctal(0o100644)).toBe('644');
  });
});
