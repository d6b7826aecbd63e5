import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLocal } from '../../../main/protocols/local-fs';

describe('local listing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-local-list-'));
    await writeFile(join(dir, 'a.txt'), 'hello');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, '.hidden'), '');
    await symlink('a.txt', join(dir, 'link'));
    await symlink('/nowhere/at/all', join(dir, 'dangling'));
    await chmod(join(dir, 'a.txt'), 0o640);
    await Promise.all(Array.from({ length: 1500 }, (_, i) => writeFile(join(dir, `n-${i}`), 'x'.repeat(i % 7))));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('gives type, size, mode and mtime of every entry, links as links with their target', async () => {
    const { path, entries } = await listLocal(dir);
    expect(path).toBe(dir);
    expect(entries).toHaveLength(1505);
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(by.get('a.txt')).toMatchObject({ type: 'file', size: 5, mode: 0o640 });
    expect(by.get('a.txt')!.mtime).toBeGreaterThan(Date.now() - 600_000);
    expect(by.get('sub')).toMatchObject({ type: 'dir', size: 0 });
    expect(by.get('link')).toMatchObject({ type: 'symlink', linkTarget: 'a.txt' });
    expect(by.get('dangling')).toMatchObject({ type: 'symlink', linkTarget: '/nowhere/at/all' });
    for (let i = 0; i < 1500; i++) expect(by.get(`n-${i}`)?.size, `n-${i}`).toBe(i % 7);
  });

  it('hides dot files on request, and works with a trailing separator', async () => {
    const { entries } = await listLocal(`${dir}/`, { showHidden: false });
    expect(entries.some((e) => e.name === '.hidden')).toBe(false);
    expect(entries.find((e) => e.name === 'a.txt')).toMatchObject({ size: 5 });
  });

  it('refuses relative paths and reports a missing folder', async () => {
    await expect(listLocal('relative/dir')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(listLocal(join(dir, 'missing'))).rejects.toMatchObject({ code: 'no-such-file' });
  });

  it('lists an empty folder', async () => {
    await mkdir(join(dir, 'sub', 'empty'));
    expect((await listLocal(join(dir, 'sub', 'empty'))).entries).toEqual([]);
  });
});
