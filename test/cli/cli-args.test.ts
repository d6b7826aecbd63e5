import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../main/cli/cli-args';

describe('parseCliArgs', () => {
  it('parses every contract flag', () => {
    const c = parseCliArgs(['get', 'sftp://h/x', 'out', '-r', '-i', 'key', '--password-env', 'PW', '--state-dir=/s', '--accept-new', '--allow-plain', '--parallel', '8', '--on-exists', 'resume', '--timeout', '5', '--retries', '3', '--json', '-v']);
    expect(c).toEqual({
      kind: 'get', url: 'sftp://h/x', local: 'out',
      options: { recursive: true, identity: 'key', passwordEnv: 'PW', stateDir: '/s', acceptNew: true, allowPlain: true, parallel: 8, onExists: 'resume', timeoutSec: 5, retries: 3, json: true, verbose: true },
    });
  });
  it('has the contract defaults', () => {
    const c = parseCliArgs(['ls', 'ftp://h/']);
    expect(c).toMatchObject({ kind: 'ls', options: { parallel: 4, passwordEnv: 'FERRY_PASSWORD', recursive: false, json: false } });
  });
  it('refuses malformed command lines', () => {
    for (const argv of [[], ['cp', 'a', 'b'], ['ls'], ['get', 'x'], ['ls', 'u', '--parallel', '17'], ['ls', 'u', '--on-exists', 'clobber'], ['ls', 'u', '--bogus'], ['ls', 'u', '--timeout']]) {
      expect(() => parseCliArgs(argv)).toThrow(UsageError);
    }
  });
  it('recognises --help anywhere', () => {
    expect(parseCliArgs(['ls', '--help'])).toEqual({ kind: 'help' });
  });
});
