import { DEFAULT_PORTS, PROTOCOLS, type ParsedUrl, type Protocol } from './connection';

/** Raised for a URL that is not one Ferry can use; the message says what is wrong. */
export class UrlError extends Error {}

/**
 * Parses `scheme://[user[:pass]@]host[:port]/path` per the CLI contract.
 * Percent-escapes are decoded; a path with NUL, CR or LF is refused.
 */
export function parseFerryUrl(input: string): ParsedUrl {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(\/.*)?$/.exec(input);
  if (!match) throw new UrlError(`"${input}" is not a URL: expected sftp://, ftp://, ftpes:// or ftps://host/path`);
  const scheme = match[1]!.toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(scheme)) {
    throw new UrlError(`unknown scheme "${scheme}://": use sftp://, ftp://, ftpes:// or ftps://`);
  }
  const protocol = scheme as Protocol;
  const authority = match[2]!;
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(hostPort);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }
  if (!host) throw new UrlError(`"${input}" names no host`);
  let port = DEFAULT_PORTS[protocol];
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new UrlError(`"${portText}" is not a valid port number`);
    }
    port = Number(portText);
  }
  let user: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    user = decode(colon >= 0 ? userInfo.slice(0, colon) : userInfo, 'user name');
    password = colon >= 0 ? decode(userInfo.slice(colon + 1), 'password') : undefined;
    if (user === '') user = undefined;
  }
  const rawPath = match[3] ?? '/';
  const path = decode(rawPath, 'path');
  if (/[\0\r\n]/.test(path)) throw new UrlError('the path contains a NUL, CR or LF character');
  const target = { protocol, host, port, ...(user !== undefined ? { user } : {}) };
  return { target, path, ...(password !== undefined ? { password } : {}) };
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new UrlError(`the ${what} has a malformed percent-escape`);
  }
}
