import { describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../shared/ipc/prompts';
import { SessionPrompter } from '../../main/app/session-prompter';
import type { Prompter } from '../../main/core/prompter';

function scripted(answers: unknown[]): Prompter & { asked: PromptRequest[] } {
  const asked: PromptRequest[] = [];
  return {
    asked,
    async ask(request) {
      asked.push(request);
      return answers.shift() as never;
    },
  };
}

describe('SessionPrompter', () => {
  it('asks for plain-FTP consent once per session, not once per connection', async () => {
    const inner = scripted(['once']);
    const p = new SessionPrompter(inner);
    const q = { kind: 'plain-ftp', host: 'h', port: 21, reason: 'AUTH refused' } as const;
    expect(await p.ask(q)).toBe('once');
    expect(await p.ask(q)).toBe('once');
    expect(inner.asked).toHaveLength(1);
  });

  it('does not remember a refusal', async () => {
    const inner = scripted(['cancel', 'once']);
    const p = new SessionPrompter(inner);
    const q = { kind: 'plain-ftp', host: 'h', port: 21, reason: 'x' } as const;
    expect(await p.ask(q)).toBe('cancel');
    expect(await p.ask(q)).toBe('once');
    expect(inner.asked).toHaveLength(2);
  });

  it('remembers trust of this exact key only, and never answers for a changed key', async () => {
    const inner = scripted(['trust-once', 'reject', 'reject']);
    const p = new SessionPrompter(inner);
    const key = { kind: 'host-key', host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:a' } as const;
    expect(await p.ask(key)).toBe('trust-once');
    expect(await p.ask(key)).toBe('trust-once');
    expect(await p.ask({ ...key, fingerprint: 'SHA256:b' })).toBe('reject');
    expect(await p.ask({ ...key, previousFingerprint: 'SHA256:a', fingerprint: 'SHA256:c' })).toBe('reject');
    expect(inner.asked).toHaveLength(3);
  });

  it('reuses a typed password but always asks file-exists and keyboard-interactive', async () => {
    const inner = scripted([{ value: 'pw' }, { action: 'skip', applyToAll: false }, { action: 'skip', applyToAll: false }, { responses: ['1'] }, { responses: ['2'] }]);
    const p = new SessionPrompter(inner);
    const secret = { kind: 'secret', purpose: 'password', subject: 'bob@h' } as const;
    expect(await p.ask(secret)).toEqual({ value: 'pw' });
    expect(await p.ask(secret)).toEqual({ value: 'pw' });
    const exists = { kind: 'file-exists', path: '/x', existing: { size: 1, mtime: null }, incoming: { size: 1, mtime: null } } as const;
    await p.ask(exists);
    await p.ask(exists);
    const ki = { kind: 'keyboard-interactive', host: 'h', name: '', instructions: '', prompts: [{ prompt: 'OTP', echo: true }] } as const;
    expect(await p.ask(ki)).toEqual({ responses: ['1'] });
    expect(await p.ask(ki)).toEqual({ responses: ['2'] });
    expect(inner.asked).toHaveLength(5);
  });
});
