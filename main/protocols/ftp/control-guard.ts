import type { Client } from 'basic-ftp';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import { resolveCharset, type FtpCharset } from './ftp-charset';

/** Bounds on what a server may send on the control connection. */
export interface ControlLimits {
  /** Longest control line accepted, in characters. */
  readonly maxLineLength: number;
  /** Most lines in one multi-line reply. */
  readonly maxReplyLines: number;
}

export const DEFAULT_CONTROL_LIMITS: ControlLimits = { maxLineLength: 8192, maxReplyLines: 2000 };

/** The parts of basic-ftp's FTPContext this module hooks into (stable in 6.x, see dist/FtpContext.js). */
interface ContextInternals {
  _onControlSocketData(chunk: string): void;
  send(command: string): void;
  closeWithError(err: Error): void;
  readonly _socket: { remoteAddress?: string };
}

/**
 * Puts a gate in front of basic-ftp's control-reply parser: only whole lines reach it (basic-ftp
 * would take a half-received "220 ..." line as a complete reply), a line longer than
 * `maxLineLength` or a multi-line reply with more than `maxReplyLines` lines closes the
 * connection with a clear error, and every command and reply line goes to the log at the
 * 'command' / 'reply' levels with the PASS argument masked. The socket carries bytes as
 * 'latin1' text: replies are decoded and commands encoded here with the site's `charset`
 * (whole lines only, so a multi-byte character is never split).
 */
export function guardControl(client: Client, logger: Logger, limits: ControlLimits = DEFAULT_CONTROL_LIMITS, charset: FtpCharset = resolveCharset('utf-8')): void {
  const ftp = client.ftp as unknown as ContextInternals;
  const parse = ftp._onControlSocketData.bind(ftp);
  const send = ftp.send.bind(ftp);
  let partial = '';
  let openCode: string | undefined;
  let replyLines = 0;

  const fail = (err: FerryError): void => {
    partial = '';
    openCode = undefined;
    ftp.closeWithError(err);
  };

  ftp._onControlSocketData = (chunk: string): void => {
    const text = partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      partial = text;
      if (partial.length > limits.maxLineLength) fail(new FerryError('protocol-error', `the server sent a control line longer than ${limits.maxLineLength} characters`));
      return;
    }
    const complete = text.slice(0, end + 1);
    partial = text.slice(end + 1);
    for (const raw of complete.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.length > limits.maxLineLength) {
        fail(new FerryError('protocol-error', `the server sent a control line longer than ${limits.maxLineLength} characters`));
        return;
      }
      if (line === '') continue;
      const text = charset.decode(Buffer.from(line.length > 400 ? line.slice(0, 400) : line, 'latin1'));
      logger.log('reply', line.length > 400 ? `${text}…` : text);
      if (openCode === undefined) {
        if (/^\d{3}-/.test(line)) {
          openCode = line.slice(0, 3);
          replyLines = 1;
        }
      } else if (line.startsWith(`${openCode} `) || line === openCode) {
        openCode = undefined;
      } else if (++replyLines > limits.maxReplyLines) {
        fail(new FerryError('limit-exceeded', `the server sent a reply of more than ${limits.maxReplyLines} lines`));
        return;
      }
    }
    if (partial.length > limits.maxLineLength) {
      fail(new FerryError('protocol-error', `the server sent a control line longer than ${limits.maxLineLength} characters`));
      return;
    }
    parse(charset.decode(Buffer.from(complete, 'latin1')));
  };

  ftp.send = (command: string): void => {
    // Throws (nothing sent) for a character the charset lacks.
    const wire = charset.encode(command).toString('latin1');
    if (ftp._socket.remoteAddress !== undefined) logger.log('command', /^PASS /i.test(command) ? 'PASS ***' : command);
    send(wire);
  };
}

/** Refuses a path that would smuggle a second command onto the wire. */
export function assertSafePath(path: string): void {
  if (/[\r\n\0]/.test(path)) throw new FerryError('invalid-request', 'the path contains a CR, LF or NUL character');
  if (path === '') throw new FerryError('invalid-request', 'the path is empty');
}
