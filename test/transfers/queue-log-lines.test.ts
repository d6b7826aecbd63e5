import { describe, expect, it } from 'vitest';
import type { ItemRecord } from '../../main/transfers/queue-records';
import { transferDoneLine } from '../../main/transfers/queue-support';

const item = (over: Partial<ItemRecord>): ItemRecord => ({
  id: 'i',
  jobId: 'j',
  direction: 'download',
  rel: '',
  localPath: '/home/u/a.iso',
  remotePath: '/srv/a.iso',
  size: 10 * 1024 * 1024,
  mtime: null,
  mode: null,
  state: 'done',
  attempts: 1,
  transferred: 0,
  ...over,
});

describe('transfer log lines', () => {
  it('says what moved where, how much, how fast, from where it resumed and how it was checked', () => {
    expect(transferDoneLine(item({}), 0, 2000, 'sha256 verified')).toBe('downloaded /srv/a.iso to /home/u/a.iso: 10.0 MiB in 2.0 s, 5.0 MiB/s, sha256 verified');
    expect(transferDoneLine(item({ direction: 'upload' }), 4 * 1024 * 1024, 1000, undefined)).toBe(
      'uploaded /home/u/a.iso to /srv/a.iso: 6.0 MiB in 1.0 s, 6.0 MiB/s (resumed at 4.0 MiB)',
    );
    expect(transferDoneLine(item({ size: 0 }), 0, 0, 'size verified')).toBe('downloaded /srv/a.iso to /home/u/a.iso: 0 B in 0.0 s, size verified');
  });
});
