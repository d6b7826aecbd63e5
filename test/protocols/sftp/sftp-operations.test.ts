import { lstat, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SftpRemoteFs } from '../../../main/protocols/sftp/sftp-adapter';
import { adapterFor, makeDirs, memoryLogger, type Dirs } from './helpers/sftp-fixture';
import { startTestServer, type TestServer } from './helpers/test-ssh-server';

describe('SFTP file operations', () => {
  let dirs: Dirs;
  let server: TestServer;
  let fs: SftpRemoteFs;
  beforeAll(async () => {
    dirs = await makeDirs();
    server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, sftp: { denied: ['/locked'], readdirBatch: 50 } });
    await mkdir(join(dirs.root, 'many'));
    await Promise.all(Array.from({ length: 300 }, (_, i) => writeFile(join(dirs.root, 'many', `file-${String(i).padStart(4, '0')}`), String(i))));
    await mkdir(join(dirs.root, 'locked'));
    fs = adapterFor(server.port, dirs, { maxListEntries: 1000 });
    await fs.connect();
  });
  afterAll(async () => {
    await fs.close();
    await server.close();
    await dirs.cleanup();
  });

  it('lists a folder across many READDIR batches, without . and ..', async () => {
    const entries = await fs.list('/many');
    expect(entries).toHaveLength(300);
    expect(entries.find((e) => e.name === 'file-0042')).toMatchObject({ type: 'file', size: 2, mode: 0o644, owner: 'u', group: 'g' });
    expect(entries.some((e) => e.name === '.' || e.name === '..')).toBe(false);
  });

  it('stops an oversized listing with limit-exceeded (entries and bytes)', async () => {
    const capped = adapterFor(server.port, dirs, { maxListEntries: 120 });
    await capped.connect();
    await expect(capped.list('/many')).rejects.toMatchObject({ code: 'limit-exceeded' });
    await capped.close();
    const byBytes = adapterFor(server.port, dirs, {}, { maxListBytes: 4096 });
    await byBytes.connect();
    await expect(byBytes.list('/many')).rejects.toMatchObject({ code: 'limit-exceeded' });
    expect(byBytes.connected).toBe(true);
    await byBytes.close();
  });

  it('counts symlink targets against the byte cap of a listing', async () => {
    await mkdir(join(dirs.root, 'links'));
    for (let i = 0; i < 10; i++) await symlink(`/${'t'.repeat(1000)}/${i}`, join(dirs.root, 'links', `l${i}`));
    const capped = adapterFor(server.port, dirs, {}, { maxListBytes: 4096 });
    await capped.connect();
    try {
      await expect(capped.list('/links')).rejects.toMatchObject({ code: 'limit-exceeded' });
      expect(capped.connected).toBe(true);
    } finally {
      await capped.close();
    }
    expect((await fs.list('/links')).every((e) => e.type === 'symlink' && e.linkTarget?.length === 1003)).toBe(true);
  });

  it('maps permission errors and missing paths to contract codes', async () => {
    await expect(fs.list('/locked')).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(fs.stat('/locked/x')).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(fs.list('/missing')).rejects.toMatchObject({ code: 'no-such-file' });
    await expect(fs.stat('/missing')).rejects.toMatchObject({ code: 'no-such-file' });
    await expect(fs.removeFile('/missing')).rejects.toMatchObject({ code: 'no-such-file' });
    await writeFile(join(dirs.local, 'l.txt'), 'x');
    await expect(fs.upload(join(dirs.local, 'l.txt'), '/locked/l.txt')).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(fs.download('/locked/l.txt', join(dirs.local, 'l2.txt'))).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(fs.mkdir('/locked/sub/deeper', { recursive: true })).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(fs.rename('/many/file-0001', '/locked/x')).rejects.toMatchObject({ code: 'permission-denied' });
  });

  it('reports symlinks as symlinks with their target (lstat)', async () => {
    await writeFile(join(dirs.root, 'target.txt'), 'x');
    await symlink('target.txt', join(dirs.root, 'link.txt'));
    expect(await fs.stat('/link.txt')).toMatchObject({ name: 'link.txt', type: 'symlink', linkTarget: 'target.txt' });
    const listed = (await fs.list('/')).find((e) => e.name === 'link.txt');
    expect(listed).toMatchObject({ type: 'symlink', linkTarget: 'target.txt' });
  });

  it('creates folders, with -p, and says when one exists', async () => {
    await fs.mkdir('/a/b/c', { recursive: true });
    expect((await stat(join(dirs.root, 'a/b/c'))).isDirectory()).toBe(true);
    await fs.mkdir('/a/b/c', { recursive: true });
    await expect(fs.mkdir('/a')).rejects.toMatchObject({ code: 'already-exists' });
    await writeFile(join(dirs.root, 'a', 'file'), '');
    await expect(fs.mkdir('/a/file/sub', { recursive: true })).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('renames, and refuses to replace without posix-rename', async () => {
    await writeFile(join(dirs.root, 'r1'), '1');
    await writeFile(join(dirs.root, 'r2'), '2');
    await fs.rename('/r1', '/r3');
    expect(await readFile(join(dirs.root, 'r3'), 'utf8')).toBe('1');
    await expect(fs.rename('/r3', '/r2')).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('changes permissions', async () => {
    await writeFile(join(dirs.root, 'perm'), '');
    await fs.chmod('/perm', 0o600);
    expect((await stat(join(dirs.root, 'perm'))).mode & 0o777).toBe(0o600);
    expect((await fs.stat('/perm')).mode).toBe(0o600);
  });

  it('removes a tree recursively without following symlinks', async () => {
    const outside = join(dirs.root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'keep.txt'), 'keep');
    await mkdir(join(dirs.root, 'tree/sub/deeper'), { recursive: true });
    await writeFile(join(dirs.root, 'tree/sub/deeper/f'), 'f');
    await writeFile(join(dirs.root, 'tree/g'), 'g');
    await symlink(outside, join(dirs.root, 'tree/sub/link-to-outside'));
    await expect(fs.removeDir('/tree')).rejects.toMatchObject({ code: 'protocol-error' });
    await fs.removeDir('/tree', { recursive: true });
    await expect(lstat(join(dirs.root, 'tree'))).rejects.toThrow();
    expect(await readdir(outside)).toEqual(['keep.txt']);
    // A link to a folder given as the top is removed as a link.
    await symlink(outside, join(dirs.root, 'toplink'));
    await fs.removeDir('/toplink', { recursive: true });
    expect(await readdir(outside)).toEqual(['keep.txt']);
  });

  it('logs each operation as a command, its result or failure as the reply', async () => {
    const logger = memoryLogger();
    const logged = adapterFor(server.port, dirs, { logger });
    await logged.connect();
    try {
      await logged.list('/many');
      await logged.mkdir('/logged/a', { recursive: true });
      await logged.chmod('/logged/a', 0o700);
      await logged.rename('/logged/a', '/logged/b');
      await expect(logged.removeFile('/logged/missing')).rejects.toMatchObject({ code: 'no-such-file' });
      await logged.removeDir('/logged', { recursive: true });
    } finally {
      await logged.close();
    }
    const ops = logger.lines.filter((l) => /^(command|reply) /.test(l));
    expect(ops.slice(0, 2)).toEqual(['command list /many', 'reply /many: 300 entries']);
    expect(ops).toContain('command mkdir -p /logged/a');
    expect(ops).toContain('command chmod 700 /logged/a');
    expect(ops).toContain('command rename /logged/a to /logged/b');
    expect(ops.some((l) => l.startsWith('reply remove /logged/missing: '))).toBe(true);
    expect(ops).toContain('command rmdir -r /logged');
  });

  it('rejects calls after close with connection-lost', async () => {
    const short = adapterFor(server.port, dirs);
    await short.connect();
    await short.close();
    await expect(short.list('/')).rejects.toMatchObject({ code: 'connection-lost' });
  });
});
