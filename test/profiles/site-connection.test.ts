import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../shared/ipc/prompts';
import type { Prompter } from '../../main/core/prompter';
import type { StoredSite } from '../../main/profiles/profile-schema';
import { secretForSite, targetForSite } from '../../main/profiles/site-connection';
import { SecretStore } from '../../main/trust/secret-store';
import { FakeSafeStorage } from '../trust/fake-safe-storage';

const SITE: StoredSite = {
  id: 'site-1', name: 'Box', folder: '', protocol: 'sftp', host: 'example.org', port: 22, user: 'alice', auth: 'password',
  passive: true, charset: 'utf8', transferLimit: 4, createdAt: 1, updatedAt: 1,
};
const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };

/** Answers questions from a script and records what was asked. */
function scripted(answers: (string | null)[]): Prompter & { asked: PromptRequest[] } {
  const asked: PromptRequest[] = [];
  return {
    asked,
    async ask(request) {
      asked.push(request);
      const next = answers.shift();
      return (next === null || next === undefined ? null : { value: next }) as never;
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-siteconn-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secretForSite', () => {
  it('uses the stored secret without asking', async () => {
    const secrets = new SecretStore(dir, new FakeSafeStorage(), FAST);
    await secrets.save('site-1', 'pw');
    const prompter = scripted([]);
    expect(await secretForSite(SITE, secrets, prompter)).toBe('pw');
    expect(prompter.asked).toEqual([]);
  });

  it('asks for the password each time when none is stored, and does not store the answer', async () => {
    const secrets = new SecretStore(dir, null, FAST);
    const prompter = scripted(['typed']);
    expect(await secretForSite(SITE, secrets, prompter)).toBe('typed');
    expect(prompter.asked).toEqual([{ kind: 'secret', purpose: 'password', subject: 'alice@example.org' }]);
    expect(await secrets.has('site-1')).toBe(false);
    await expect(secretForSite(SITE, secrets, scripted([null]))).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('asks for the master password when locked, retrying a wrong one', async () => {
    const first = new SecretStore(dir, null, FAST);
    await first.setMasterPassword('master-pass-1');
    await first.save('site-1', 'pw');
    const prompter = scripted(['wrong-guess', 'master-pass-1']);
    expect(await secretForSite(SITE, new SecretStore(dir, null, FAST), prompter)).toBe('pw');
    expect(prompter.asked.map((r) => r.kind === 'secret' && r.purpose)).toEqual(['master-password', 'master-password']);
    await expect(secretForSite(SITE, new SecretStore(dir, null, FAST), scripted(['a', 'b', 'c']))).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('does not ask up front for key passphrases or for logins without secrets', async () => {
    const secrets = new SecretStore(dir, null, FAST);
    const prompter = scripted([]);
    expect(await secretForSite({ ...SITE, auth: 'key', keyFile: '/k' }, secrets, prompter)).toBeUndefined();
    expect(await secretForSite({ ...SITE, auth: 'agent' }, secrets, prompter)).toBeUndefined();
    expect(prompter.asked).toEqual([]);
  });
});

describe('targetForSite', () => {
  it('carries the connection fields and the site id, nothing else', () => {
    expect(targetForSite({ ...SITE, auth: 'key', keyFile: '/k', localDir: '/l' })).toEqual({
      protocol: 'sftp', host: 'example.org', port: 22, user: 'alice', auth: 'key', keyFile: '/k', passive: true, charset: 'utf8', siteId: 'site-1',
    });
  });
});
