import { describe, expect, it } from 'vitest';
import { parseFerryUrl, UrlError } from '../../shared/model/parse-url';

describe('parseFerryUrl', () => {
  it('parses user, password, host, port and decodes the path', () => {
    const u = parseFerryUrl('sftp://al%40ice:p%3Ass@example.org:2222/home/al%20ice/x');
    expect(u.target).toEqual({ protocol: 'sftp', host: 'example.org', port: 2222, user: 'al@ice' });
    expect(u.password).toBe('p:ss');
    expect(u.path).toBe('/home/al ice/x');
  });
  it('applies default ports per scheme', () => {
    expect(parseFerryUrl('ftp://h').target.port).toBe(21);
    expect(parseFerryUrl('ftpes://h/').target.port).toBe(21);
    expect(parseFerryUrl('ftps://h/').target.port).toBe(990);
    expect(parseFerryUrl('sftp://h').path).toBe('/');
  });
  it('accepts IPv6 literals', () => {
    expect(parseFerryUrl('sftp://[::1]:2022/x').target).toMatchObject({ host: '::1', port: 2022 });
  });
  it('refuses bad input with a clear error', () => {
    expect(() => parseFerryUrl('http://h/')).toThrow(UrlError);
    expect(() => parseFerryUrl('sftp:///x')).toThrow(/no host/);
    expect(() => parseFerryUrl('sftp://h:99999/')).toThrow(/port/);
    expect(() => parseFerryUrl('sftp://h/a%0Ab')).toThrow(/CR or LF/);
    expect(() => parseFerryUrl('sftp://h/%zz')).toThrow(/percent/);
  });
});
