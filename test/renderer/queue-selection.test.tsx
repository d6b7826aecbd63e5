import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { BottomPanel } from '../../renderer/features/BottomPanel';
import { clickSelect, NO_SELECTION, selectAll } from '../../renderer/features/transfer-queue/queue-selection';
import { resetQueueStore, useQueueStore } from '../../renderer/stores/queue-store';
import { giveElementsSize, installFakeFerry, ok, type FakeFerry } from './fake-ferry';

const item = (id: string, state: TransferItemView['state'], extra: Partial<TransferItemView> = {}): TransferItemView => ({
  id,
  jobId: 'j1',
  direction: 'download',
  localPath: `/home/u/${id}`,
  remotePath: `/srv/${id}`,
  size: 1000,
  transferred: 0,
  state,
  rate: 0,
  eta: null,
  attempts: 1,
  ...extra,
});
const update = (items: TransferItemView[], paused = false): QueueUpdate => ({
  items,
  removed: [],
  totals: { bytes: 0, transferred: 0, rate: 0, eta: null, queued: 1, active: 1, failed: 0, done: 0 },
  paused,
});

const rowsOf = (tab: string): HTMLElement[] => within(screen.getByRole('listbox', { name: `${tab} items` })).getAllByRole('option');
const selectedIds = (tab: string): string[] => rowsOf(tab).filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => r.textContent!.match(/\/srv\/(\w+)/)![1]!);
const button = (name: RegExp | string): HTMLButtonElement => within(screen.getByRole('toolbar', { name: 'Queue actions' })).getByRole('button', { name }) as HTMLButtonElement;

