import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, type CliOptions } from '../../main/cli/cli-args';
import { flagPrompter, ttyPrompter } from '../../main/cli/cli-prompters';

function opts(...flags: string[]): CliOptions {
  const c = parseCliArgs(['ls', 'sftp://h/', ...flags]);
  if (c.kind !== 'ls') throw new Error('unexpected');
  return c.options;
}

const hostKey = { kind: 'host-key', host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:new' } as const;

describe('flag prompter (non-interactive)', () => {
  it('trusts a first-seen key only with --accept-new, never a changed one', async () => {
    expect(await flagPrompter(opts()).ask(hostKey)).toBeNull();
    expect(await flagPrompter(opts('--accept-new')).ask(hostKey)).toBe('trust-always');
    expect(await flagPrompter(opts('--accept-new')).ask({ ...hostKey, previousFingerprint: 'SHA256:old' })).toBe('reject');
  });
  it('consents to plain FTP only with --allow-plain', async () => {
    const q = { kind: 'plain-ftp', host: 'h', port: 21, reason: 'AUTH refused' } as const;
    expect(await flagPrompter(opts()).ask(q)).toBeNull();
    expect(await flagPrompter(opts('--allow-plain')).ask(q)).toBe('once');
  });
  it('answers file-exists from --on-exists', async () => {
    const q = { kind: 'file-exists', path: '/x', existing: { size: 1, mtime: null }, incoming: { size: 2, mtime: null } } as const;
    expect(await flagPrompter(opts('--on-exists', 'skip')).ask(q)).toEqual({ action: 'skip', applyToAll: true });
  });
});

describe('TTY prompter', () => {
  it('asks on the terminal and reads the answer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d) => (shown += d));
    const p = ttyPrompter(opts(), { input, output }).ask(hostKey);
    setTimeout(() => input.write('y\n'), 20);
    expect(await p).toBe('trust-always');
    expect(shown).toContain('SHA256:new');
  });
  it('refuses a changed key without asking', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    expect(await ttyPrompter(opts(), { input, output }).ask({ ...hostKey, previousFingerprint: 'SHA256:old' })).toBe('reject');
  });
  it('reads a password without echoing it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d) => (shown += d));
    const p = ttyPrompter(opts(), { input, output }).ask({ kind: 'secret', purpose: 'password', subject: 'bob@h' });
    setTimeout(() => input.write('s3cret\n'), 20);
    expect(await p).toEqual({ value: 's3cret' });
    expect(shown).toContain('Password for bob@h');
    expect(shown).not.toContain('s3cret');
  });
});
