import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const shell = vi.hoisted(() => ({ opened: [] as string[], revealed: [] as string[], failWith: '' }));
vi.mock('electron', () => ({
  shell: {
    openPath: async (p: string) => (shell.opened.push(p), shell.failWith),
    showItemInFolder: (p: string) => void shell.revealed.push(p),
  },
}));

const { openActionFor, openLocalPath } = await import('../../main/electron/open-local');

describe('openActionFor', () => {
  const file = { isDirectory: false, mode: 0o644 };
  it('opens documents and folders', () => {
    for (const p of ['/d/report.pdf', '/d/photo.JPG', '/d/notes.txt', '/d/archive.tar.gz', '/d/noext']) expect(openActionFor(p, file, 'linux'), p).toBe('open');
    expect(openActionFor('/d/folder.exe', { isDirectory: true, mode: 0o755 }, 'linux')).toBe('open');
  });

  it('only reveals files that could run code, whatever the case of the extension', () => {
    for (const p of ['C:\\d\\setup.EXE', '/d/run.sh', '/d/App.desktop', '/d/x.AppImage', '/d/a.ps1', '/d/a.lnk', '/d/a.jar', '/d/a.command', '/d/a.hta']) {
      expect(openActionFor(p, file, 'win32'), p).toBe('reveal');
    }
  });

  it('only reveals executable files on Unix, not on Windows (no mode bits there)', () => {
    expect(openActionFor('/d/tool', { isDirectory: false, mode: 0o755 }, 'linux')).toBe('reveal');
    expect(openActionFor('/d/tool', { isDirectory: false, mode: 0o100 }, 'darwin')).toBe('reveal');
    expect(openActionFor('C:\\d\\tool', { isDirectory: false, mode: 0o755 }, 'win32')).toBe('open');
  });
});

describe('openLocalPath', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-open-'));
    await writeFile(join(dir, 'doc.txt'), 'x');
    await writeFile(join(dir, 'script'), '#!/bin/sh\n');
    await chmod(join(dir, 'script'), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    shell.opened.length = 0;
    shell.revealed.length = 0;
    shell.failWith = '';
  });

  it('opens a document and reveals an executable', async () => {
    expect(await openLocalPath(join(dir, 'doc.txt'))).toBe('open');
    expect(shell.opened).toEqual([join(dir, 'doc.txt')]);
    if (process.platform !== 'win32') {
      expect(await openLocalPath(join(dir, 'script'))).toBe('reveal');
      expect(shell.revealed).toEqual([join(dir, 'script')]);
    }
  });

  it('refuses relative, missing and NUL paths, and reports what the OS could not open', async () => {
    await expect(openLocalPath('doc.txt')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(openLocalPath(`${dir}/doc.txt\0.exe`)).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(openLocalPath(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'no-such-file' });
    shell.failWith = 'No application is associated';
    await expect(openLocalPath(join(dir, 'doc.txt'))).rejects.toMatchObject({ code: 'not-supported' });
    expect(shell.revealed).toEqual([]);
  });
});
