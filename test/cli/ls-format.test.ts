import { describe, expect, it } from 'vitest';
import { formatEntry, printable } from '../../main/cli/commands/ls-command';

describe('ferry ls lines', () => {
  it('shows type, mode, size, time, name and link target', () => {
    expect(formatEntry({ name: 'a.txt', type: 'file', size: 5, mtime: Date.UTC(2026, 0, 2, 3, 4, 5), mode: 0o640 })).toBe('-rw-r-----            5 2026-01-02 03:04:05 a.txt');
    expect(formatEntry({ name: 'l', type: 'symlink', size: 0, mtime: null, mode: null, linkTarget: '/x' })).toMatch(/^l\?{9} +0 -{1} +l -> \/x$/);
  });

  it('never writes a server-chosen control character to the terminal', () => {
    const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\r\nname\u009b1m';
    const line = formatEntry({ name: hostile, type: 'symlink', size: 1, mtime: 0, mode: 0o777, linkTarget: 'to\u001b[31mred' });
    expect([...line].filter((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))).toEqual([]);
    expect(line).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x0aname\\x9b1m -> to\\x1b[31mred');
    expect(printable('back\\slash')).toBe('back\\x5cslash');
    expect(printable('plain name é 漢字')).toBe('plain name é 漢字');
  });
});
