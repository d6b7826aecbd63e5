import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CHUNK, PORTABLE_CHUNK, SftpSession } from '../../../main/protocols/sftp/sftp-session';
import { adapterFor, makeDirs, memoryLogger, type Dirs } from './helpers/sftp-fixture';
import { startTestServer, type TestServer } from './helpers/test-ssh-server';

const users = { alice: { password: 'secret' } };

// What Ferry offers in the SSH handshake, seen from servers that offer different things.
describe('SSH algorithm negotiation', () => {
  let dirs: Dirs;
  let server: TestServer | undefined;
  beforeEach(async () => {
    dirs = await makeDirs();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await dirs.cleanup();
    vi.restoreAllMocks();
  });

  async function agreed(algorithms?: Parameters<typeof startTestServer>[0]['algorithms']): Promise<string> {
    server = await startTestServer({ root: dirs.root, users, ...(algorithms ? { algorithms } : {}) });
    const logger = memoryLogger();
    const fs = adapterFor(server.port, dirs, { logger });
    await fs.connect();
    await fs.close();
    return logger.lines.find((l) => l.includes('SSH keys agreed'))!;
  }

  it('prefers AES-GCM even when the server lists ChaCha20 first', async () => {
    const line = await agreed({ cipher: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'] });
    expect(line).toContain('aes128-gcm@openssh.com');
  });

  it('falls back to AES-CTR with an encrypt-then-MAC HMAC-SHA2 on an older server', async () => {
    const line = await agreed({ cipher: ['aes256-ctr', 'aes256-cbc'], hmac: ['hmac-sha1', 'hmac-sha2-256-etm@openssh.com'] });
    expect(line).toContain('aes256-ctr');
  });

  it('never compresses: a server that insists on zlib is refused', async () => {
    server = await startTestServer({ root: dirs.root, users, algorithms: { compress: ['zlib@openssh.com', 'zlib'] } });
    const fs = adapterFor(server.port, dirs);
    await expect(fs.connect()).rejects.toMatchObject({ code: 'protocol-error' });
    expect(fs.connected).toBe(false);
  });

  it('refuses a server that offers only ciphers Ferry does not accept (CBC)', async () => {
    server = await startTestServer({ root: dirs.root, users, algorithms: { cipher: ['aes256-cbc', '3des-cbc'] } });
    const fs = adapterFor(server.port, dirs);
    await expect(fs.connect()).rejects.toMatchObject({ code: 'protocol-error' });
  });

  it('turns Nagle off on the connection (small requests are not held back)', async () => {
    const spy = vi.spyOn(Socket.prototype, 'setNoDelay');
    await agreed();
    expect(spy).toHaveBeenCalledWith(true);
  });
});

describe('SFTP request size', () => {
  const session = (fake: object) => new SftpSession(fake as never, 1000);

  it("follows the server's limits@openssh.com, capped at 124 KiB", () => {
    expect(session({ _extensions: { 'limits@openssh.com': '1' }, _maxReadLen: 261_120, _maxWriteLen: 261_120 }).chunkSize()).toEqual({ read: MAX_CHUNK, write: MAX_CHUNK });
    expect(MAX_CHUNK).toBe(124 * 1024);
    expect(session({ _extensions: { 'limits@openssh.com': '1' }, _maxReadLen: 65_536, _maxWriteLen: 32_768 }).chunkSize()).toEqual({ read: 65_536, write: 32_768 });
  });

  it('uses 31952 bytes, safe for every server, when no limits are announced', () => {
    expect(session({ _extensions: {} }).chunkSize()).toEqual({ read: PORTABLE_CHUNK, write: PORTABLE_CHUNK });
    expect(PORTABLE_CHUNK).toBe(31952);
  });
});