describe('queue selection rules', () => {
  const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  it('click selects one, Ctrl toggles, Shift takes the range from the anchor, Ctrl+Shift adds it', () => {
    let s = clickSelect(NO_SELECTION, rows, 1, { toggle: false, range: false });
    expect([...s.ids]).toEqual(['b']);
    s = clickSelect(s, rows, 3, { toggle: false, range: true });
    expect([...s.ids].sort()).toEqual(['b', 'c', 'd']);
    s = clickSelect(s, rows, 0, { toggle: false, range: true });
    expect([...s.ids].sort()).toEqual(['a', 'b']);
    s = clickSelect(s, rows, 4, { toggle: true, range: false });
    expect([...s.ids].sort()).toEqual(['a', 'b', 'e']);
    s = clickSelect(s, rows, 1, { toggle: true, range: false });
    expect([...s.ids].sort()).toEqual(['a', 'e']);
    s = clickSelect(s, rows, 2, { toggle: true, range: true });
    expect([...s.ids].sort()).toEqual(['a', 'b', 'c', 'e']);
    expect([...selectAll(rows).ids]).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('queue multi-select, remove and stop feedback', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    for (const m of ['queuePause', 'queueResume', 'queueCancel', 'queueRetry', 'queueRemove', 'queueClearDone', 'queueClearFailed'] as const) fake.answer(m, () => null);
    resetQueueStore();
  });
  afterEach(cleanup);

  it('selects with click, Ctrl+click, Shift+click and Ctrl+A; Delete removes the selection', async () => {
    render(<BottomPanel />);
    act(() => useQueueStore.getState().apply(update(['a', 'b', 'c', 'd'].map((id) => item(id, 'queued')))));
    const rows = rowsOf('queued');
    fireEvent.click(rows[0]!);
    fireEvent.click(rows[2]!, { ctrlKey: true });
    expect(selectedIds('queued')).toEqual(['a', 'c']);
    fireEvent.click(rows[3]!, { shiftKey: true });
    expect(selectedIds('queued')).toEqual(['c', 'd']);
    fireEvent.click(rows[1]!, { metaKey: true });
    expect(selectedIds('queued')).toEqual(['b', 'c', 'd']);
    expect(screen.getByText('3 selected')).toBeTruthy();
    const list = screen.getByRole('listbox', { name: 'queued items' });
    await act(async () => fireEvent.keyDown(list, { key: 'Delete' }));
    expect(fake.fn('queueRemove')).toHaveBeenCalledWith({ ids: ['b', 'c', 'd'] });

    fireEvent.keyDown(list, { key: 'a', ctrlKey: true });
    expect(selectedIds('queued')).toEqual(['a', 'b', 'c', 'd']);
    await act(async () => fireEvent.click(button('Cancel')));
    expect(fake.fn('queueCancel')).toHaveBeenCalledWith({ ids: ['a', 'b', 'c', 'd'] });
    fireEvent.keyDown(list, { key: 'Escape' });
    expect(selectedIds('queued')).toEqual([]);
    expect(button('Cancel all')).toBeTruthy();
  });

  it('acts on the selection from the context menu; a right-click outside it selects that row', async () => {
    render(<BottomPanel />);
    act(() =>
      useQueueStore.getState().apply(
        update([item('a', 'failed', { error: { code: 'permission-denied', message: 'denied' } }), item('b', 'failed'), item('c', 'cancelled'), item('d', 'done')]),
      ),
    );
    fireEvent.click(screen.getByRole('tab', { name: /Failed/ }));
    const rows = rowsOf('failed');
    fireEvent.click(rows[0]!);
    fireEvent.click(rows[1]!, { shiftKey: true });
    fireEvent.contextMenu(rows[1]!);
    let menu = screen.getByRole('menu');
    await act(async () => fireEvent.click(within(menu).getByRole('menuitem', { name: 'Retry' })));
    expect(fake.fn('queueRetry')).toHaveBeenCalledWith({ ids: ['a', 'b'] });

    fireEvent.contextMenu(rows[2]!);
    expect(selectedIds('failed')).toEqual(['c']);
    menu = screen.getByRole('menu');
    await act(async () => fireEvent.click(within(menu).getByRole('menuitem', { name: /Remove/ })));
    expect(fake.fn('queueRemove')).toHaveBeenCalledWith({ ids: ['c'] });

    await act(async () => fireEvent.click(button('Clear failed')));
    expect(fake.fn('queueClearFailed')).toHaveBeenCalledWith({});
    fireEvent.click(screen.getByRole('tab', { name: /Done/ }));
    await act(async () => fireEvent.click(button('Clear finished')));
    expect(fake.fn('queueClearDone')).toHaveBeenCalledWith({});
  });

  it('shows Pausing… until main confirms, and the button cannot be pressed twice', async () => {
    let answer!: () => void;
    fake.fn('queuePause').mockImplementation(() => new Promise((r) => (answer = () => r(ok(null)))));
    render(<BottomPanel />);
    act(() => useQueueStore.getState().apply(update([item('a', 'active', { transferred: 300 }), item('b', 'queued')])));
    fireEvent.click(rowsOf('queued')[0]!);
    fireEvent.click(button('Pause'));
    expect(button('Pausing…').disabled).toBe(true);
    fireEvent.click(button('Pausing…'));
    expect(fake.fn('queuePause')).toHaveBeenCalledTimes(1);
    expect(fake.fn('queuePause')).toHaveBeenCalledWith({ ids: ['a'] });
    const pill = (): string => rowsOf('queued')[0]!.querySelector('.state-pill')!.textContent!;
    expect(pill()).toBe('Pausing…');

    // Main reports the item as being paused, then answers: still Pausing… until it is paused.
    act(() => useQueueStore.getState().apply(update([item('a', 'active', { transferred: 300, stopping: 'pausing' })])));
    await act(async () => answer());
    expect(pill()).toBe('Pausing…');
    expect(button('Pausing…').disabled).toBe(true);
    act(() => useQueueStore.getState().apply(update([item('a', 'paused', { transferred: 300 })])));
    expect(pill()).toBe('Paused');
    expect(button('Pause').disabled).toBe(true);
    expect(button('Resume').disabled).toBe(false);
  });

  it('shows Cancelling… on every item a Cancel all stops, and Cancel all waits', async () => {
    let answer!: () => void;
    fake.fn('queueCancel').mockImplementation(() => new Promise((r) => (answer = () => r(ok(null)))));
    render(<BottomPanel />);
    act(() => useQueueStore.getState().apply(update([item('a', 'active'), item('b', 'queued'), item('c', 'paused')])));
    fireEvent.click(button('Cancel all'));
    expect(fake.fn('queueCancel')).toHaveBeenCalledWith({});
    expect(rowsOf('queued').map((r) => r.querySelector('.state-pill')!.textContent)).toEqual(['Cancelling…', 'Cancelling…', 'Cancelling…']);
    expect(button('Cancelling…').disabled).toBe(true);
    act(() => useQueueStore.getState().apply(update([item('a', 'active', { stopping: 'cancelling' }), item('b', 'cancelled'), item('c', 'cancelled')])));
    await act(async () => answer());
    expect(rowsOf('queued').map((r) => r.querySelector('.state-pill')!.textContent)).toEqual(['Cancelling…']);
    expect(button('Cancelling…').disabled).toBe(true);
  });
});
