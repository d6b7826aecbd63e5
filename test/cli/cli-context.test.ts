import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../main/cli/cli-args';
import { connectOptionsFor, createCliContext, parseUrlArg } from '../../main/cli/cli-context';

async function optionsFor(url: string, env: NodeJS.ProcessEnv) {
  const cmd = parseCliArgs(['ls', url]);
  if (cmd.kind !== 'ls') throw new Error('not ls');
  const ctx = createCliContext({ ...cmd.options, stateDir: '/nonexistent-ferry-state' }, { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), interactive: false, env });
  return connectOptionsFor(ctx, parseUrlArg(url));
}

describe('CLI connect options', () => {
  const env = { FERRY_PASSWORD: 'real-secret' };

  it('takes the password from the environment for a named user', async () => {
    expect((await optionsFor('ftp://bob@h/', env)).password).toBe('real-secret');
    expect((await optionsFor('sftp://bob@h/', env)).password).toBe('real-secret');
    expect((await optionsFor('ftps://bob:inline@h/', env)).password).toBe('inline');
  });

  it('never hands the real password to an anonymous FTP login', async () => {
    for (const url of ['ftp://h/', 'ftp://anonymous@h/', 'ftpes://Anonymous@h/', 'ftps://h/']) {
      expect((await optionsFor(url, env)).password, url).toBeUndefined();
    }
    expect((await optionsFor('ftp://anonymous:me%40example.org@h/', env)).password).toBe('me@example.org');
  });
});
