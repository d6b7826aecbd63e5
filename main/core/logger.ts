import type { LogLevel, LogLine } from '../../shared/model/log-line';

/** Where log lines go: the GUI's ring buffer, the CLI's stderr, a test array. */
export interface LogSink {
  write(line: LogLine): void;
}

/** A logger bound to one source (a connection or "app"); every line passes through redaction. */
export interface Logger {
  log(level: LogLevel, text: string): void;
  /** A logger for a sub-source, sharing sink and secrets. */
  child(source: string): Logger;
  /** Registers a secret that must never appear in any line. */
  addSecret(secret: string | undefined): void;
}

let seq = 0;

/** Makes a logger; secrets registered on it or any child are replaced with "***". */
export function createLogger(sink: LogSink, source = 'app', secrets: Set<string> = new Set()): Logger {
  return {
    log(level, text) {
      // Nobody listens (the CLI without -v): no redaction work per line.
      if (sink === nullSink) return;
      sink.write({ seq: ++seq, time: Date.now(), level, source, text: redact(text, secrets) });
    },
    child(sub) {
      return createLogger(sink, sub, secrets);
    },
    addSecret(secret) {
      if (secret && secret.length > 0) secrets.add(secret);
    },
  };
}

/**
 * Secrets shorter than this are only redacted where a line says it is a secret (a PASS command,
 * a URL's user:password@): replacing every "a" of a one-letter password would mangle the log and,
 * by the gaps it leaves, give the password away.
 */
export const MIN_FREE_SECRET_LENGTH = 4;
/** Secrets this long are redacted even inside longer words: they are unlikely to be words. */
export const ANYWHERE_SECRET_LENGTH = 8;

const PASS_COMMAND = /^(\s*PASS\s+).+$/im;
/** scheme://user:password@ - the password part, up to the last "@" before the host. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/]*(?=@)/gi;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Replaces the argument of PASS commands, the password of URLs, every occurrence of a known
 * secret of ANYWHERE_SECRET_LENGTH or more characters, and every stand-alone occurrence of a
 * shorter one (MIN_FREE_SECRET_LENGTH or more): not glued to letters or digits on a side where
 * the secret itself starts or ends with one, so the password "pass" hides "pass" and
 * "user:pass@" but leaves "password" alone.
 */
export function redact(text: string, secrets: ReadonlySet<string>): string {
  let out = text.replace(PASS_COMMAND, '$1***').replace(URL_PASSWORD, '$1***');
  for (const s of secrets) {
    if (s.length >= ANYWHERE_SECRET_LENGTH) out = out.split(s).join('***');
    else if (s.length >= MIN_FREE_SECRET_LENGTH) out = replaceStandalone(out, s);
  }
  return out;
}

function replaceStandalone(text: string, secret: string): string {
  let at = text.indexOf(secret);
  if (at < 0) return text;
  const wordStart = WORD_CHAR.test(secret[0]!);
  const wordEnd = WORD_CHAR.test(secret[secret.length - 1]!);
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = at + secret.length;
    const gluedBefore = wordStart && at > 0 && WORD_CHAR.test(text[at - 1]!);
    const gluedAfter = wordEnd && end < text.length && WORD_CHAR.test(text[end]!);
    if (gluedBefore || gluedAfter) {
      at = text.indexOf(secret, at + 1);
      continue;
    }
    out += text.slice(from, at) + '***';
    from = end;
    at = text.indexOf(secret, end);
  }
  return out + text.slice(from);
}

/** A sink that drops everything (for code paths with nobody listening). */
export const nullSink: LogSink = { write() {} };

/** A logger that drops everything. */
export const nullLogger: Logger = createLogger(nullSink);
