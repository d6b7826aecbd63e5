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

/** Replaces known secrets and the argument of PASS commands. */
export function redact(text: string, secrets: ReadonlySet<string>): string {
  let out = text.replace(/^(\s*PASS\s+).+$/im, '$1***');
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** A sink that drops everything (for code paths with nobody listening). */
export const nullSink: LogSink = { write() {} };

/** A logger that drops everything. */
export const nullLogger: Logger = createLogger(nullSink);
