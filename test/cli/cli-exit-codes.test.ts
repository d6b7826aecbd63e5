import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/cli-main';
import { exitCodeFor } from '../../main/cli/exit-codes';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, stdin: new PassThrough(), interactive: false, env: {} }, out: () => out, err: () => err };
}

describe('ferry exit codes', () => {
  it('maps contract codes per the CLI contract', () => {
    expect(exitCodeFor('auth-failed')).toBe(3);
    expect(exitCodeFor('host-key-changed')).toBe(4);
    expect(exitCodeFor('cert-untrusted')).toBe(4);
    expect(exitCodeFor('plain-refused')).toBe(5);
    expect(exitCodeFor('tls-handshake-timeout')).toBe(5);
    expect(exitCodeFor('connection-lost')).toBe(6);
    expect(exitCodeFor('timeout')).toBe(6);
    expect(exitCodeFor('no-such-file')).toBe(7);
    expect(exitCodeFor('permission-denied')).toBe(7);
    expect(exitCodeFor('partial')).toBe(8);
    expect(exitCodeFor('internal')).toBe(1);
  });
  it('exits 2 with one sentence on a usage error', async () => {
    const t = io();
    expect(await runCli(['frobnicate'], t.io)).toBe(2);
    expect(t.err()).toMatch(/^ferry: unknown command "frobnicate".*\n$/);
  });
  it('exits 2 on a URL that is not one', async () => {
    const t = io();
    expect(await runCli(['ls', 'http://x/'], t.io)).toBe(2);
    expect(t.err()).toContain('unknown scheme');
  });
  it('prints usage on --help and exits 0', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('ferry put <local-path> <url> [-r]');
  });
});
