import { describe, expect, it } from 'vitest';
import { human, renderProgress, summarize } from '../../main/cli/commands/transfer-report';
import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { download } from './helpers';

const item = (over: Partial<TransferItemView>): TransferItemView => ({
  id: 'i', jobId: 'j', direction: 'download', localPath: '/l/x', remotePath: '/r/x', size: 10, transferred: 10, state: 'done', rate: 0, eta: null, attempts: 1, ...over,
});

describe('CLI transfer report', () => {
  it('draws a bar with percent, files, bytes, rate and ETA', () => {
    const line = renderProgress({ bytes: 4 * 1024 * 1024, transferred: 1024 * 1024, rate: 512 * 1024, eta: 6, queued: 3, active: 1, failed: 0, done: 1 }, 20);
    expect(line).toBe('[#####               ]  25%  1/5 files  1.0 MiB  512.0 KiB/s  ETA 0:06');
    expect(renderProgress({ bytes: 0, transferred: 0, rate: 0, eta: null, queued: 0, active: 0, failed: 0, done: 0 }, 4)).toContain('ETA --:--');
  });

  it('formats sizes in binary units', () => {
    expect([human(0), human(1023), human(1024), human(5 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.0 KiB', '5.0 GiB']);
  });

  it('summarizes counts, bytes and every file that did not transfer', () => {
    const snap: QueueUpdate = {
      items: [
        item({ id: 'a' }),
        item({ id: 'b', remotePath: '/r/b', state: 'failed', error: { code: 'permission-denied', message: 'permission denied' } }),
        item({ id: 'c', remotePath: '/r/c', state: 'skipped', error: { code: 'unsafe-path', message: 'refused' } }),
      ],
      removed: [],
      totals: { bytes: 30, transferred: 10, rate: 0, eta: null, queued: 0, active: 0, failed: 1, done: 1 },
      paused: false,
    };
    const s = summarize(snap, download('/r', '/l'), 2000);
    expect(s).toMatchObject({ ok: false, source: '/r', destination: '/l', files: { total: 3, done: 1, failed: 1, skipped: 1, cancelled: 0 }, bytes: 10, seconds: 2, bytesPerSecond: 5 });
    expect(s.failures).toEqual([{ path: '/r/b', code: 'permission-denied', message: 'permission denied' }]);
    expect(s.skipped).toEqual([{ path: '/r/c', reason: 'refused' }]);
  });
});
