import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/model/log-line';
import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { BottomPanel } from '../../renderer/features/BottomPanel';
import { useLogStore } from '../../renderer/stores/log-store';
import { resetQueueStore, useQueueStore } from '../../renderer/stores/queue-store';
import { giveElementsSize, installFakeFerry, type FakeFerry } from './fake-ferry';

const item = (id: string, state: TransferItemView['state'], extra: Partial<TransferItemView> = {}): TransferItemView => ({
  id,
  jobId: 'j1',
  direction: 'download',
  localPath: `/home/u/${id}`,
  remotePath: `/srv/${id}`,
  size: 1024 * 1024,
  transferred: 512 * 1024,
  state,
  rate: 256 * 1024,
  eta: 2,
  attempts: 1,
  ...extra,
});
const update = (items: TransferItemView[]): QueueUpdate => ({
  items,
  removed: [],
  totals: { bytes: 3 * 1024 * 1024, transferred: 1024 * 1024, rate: 256 * 1024, eta: 8, queued: 1, active: 1, failed: 1, done: 0 },
  paused: false,
});

// The bottom panel: queue tabs driven by main's queue:update events, their actions, and the log.
describe('queue and log panels', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    for (const m of ['queuePause', 'queueResume', 'queueCancel', 'queueRetry', 'queueClearDone'] as const) fake.answer(m, () => null);
    resetQueueStore();
    useLogStore.getState().clear();
  });
  afterEach(cleanup);

  it('shows items per tab with counts, progress, rate, ETA and the error reason', async () => {
    render(<BottomPanel />);
    act(() =>
      useQueueStore.getState().apply(
        update([
          item('a.bin', 'active'),
          item('b.bin', 'queued', { transferred: 0, rate: 0, eta: null }),
          item('c.bin', 'failed', { error: { code: 'permission-denied', message: 'Permission denied on /srv/c.bin' }, attempts: 3 }),
        ]),
      ),
    );
    expect(screen.getByRole('tab', { name: /Queued/ }).textContent).toBe('Queued2');
    expect(screen.getByRole('tab', { name: /Failed/ }).textContent).toBe('Failed1');
    const list = screen.getByRole('listbox', { name: 'queued items' });
    const rows = within(list).getAllByRole('option');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('/srv/a.bin');
    expect(rows[0]!.textContent).toContain('512 KiB / 1.0 MiB');
    expect(rows[0]!.textContent).toContain('256 KiB/s');
    expect(rows[0]!.textContent).toContain('0:02');
    expect(within(rows[0]!).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByTestId('queue-summary').textContent).toContain('1.0 MiB of 3.0 MiB');

    fireEvent.click(rows[1]!);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /^Pause$/ })));
    expect(fake.fn('queuePause')).toHaveBeenCalledWith({ ids: ['b.bin'] });

    fireEvent.click(screen.getByRole('tab', { name: /Failed/ }));
    const failed = within(screen.getByRole('listbox', { name: 'failed items' })).getByRole('option');
    expect(failed.textContent).toContain('Permission denied on /srv/c.bin');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Retry all failed' })));
    expect(fake.fn('queueRetry')).toHaveBeenCalledWith({});
  });

  it('says what an active item waits for instead of "Transferring", without rate or ETA', () => {
    render(<BottomPanel />);
    act(() =>
      useQueueStore.getState().apply(
        update([item('q.bin', 'active', { waiting: 'answer', rate: 0, eta: null }), item('r.bin', 'active', { waiting: 'connection', transferred: 0 }), item('s.bin', 'active')]),
      ),
    );
    const rows = within(screen.getByRole('listbox', { name: 'queued items' })).getAllByRole('option');
    expect(rows.map((r) => r.querySelector('.state-pill')!.textContent)).toEqual(['Waiting for your answer', 'Connecting', 'Transferring']);
    expect(rows[1]!.textContent).not.toContain('256 KiB/s');
    expect(rows[2]!.textContent).toContain('256 KiB/s');
  });

  it('follows deltas: a finished item moves to Done, which can be cleared', async () => {
    render(<BottomPanel />);
    act(() => useQueueStore.getState().apply(update([item('a.bin', 'active')])));
    act(() => useQueueStore.getState().apply(update([item('a.bin', 'done', { transferred: 1024 * 1024, verification: 'size verified' })])));
    fireEvent.click(screen.getByRole('tab', { name: /Done/ }));
    expect(screen.getByText('size verified')).toBeTruthy();
    fireEvent.click(screen.getByText('/srv/a.bin'));
    fake.answer('fsOpen', () => ({ action: 'open' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Open downloaded file' })));
    expect(fake.fn('fsOpen')).toHaveBeenCalledWith({ path: '/home/u/a.bin' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Clear finished' })));
    expect(fake.fn('queueClearDone')).toHaveBeenCalledWith({});
  });

  it('shows log lines from main, filtered by level and source', () => {
    render(<BottomPanel />);
    fireEvent.click(screen.getByRole('tab', { name: /Log/ }));
    const lines: LogLine[] = [
      { seq: 1, time: Date.UTC(2026, 0, 1), level: 'command', source: 'ftp bob@h:21', text: 'USER bob' },
      { seq: 2, time: Date.UTC(2026, 0, 1), level: 'reply', source: 'ftp bob@h:21', text: '331 Password required' },
      { seq: 3, time: Date.UTC(2026, 0, 1), level: 'error', source: 'sftp a@x:22', text: 'Connection refused' },
    ];
    act(() => useLogStore.getState().append(lines));
    const log = screen.getByRole('log', { name: 'Log lines' });
    expect(log.querySelectorAll('.log-line')).toHaveLength(3);
    expect(log.querySelector('.log-line.level-error')?.textContent).toContain('Connection refused');
    fireEvent.click(screen.getByRole('button', { name: 'error' }));
    expect(log.querySelectorAll('.log-line')).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('Log source'), { target: { value: 'ftp bob@h:21' } });
    fireEvent.change(screen.getByLabelText('Find in log'), { target: { value: '331' } });
    expect([...log.querySelectorAll('.log-text')].map((e) => e.textContent)).toEqual(['331 Password required']);
    expect(screen.getByText('1 of 3 lines')).toBeTruthy();
  });

  it('moves a waiting item to the front and shows main\'s new order', async () => {
    const a = item('a.bin', 'queued', { jobId: 'j1' });
    const b = item('b.bin', 'queued', { jobId: 'j2' });
    fake.answer('queueReorder', () => null);
    fake.answer('queueSnapshot', () => update([b, a]));
    render(<BottomPanel />);
    act(() => useQueueStore.getState().apply(update([a, b])));
    const list = screen.getByRole('listbox', { name: 'queued items' });
    fireEvent.click(within(list).getAllByRole('option')[1]!);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Transfer next' })));
    expect(fake.fn('queueReorder').mock.calls.map((c) => c[0])).toEqual([
      { id: 'j2', toIndex: 0 },
      { id: 'b.bin', toIndex: 0 },
    ]);
    expect(useQueueStore.getState().items.map((i) => i.id)).toEqual(['b.bin', 'a.bin']);
  });
});
