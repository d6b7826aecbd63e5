import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { App } from '../../renderer/App';
import { useLocalPane } from '../../renderer/stores/panes';
import { useSettingsStore } from '../../renderer/stores/settings-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string): RemoteEntry => ({ name, type: 'file', size: 100, mtime: 0, mode: 0o644 });

// Keyboard focus in the file table: the context menu gives it back, the rows are striped by their
// index however far the table scrolled.
describe('file table focus and rows', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    useSettingsStore.setState({ settings: null, persisted: false });
    fake.answer('fsHome', () => '/home/u');
    const many = Array.from({ length: 300 }, (_, i) => f(`file-${String(i).padStart(3, '0')}.txt`));
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: req.path === '/home/u' ? many : [] }));
  });
  afterEach(cleanup);

  const grid = (): HTMLElement => screen.getByRole('grid', { name: 'Local files' });
  const loaded = (): Promise<void> => waitFor(() => expect(within(grid()).getByText('file-000.txt')).toBeTruthy());

  it('Escape in the keyboard-opened context menu puts focus back on the file table', async () => {
    render(<App />);
    await loaded();
    grid().focus();
    fireEvent.keyDown(grid(), { key: 'Home' });
    fireEvent.keyDown(grid(), { key: 'F10', shiftKey: true });
    const menu = screen.getByRole('menu');
    expect(menu.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(grid());
    // The keys go on working on the rows.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(useLocalPane.getState().cursor).toBe('file-001.txt');
  });

  it('Escape in a menu opened with the mouse, and an item that opens a dialog, end on the file table too', async () => {
    render(<App />);
    await loaded();
    // The right button's press does not move focus here (jsdom), so nothing but the menu knows the table.
    expect(document.activeElement).toBe(document.body);
    const openOn = (name: string): void => {
      fireEvent.mouseDown(within(grid()).getByText(name), { button: 2 });
      fireEvent.contextMenu(within(grid()).getByText(name));
    };
    openOn('file-002.txt');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(document.activeElement).toBe(grid());

    openOn('file-002.txt');
    fireEvent.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: /Rename/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename' });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' })));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(grid());
  });

  it('stripes rows by their index, not by their place among the rows in the DOM', async () => {
    render(<App />);
    await loaded();
    const body = grid().querySelector<HTMLElement>('.file-table-body')!;
    const check = (): number => {
      const rows = within(grid()).getAllByRole('row').filter((r) => r.hasAttribute('data-name'));
      for (const r of rows) {
        const index = Number(r.getAttribute('aria-rowindex')) - 2;
        expect([r.getAttribute('data-name'), r.classList.contains('alt')]).toEqual([r.getAttribute('data-name'), index % 2 === 1]);
      }
      return Number(rows[0]!.getAttribute('aria-rowindex')) - 2;
    };
    expect(check()).toBe(0);
    // Scrolled so the first row in the DOM has an odd index (and then an even one).
    for (const top of [22 * 101, 22 * 150]) {
      await act(async () => {
        body.scrollTop = top;
        fireEvent.scroll(body);
      });
      await waitFor(() => expect(check()).toBeGreaterThan(0));
    }
  });
});
