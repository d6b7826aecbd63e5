import { describe, expect, it } from 'vitest';
import { assertInside, resolveInside, safeLocalMode, unsafeLocalName } from '../../main/transfers/path-safety';

describe('unsafeLocalName', () => {
  const refusedEverywhere = ['', '.', '..', '../x', 'a/../../x', '/abs/x', '..\\x', 'a\\b', 'nul\0byte', 'bell\x07', 'new\nline', 'del\x7f', 'C:', 'c:evil', 'D:\\x', 'x'.repeat(256)];
  it.each(refusedEverywhere)('refuses %j on every platform', (name) => {
    expect(unsafeLocalName(name, 'linux')).not.toBeNull();
    expect(unsafeLocalName(name, 'win32')).not.toBeNull();
    expect(unsafeLocalName(name, 'darwin')).not.toBeNull();
  });

  const windowsOnly = ['CON', 'con', 'con.txt', 'PRN', 'AUX.tar.gz', 'NUL', 'COM1', 'com9.log', 'LPT1', 'lpt3.txt', 'COM¹', 'CONIN$', 'trailing.', 'trailing ', 'dots...', 'a<b', 'a>b', 'ab:c', 'a"b', 'a|b', 'a?b', 'a*b'];
  it.each(windowsOnly)('refuses %j on Windows only', (name) => {
    expect(unsafeLocalName(name, 'win32')).not.toBeNull();
    expect(unsafeLocalName(name, 'linux')).toBeNull();
  });

  const fine = ['file.txt', '.hidden', '..hidden', 'a..b', 'con-artist.txt', 'COM10', 'lpt', 'ünïcödé ✓', 'x'.repeat(255), 'space inside'];
  it.each(fine)('accepts %j on Windows and Linux', (name) => {
    expect(unsafeLocalName(name, 'win32')).toBeNull();
    expect(unsafeLocalName(name, 'linux')).toBeNull();
  });
});

describe('resolveInside', () => {
  it('joins safe names below the root', () => {
    expect(resolveInside('/tmp/t', ['a', 'b.txt'], 'linux')).toBe('/tmp/t/a/b.txt');
  });
  it.each([[['..', 'x']], [['a', '..', '..', 'x']], [['/abs']], [['a/../../x']], [['..\\x']]])('refuses %j with unsafe-path', (names) => {
    expect(() => resolveInside('/tmp/t', names, 'linux')).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
  });
  it('asserts the final path stays inside', () => {
    expect(() => assertInside('/tmp/t', '/tmp/t/../u')).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
    expect(() => assertInside('/tmp/t', '/tmp/tt/x')).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
    expect(() => assertInside('/tmp/t', '/tmp/t/x/../y')).not.toThrow();
  });
  it.each([
    ['/tmp/t', '/tmp/t/a/../../u'],
    ['/tmp/t', '/tmp/t/./../u'],
    ['/tmp/t', '/tmp/t//../u'],
    ['/tmp/t/', '/tmp/t/../u'],
    ['/tmp/t/x/..', '/tmp/t/x/../../u'],
    ['/tmp/t', '/tmp/t/..'],
  ])('refuses a path that climbs out however it is spelled: %s + %s', (root, path) => {
    // The same answer whether or not the quick check for plain joined names applies.
    expect(() => assertInside(root, path)).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
  });
  it.each([
    ['/tmp/t', '/tmp/t/a/.b/c..d/...'],
    ['/tmp/t', '/tmp/t/x'],
    ['/tmp/t/', '/tmp/t/x'],
    ['/tmp/t', '/tmp/t'],
  ])('accepts a path inside: %s + %s', (root, path) => {
    expect(() => assertInside(root, path)).not.toThrow();
  });
});

describe('safeLocalMode', () => {
  it('strips setuid, setgid and sticky bits and keeps the owner able to read and write', () => {
    expect(safeLocalMode(0o4755)).toBe(0o755);
    expect(safeLocalMode(0o2755)).toBe(0o755);
    expect(safeLocalMode(0o1777)).toBe(0o777);
    expect(safeLocalMode(0o000)).toBe(0o600);
    expect(safeLocalMode(null)).toBeNull();
  });
});
