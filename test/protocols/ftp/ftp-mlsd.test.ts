import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFs, recordingPrompter } from './helpers/adapter-fixture';
import { makeTempDir } from './helpers/temp-dir';
import { startDataListener, startScriptedServer } from './hostile/scripted-server';
import { cleanupAfterEach } from './helpers/cleanup';

const cleanup = cleanupAfterEach();

function stateDir(): string {
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  return join(t.path, 's');
}

describe('servers that offer MLST', () => {
  it('lists with MLSD and stats with MLST', async () => {
    const data = await startDataListener((socket) =>
      socket.end(
        [
          'type=cdir;modify=20260101000000; .',
          'type=pdir;modify=20260101000000; ..',
          'type=file;size=1234;modify=20260102030405;unix.mode=0640;UNIX.owner=7; report final.pdf',
          'type=dir;modify=20251231235959;unix.mode=0755; archive',
          '',
        ].join('\r\n'),
      ),
    );
    cleanup.push(() => data.close());
    const srv = await startScriptedServer({
      onCommand: (c, line) => {
        if (line === 'FEAT') return (c.reply('211-Features:\r\n MLST type*;size*;modify*;unix.mode*;\r\n SIZE\r\n211 End'), true);
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${data.port}|)`), true);
        if (line === 'MLSD') {
          c.reply('150 listing');
          setTimeout(() => c.reply('226 done'), 50);
          return true;
        }
        if (line === 'MLST /docs/report final.pdf') return (c.reply('250-Listing\r\n type=file;size=1234;modify=20260102030405;unix.mode=0640; /docs/report final.pdf\r\n250 End'), true);
        if (line.startsWith('MLST')) return (c.reply('550 No such file'), true);
        return false;
      },
    });
    cleanup.push(() => srv.close());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.list('/docs')).toEqual([
      { name: 'report final.pdf', type: 'file', size: 1234, mtime: Date.UTC(2026, 0, 2, 3, 4, 5), mode: 0o640, owner: '7' },
      { name: 'archive', type: 'dir', size: 0, mtime: Date.UTC(2025, 11, 31, 23, 59, 59), mode: 0o755 },
    ]);
    expect(await fs.stat('/docs/report final.pdf')).toEqual({ name: 'report final.pdf', type: 'file', size: 1234, mtime: Date.UTC(2026, 0, 2, 3, 4, 5), mode: 0o640 });
    expect(await fs.stat('/docs/none').catch((e: { code: string }) => e.code)).toBe('no-such-file');
    expect(srv.allCommands()).toContain('MLSD');
    expect(srv.allCommands().some((l) => l.startsWith('OPTS MLST'))).toBe(true);
  });
});

describe('stat without MLST', () => {
  it('falls back to SIZE, then CWD, for entries the parent listing does not show', async () => {
    const listener = await startDataListener((socket) => socket.end('-rw-r--r--    1 ftp ftp 5 Jan 01  2024 shown.txt\r\n'));
    cleanup.push(() => listener.close());
    const srv = await startScriptedServer({
      onCommand: (c, line) => {
        if (line === 'EPSV') return (c.reply(`229 Entering Extended Passive Mode (|||${listener.port}|)`), true);
        if (line.startsWith('LIST')) {
          c.reply('150 listing');
          setTimeout(() => c.reply('226 done'), 50);
          return true;
        }
        if (line === 'SIZE /.hidden') return (c.reply('213 42'), true);
        if (line.startsWith('SIZE')) return (c.reply('550 not a plain file'), true);
        if (line === 'CWD /secret-dir' || line === 'CWD /') return (c.reply('250 ok'), true);
        if (line.startsWith('CWD')) return (c.reply('550 no such directory'), true);
        return false;
      },
    });
    cleanup.push(() => srv.close());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true });
    await fs.connect();
    cleanup.push(() => fs.close());
    expect(await fs.stat('/shown.txt')).toMatchObject({ name: 'shown.txt', type: 'file', size: 5 });
    expect(await fs.stat('/.hidden')).toEqual({ name: '.hidden', type: 'file', size: 42, mtime: null, mode: null });
    expect(await fs.stat('/secret-dir')).toMatchObject({ name: 'secret-dir', type: 'dir' });
    expect(await fs.stat('/nothing').catch((e: { code: string }) => e.code)).toBe('no-such-file');
  });
});

describe('login deadline', () => {
  it('a server that never answers PASS fails within the login deadline, naming the phase', async () => {
    const srv = await startScriptedServer({ onCommand: (_c, line) => line.startsWith('PASS') });
    cleanup.push(() => srv.close());
    const { fs } = makeFs({ protocol: 'ftp', port: srv.port, stateDir: stateDir(), prompter: recordingPrompter({}), allowPlain: true, timeouts: { loginMs: 800 } });
    const started = Date.now();
    const err = (await fs.connect().then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; message: string };
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toMatch(/login/);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
