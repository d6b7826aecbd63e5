export type LogLevel = 'debug' | 'info' | 'command' | 'reply' | 'warn' | 'error';

/** One line of the live log; secrets are redacted before a line is made. */
export interface LogLine {
  readonly seq: number;
  readonly time: number;
  readonly level: LogLevel;
  /** Which connection: e.g. "sftp alice@host:22" or "app". */
  readonly source: string;
  readonly text: string;
}
