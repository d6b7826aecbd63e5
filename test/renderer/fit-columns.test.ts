import { describe, expect, it } from 'vitest';
import { fitColumns, NAME_MIN_FIT, type FileColumn } from '../../renderer/components/FileTable';

const col = (key: FileColumn['key'], width: string): FileColumn => ({ key, title: key, width, render: () => '' });
const columns = [col('name', 'minmax(80px, 1fr)'), col('size', '82px'), col('mtime', '132px'), col('mode', '100px'), col('owner', '80px')];
const keys = (width: number, widths: Record<string, number> = {}, keep?: string): string[] => fitColumns(columns, widths, width, keep).map((c) => c.key);

// Which columns a table of a given width shows: the right-hand ones make way so Name keeps room.
describe('fitColumns', () => {
  it('shows every column when they fit, and all of them before the table is measured', () => {
    expect(keys(NAME_MIN_FIT + 12 + 82 + 132 + 100 + 80)).toEqual(['name', 'size', 'mtime', 'mode', 'owner']);
    expect(keys(0)).toEqual(['name', 'size', 'mtime', 'mode', 'owner']);
  });

  it('leaves out columns from the right end as the table narrows, never Name', () => {
    expect(keys(NAME_MIN_FIT + 12 + 82 + 132 + 100 + 80 - 1)).toEqual(['name', 'size', 'mtime', 'mode']);
    expect(keys(400)).toEqual(['name', 'size', 'mtime']);
    expect(keys(300)).toEqual(['name', 'size']);
    expect(keys(100)).toEqual(['name']);
  });

  it('counts a resized column at the width the user gave it', () => {
    expect(keys(400, { mtime: 300 })).toEqual(['name', 'size']);
    expect(keys(400, { size: 50, mtime: 60 })).toEqual(['name', 'size', 'mtime', 'mode']);
  });

  it('keeps the column being resized, leaving out others to its right or left instead', () => {
    expect(keys(400, {}, 'owner')).toEqual(['name', 'size', 'owner']);
    expect(keys(400, { mode: 200 }, 'mode')).toEqual(['name', 'mode']);
  });
});
