import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import type { TransferRequest } from '../../shared/model/transfer';
import { App } from '../../renderer/App';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string): RemoteEntry => ({ name, type: 'file', size: 100, mtime: 0, mode: 0o644 });

// Type-to-filter narrows what the pane shows; the keys that act on the selection must then act
// on what is shown, never on a row the filter hid.
describe('type-to-filter and the selection', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: req.path === '/home/u' ? [f('notes.txt'), f('report.pdf'), f('todo.txt')] : [] }));
    fake.answer('fsDelete', () => null);
    fake.answer('sessionConnect', () => ({ sessionId: 's1', home: '/srv' }));
    fake.answer('sessionList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('queueAdd', () => ({ jobIds: ['j1'] }));
  });
  afterEach(cleanup);

  const grid = (): HTMLElement => screen.getByRole('grid', { name: 'Local files' });

  async function selectAllThenFilter(text: string, hidden: string): Promise<void> {
    await waitFor(() => expect(within(grid()).getByText('todo.txt')).toBeTruthy());
    fireEvent.keyDown(grid(), { key: 'a', ctrlKey: true });
    expect(useLocalPane.getState().selected.size).toBe(3);
    for (const key of text) fireEvent.keyDown(grid(), { key });
    expect(within(grid()).queryByText(hidden)).toBeNull();
  }

  it('Delete after filtering asks about and deletes only the rows still shown', async () => {
    render(<App />);
    await selectAllThenFilter('.txt', 'report.pdf');
    expect(screen.getByTestId('local-status').textContent).toContain('2 selected');
    fireEvent.keyDown(grid(), { key: 'Delete' });
    const dialog = await screen.findByRole('dialog', { name: 'Delete local files' });
    expect(dialog.textContent).toContain('2 items');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' })));
    expect(fake.fn('fsDelete')).toHaveBeenCalledWith({ paths: ['/home/u/notes.txt', '/home/u/todo.txt'] });
  });

  it('Enter after filtering uploads only the rows still shown', async () => {
    render(<App />);
    await act(async () => {
      await useSessionStore.getState().connect({ protocol: 'sftp', host: 'h', port: 22, user: 'u' }, 'x');
    });
    await waitFor(() => expect(useRemotePane.getState().path).toBe('/srv'));
    await selectAllThenFilter('rep', 'todo.txt');
    fireEvent.keyDown(grid(), { key: 'ArrowDown', ctrlKey: true });
    await act(async () => fireEvent.keyDown(grid(), { key: 'Enter' }));
    const { requests } = fake.fn('queueAdd').mock.calls[0]![0] as { requests: TransferRequest[] };
    expect(requests.map((r) => r.localPath)).toEqual(['/home/u/report.pdf']);
  });
});
