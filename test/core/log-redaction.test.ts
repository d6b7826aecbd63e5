import { describe, expect, it } from 'vitest';
import { ANYWHERE_SECRET_LENGTH, createLogger, MIN_FREE_SECRET_LENGTH, redact } from '../../main/core/logger';
import type { LogLine } from '../../shared/model/log-line';

const secrets = (...s: string[]) => new Set(s);

describe('log redaction', () => {
  it('hides a secret wherever it stands alone, however often', () => {
    expect(redact('login as bob with hunter2 failed (hunter2)', secrets('hunter2'))).toBe('login as bob with *** failed (***)');
    expect(redact('"hunter2",hunter2.', secrets('hunter2'))).toBe('"***",***.');
    expect(redact('hunter2', secrets('hunter2'))).toBe('***');
  });

  it('leaves a secret that is only part of a longer word alone', () => {
    // The password "pass" must not turn "password" into "***word", which would also give it away.
    expect(redact('asking for the password', secrets('pass'))).toBe('asking for the password');
    expect(redact('pass: pass', secrets('pass'))).toBe('***: ***');
    expect(redact('Überpass passé', secrets('pass'))).toBe('Überpass passé');
  });

  it('hides a long secret even inside a longer word', () => {
    expect(ANYWHERE_SECRET_LENGTH).toBeGreaterThan(MIN_FREE_SECRET_LENGTH);
    expect(redact('xhunter22y', secrets('hunter22'))).toBe('x***y');
    expect(redact('xhunt3ry', secrets('hunt3r'))).toBe('xhunt3ry');
  });

  it('matches secrets that start or end with punctuation wherever they occur', () => {
    expect(redact('x!s3cr3t!y and s3cr3t!', secrets('!s3cr3t!'))).toBe('x***y and s3cr3t!');
  });

  it('does not scatter stars through the log for a very short password', () => {
    expect(MIN_FREE_SECRET_LENGTH).toBeGreaterThan(1);
    const text = 'a transfer of a file named a.txt';
    expect(redact(text, secrets('a'))).toBe(text);
    expect(redact(text, secrets('abc'))).toBe(text);
  });

  it('still hides a short password where the line says it is one', () => {
    expect(redact('PASS a', secrets('a'))).toBe('PASS ***');
    expect(redact('pass xy', secrets())).toBe('pass ***');
    expect(redact('opening sftp://bob:a@example.org:22/home', secrets('a'))).toBe('opening sftp://bob:***@example.org:22/home');
    expect(redact('ftp://u:p@ss@h/x and ftp://h:21/y', secrets())).toBe('ftp://u:***@h/x and ftp://h:21/y');
  });

  it('leaves URLs without a password untouched', () => {
    const text = 'sftp://bob@example.org:22/a@b and ftp://example.org:2121/';
    expect(redact(text, secrets())).toBe(text);
  });

  it('applies to every line of a logger and its children', () => {
    const lines: LogLine[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.child('sftp h:22').addSecret('correct horse');
    log.addSecret('');
    log.addSecret(undefined);
    log.log('info', 'tried correct horse, then correct horses');
    expect(lines.map((l) => l.text)).toEqual(['tried ***, then ***s']);
  });
});
