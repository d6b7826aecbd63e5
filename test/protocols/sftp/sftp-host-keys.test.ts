import { createHmac, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustChange } from '../../../main/protocols/remote-fs';
import { TrustStore } from '../../../main/trust/trust-store';
import { matchKnownHosts } from '../../../main/protocols/sftp/known-hosts';
import { sshFingerprint } from '../../../main/protocols/sftp/host-key-verifier';
import { adapterFor, makeDirs, runFerry, scriptedPrompter, type Dirs } from './helpers/sftp-fixture';
import { makeKeyPair, startTestServer, type TestServer } from './helpers/test-ssh-server';

describe('SFTP host keys', () => {
  let dirs: Dirs;
  let server: TestServer;
  let keyLine: string;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    const parsed = ssh2.utils.parseKey(server.hostKey) as ssh2.ParsedKey;
    keyLine = `ssh-ed25519 ${parsed.getPublicSSH().toString('base64')}`;
  });
  afterAll(async () => {
    await server.close();
    await dirs.cleanup();
  });

  const freshState = async (name: string): Promise<Dirs> => ({ ...dirs, state: join(dirs.base, `state-${name}`) });

  it('prints fingerprints like OpenSSH (SHA256:, base64 without padding)', () => {
    expect(server.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('asks about an unknown key; trust-always stores it, and the next connection asks nothing', async () => {
    const d = await freshState('always');
    const asking = scriptedPrompter((r) => (r.kind === 'host-key' ? 'trust-always' : null));
    const fs = adapterFor(server.port, d, { acceptNew: false, prompter: asking });
    await fs.connect();
    await fs.close();
    expect(asking.asked).toEqual([{ kind: 'host-key', host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', fingerprint: server.fingerprint }]);
    const stored = await new TrustStore(d.state).get('host-key', '127.0.0.1', server.port);
    expect(stored).toMatchObject({ type: 'ssh-ed25519', fingerprint: server.fingerprint });

    const silent = scriptedPrompter(() => null);
    const again = adapterFor(server.port, d, { acceptNew: false, prompter: silent });
    await again.connect();
    await again.close();
    expect(silent.asked).toEqual([]);
  });

  it('trust-once connects without storing; reject and no answer are host-key-unknown', async () => {
    const d = await freshState('once');
    const once = adapterFor(server.port, d, { acceptNew: false, prompter: scriptedPrompter(() => 'trust-once') });
    await once.connect();
    await once.close();
    expect(await new TrustStore(d.state).list()).toEqual([]);
    for (const answer of ['reject', null]) {
      const fs = adapterFor(server.port, d, { acceptNew: false, prompter: scriptedPrompter(() => answer) });
      await expect(fs.connect()).rejects.toMatchObject({ code: 'host-key-unknown' });
    }
    expect(await new TrustStore(d.state).list()).toEqual([]);
  });

  it('acceptNew trusts and stores without asking', async () => {
    const d = await freshState('accept');
    const asking = scriptedPrompter(() => null);
    const fs = adapterFor(server.port, d, { acceptNew: true, prompter: asking });
    await fs.connect();
    await fs.close();
    expect(asking.asked).toEqual([]);
    expect((await new TrustStore(d.state).get('host-key', '127.0.0.1', server.port))?.fingerprint).toBe(server.fingerprint);
  });

  it('refuses a changed key with both fingerprints and leaves the store untouched', async () => {
    const d = await freshState('changed');
    const store = new TrustStore(d.state);
    const old = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    await store.put({ kind: 'host-key', host: '127.0.0.1', port: server.port, type: 'ssh-ed25519', fingerprint: old });
    const before = await readFile(join(d.state, 'trust.json'), 'utf8');
    const asking = scriptedPrompter(() => 'trust-always');
    const changes: TrustChange[] = [];
    const fs = adapterFor(server.port, d, { acceptNew: true, prompter: asking, onTrustChanged: (c) => changes.push(c) });
    const err = await fs.connect().then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(changes).toEqual([{ kind: 'host-key', host: '127.0.0.1', port: server.port, type: 'ssh-ed25519', fingerprint: server.fingerprint, previousFingerprint: old }]);
    expect(err?.code).toBe('host-key-changed');
    expect(err?.message).toContain('host key changed');
    expect(err?.message).toContain(old);
    expect(err?.message).toContain(server.fingerprint);
    expect(asking.asked).toEqual([]);
    expect(await readFile(join(d.state, 'trust.json'), 'utf8')).toBe(before);
  });

  it('refuses a host key that changes at a re-key in the middle of a session', async () => {
    const d = await freshState('midsession');
    const changes: TrustChange[] = [];
    const fs = adapterFor(server.port, d, { acceptNew: true, onTrustChanged: (c) => changes.push(c) });
    await fs.connect();
    await fs.list('/');
    const impostor = makeKeyPair().privateKey;
    server.swapHostKey(impostor);
    try {
      server.rekeyAll();
      // The re-key (and so the refusal) takes a moment, longer on a loaded machine.
      for (const started = Date.now(); fs.connected && Date.now() - started < 10_000; ) await new Promise((r) => setTimeout(r, 25));
      expect(fs.connected).toBe(false);
      await expect(fs.list('/')).rejects.toMatchObject({ code: 'host-key-changed', message: expect.stringContaining('host key changed') });
      const impostorKey = ssh2.utils.parseKey(impostor) as ssh2.ParsedKey;
      expect(changes).toEqual([expect.objectContaining({ previousFingerprint: server.fingerprint, fingerprint: sshFingerprint(impostorKey.getPublicSSH()) })]);
    } finally {
      server.swapHostKey(server.hostKey);
      await fs.close();
    }
  });

  it('trusts a key found in known_hosts (plain and hashed) without writing anything', async () => {
    for (const hashed of [false, true]) {
      const d = await freshState(`kh-${hashed}`);
      const name = `[127.0.0.1]:${server.port}`;
      const salt = randomBytes(20);
      const hostField = hashed ? `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}` : `otherhost,${name}`;
      const khPath = join(d.base, `known_hosts-${hashed}`);
      await writeFile(khPath, `# comment\n[127.0.0.1]:1 ${keyLine}\n${hostField} ${keyLine} test\n`);
      const asking = scriptedPrompter(() => null);
      const fs = adapterFor(server.port, d, { acceptNew: false, prompter: asking }, { knownHostsPath: khPath });
      await fs.connect();
      await fs.close();
      expect(asking.asked).toEqual([]);
      expect(await new TrustStore(d.state).list()).toEqual([]);
      expect(await readFile(khPath, 'utf8')).toContain(hostField);
    }
  });

  it('refuses when known_hosts holds a different key of the same type', async () => {
    const d = await freshState('kh-changed');
    const other = ssh2.utils.parseKey(makeKeyPair().publicKey) as ssh2.ParsedKey;
    const khPath = join(d.base, 'known_hosts-changed');
    await writeFile(khPath, `[127.0.0.1]:${server.port} ssh-ed25519 ${other.getPublicSSH().toString('base64')}\n`);
    const fs = adapterFor(server.port, d, { acceptNew: true }, { knownHostsPath: khPath });
    await expect(fs.connect()).rejects.toMatchObject({ code: 'host-key-changed', message: expect.stringContaining(sshFingerprint(other.getPublicSSH())) });
  });

  it('matches known_hosts patterns: wildcards, negation, ports', () => {
    const line = (hosts: string) => `${hosts} ${keyLine}`;
    expect(matchKnownHosts(line('*.example.org'), 'a.example.org', 22)).toHaveLength(1);
    expect(matchKnownHosts(line('*.example.org,!bad.example.org'), 'bad.example.org', 22)).toHaveLength(0);
    expect(matchKnownHosts(line('example.org'), 'example.org', 2222)).toHaveLength(0);
    expect(matchKnownHosts(line('[example.org]:2222'), 'EXAMPLE.org', 2222)).toHaveLength(1);
    expect(matchKnownHosts(`@cert-authority * ${keyLine}`, 'x', 22)).toHaveLength(0);
    expect(matchKnownHosts(`@revoked x ${keyLine}`, 'x', 22)[0]?.revoked).toBe(true);
  });

  it('ferry ls exits 0 with a trusted key, 4 for an unknown one and 3 for a bad password', async () => {
    const run = runFerry;
    await writeFile(join(dirs.root, 'hello.txt'), 'hi');
    const state = join(dirs.base, 'state-cli');
    const url = `sftp://alice@127.0.0.1:${server.port}/`;
    const unknown = await run(['ls', url, '--state-dir', state], { FERRY_PASSWORD: 'secret', HOME: dirs.base });
    expect(unknown.code).toBe(4);
    expect(unknown.errText).toContain(server.fingerprint);
    const ok = await run(['ls', url, '--state-dir', state, '--accept-new'], { FERRY_PASSWORD: 'secret', HOME: dirs.base });
    expect(ok.errText).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/hello\.txt/);
    const bad = await run(['ls', url, '--state-dir', state], { FERRY_PASSWORD: 'nope', HOME: dirs.base });
    expect(bad.code).toBe(3);
  });
});
