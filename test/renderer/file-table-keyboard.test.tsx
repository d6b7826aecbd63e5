import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { App } from '../../renderer/App';
import { useLocalPane } from '../../renderer/stores/panes';
import { useSettingsStore } from '../../renderer/stores/settings-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string, size: number): RemoteEntry => ({ name, type: 'file', size, mtime: 0, mode: 0o644 });
const d = (name: string): RemoteEntry => ({ name, type: 'dir', size: 0, mtime: 0, mode: 0o755 });

// The file table's header with the keyboard alone, as a FileZilla user tabs to it: the sort
// buttons are tab stops that sort on Enter and Space, and each resizable column has a focusable
// edge (a separator) that the arrow keys move; the edges share one Tab stop.
describe('file table header from the keyboard', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    useSettingsStore.setState({ settings: null, persisted: false });
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: req.path === '/home/u' ? [d('docs'), f('big.bin', 9000), f('a.txt', 10), f('mid.txt', 500)] : [] }));
  });
  afterEach(cleanup);

  const grid = (): HTMLElement => screen.getByRole('grid', { name: 'Local files' });
  const names = (): string[] => within(grid()).queryAllByRole('row').map((r) => r.getAttribute('data-name')).filter((n): n is string => n !== null);
  const header = (name: string): HTMLElement => within(grid()).getByRole('columnheader', { name });

  it('sorts on Enter and Space on a focused header, with the matching aria-sort, and the rows keep their keys', async () => {
    render(<App />);
    await waitFor(() => expect(names()).toEqual(['docs', 'a.txt', 'big.bin', 'mid.txt']));
    // Put the row cursor on the folder: a stray Enter reaching the rows would open it.
    fireEvent.mouseDown(within(grid()).getByText('docs'), { button: 0 });
    const size = within(header('Size')).getByRole('button');
    expect(size.tabIndex).toBe(0);
    expect(header('Size').getAttribute('aria-sort')).toBe('none');
    expect(header('Name').getAttribute('aria-sort')).toBe('ascending');
    size.focus();
    expect(document.activeElement).toBe(size);

    await act(async () => fireEvent.keyDown(size, { key: 'Enter' }));
    expect(header('Size').getAttribute('aria-sort')).toBe('ascending');
    expect(header('Name').getAttribute('aria-sort')).toBe('none');
    expect(names()).toEqual(['docs', 'a.txt', 'mid.txt', 'big.bin']);

    await act(async () => fireEvent.keyDown(size, { key: ' ' }));
    expect(header('Size').getAttribute('aria-sort')).toBe('descending');
    expect(names()).toEqual(['docs', 'big.bin', 'mid.txt', 'a.txt']);

    // Neither key went on to the rows: the folder was not opened, nothing was selected or filtered.
    await act(async () => fireEvent.keyDown(size, { key: 'm' }));
    expect(fake.fn('fsList')).not.toHaveBeenCalledWith({ path: '/home/u/docs' });
    expect(useLocalPane.getState().filter).toBe('');
    expect(useLocalPane.getState().path).toBe('/home/u');
    // The rows still answer the keys when the grid itself has focus.
    await act(async () => fireEvent.keyDown(grid(), { key: 'End' }));
    expect(useLocalPane.getState().cursor).toBe('a.txt');
  });

  it('resizes a column with the arrow keys on its focusable edge (one Tab stop for all edges) and restores it with Enter', async () => {
    render(<App />);
    await waitFor(() => expect(names()).toContain('a.txt'));
    const sizeEdge = within(header('Size')).getByRole('separator', { name: 'Resize the Size column' });
    const edge = within(header('Modified')).getByRole('separator', { name: 'Resize the Modified column' });
    // The edges share one Tab stop; Down and Up move between them, and the last one used keeps the stop.
    expect([sizeEdge.tabIndex, edge.tabIndex]).toEqual([0, -1]);
    sizeEdge.focus();
    await act(async () => fireEvent.keyDown(sizeEdge, { key: 'ArrowDown' }));
    expect(document.activeElement).toBe(edge);
    expect([sizeEdge.tabIndex, edge.tabIndex]).toEqual([-1, 0]);
    await act(async () => fireEvent.keyDown(edge, { key: 'ArrowDown' }));
    expect(document.activeElement).toBe(edge);
    expect(sizeEdge.getAttribute('aria-valuenow')).toBe('82');
    expect(edge.getAttribute('aria-orientation')).toBe('vertical');
    expect(edge.getAttribute('aria-valuenow')).toBe('132');
    const template = (): string => (header('Name').parentElement as HTMLElement).style.gridTemplateColumns;
    const rowTemplate = (): string => (within(grid()).getByText('a.txt').closest('[role="row"]') as HTMLElement).style.gridTemplateColumns;

    // The edge moves like the mouse would move it: left widens the column, right narrows it.
    await act(async () => fireEvent.keyDown(edge, { key: 'ArrowLeft' }));
    expect(edge.getAttribute('aria-valuenow')).toBe('140');
    await act(async () => fireEvent.keyDown(edge, { key: 'ArrowLeft', shiftKey: true }));
    expect(edge.getAttribute('aria-valuenow')).toBe('180');
    await act(async () => fireEvent.keyDown(edge, { key: 'ArrowRight' }));
    expect(edge.getAttribute('aria-valuenow')).toBe('172');
    expect(template()).toBe('minmax(80px, 1fr) 82px 172px');
    expect(rowTemplate()).toBe(template());
    // Kept as a setting, like a drag with the mouse.
    expect(useSettingsStore.getState().settings?.layout.paneColumns).toEqual({ local: { mtime: 172 } });
    // The arrows did not move the row cursor or go back in history.
    expect(useLocalPane.getState().path).toBe('/home/u');

    // Never narrower than the limit.
    for (let i = 0; i < 10; i++) await act(async () => fireEvent.keyDown(edge, { key: 'ArrowRight', shiftKey: true }));
    expect(edge.getAttribute('aria-valuenow')).toBe('48');

    await act(async () => fireEvent.keyDown(edge, { key: 'Enter' }));
    expect(edge.getAttribute('aria-valuenow')).toBe('132');
    expect(template()).toBe('minmax(80px, 1fr) 82px 132px');
    await act(async () => fireEvent.keyDown(edge, { key: 'ArrowUp' }));
    expect(document.activeElement).toBe(sizeEdge);
  });
});
