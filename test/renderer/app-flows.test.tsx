import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import type { TransferRequest } from '../../shared/model/transfer';
import { App } from '../../renderer/App';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string, size = 100): RemoteEntry => ({ name, type: 'file', size, mtime: 0, mode: 0o644 });
const d = (name: string): RemoteEntry => ({ name, type: 'dir', size: 0, mtime: 0, mode: 0o755 });

// The whole window against a fake API: what the user does becomes the right contract calls,
// and what main answers is what the panes show.
describe('app flows', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: req.path === '/home/u' ? [d('docs'), f('a.txt'), f('b.txt', 5000)] : [] }));
    fake.answer('sessionConnect', () => ({ sessionId: 's1', home: '/srv' }));
    fake.answer('sessionList', (req: { path: string }) => ({ path: req.path, entries: [f('remote.bin', 2048)] }));
    fake.answer('queueAdd', () => ({ jobIds: ['j1'] }));
    fake.answer('fsDelete', () => null);
  });
  afterEach(cleanup);

  const localGrid = (): HTMLElement => screen.getByRole('grid', { name: 'Local files' });

  it('lists the home folder and connects through quickconnect without keeping the password', async () => {
    render(<App />);
    await waitFor(() => expect(within(localGrid()).getByText('a.txt')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'sftp.example' } });
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    expect(fake.fn('sessionConnect')).toHaveBeenCalledWith({
      target: { protocol: 'sftp', host: 'sftp.example', port: 22, user: 'alice', auth: 'password' },
      password: 'pw',
    });
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    const remote = await screen.findByRole('grid', { name: 'Remote files' });
    await waitFor(() => expect(within(remote).getByText('remote.bin')).toBeTruthy());
    expect(fake.fn('sessionList')).toHaveBeenCalledWith({ sessionId: 's1', path: '/srv' });
  });

  it('uploads the selection with Enter into the remote folder', async () => {
    render(<App />);
    await act(async () => {
      await useSessionStore.getState().connect({ protocol: 'ftp', host: 'h', port: 21, user: 'bob' }, 'x');
    });
    await waitFor(() => expect(useRemotePane.getState().path).toBe('/srv'));
    const grid = localGrid();
    fireEvent.mouseDown(within(grid).getByText('a.txt'), { button: 0 });
    fireEvent.mouseDown(within(grid).getByText('b.txt'), { button: 0, shiftKey: true });
    await act(async () => fireEvent.keyDown(grid, { key: 'Enter' }));
    // One call, so main treats the selection as one batch ("apply to all" covers every file).
    expect(fake.fn('queueAdd')).toHaveBeenCalledTimes(1);
    const { requests } = fake.fn('queueAdd').mock.calls[0]![0] as { requests: TransferRequest[] };
    expect(requests.map((r) => [r.direction, r.localPath, r.remotePath, r.sessionId, r.recursive])).toEqual([
      ['upload', '/home/u/a.txt', '/srv/a.txt', 's1', false],
      ['upload', '/home/u/b.txt', '/srv/b.txt', 's1', false],
    ]);
    expect(screen.getByTestId('local-status').textContent).toContain('2 selected');
  });

  it('deletes only after confirmation', async () => {
    render(<App />);
    await waitFor(() => expect(within(localGrid()).getByText('a.txt')).toBeTruthy());
    fireEvent.mouseDown(within(localGrid()).getByText('a.txt'), { button: 0 });
    fireEvent.keyDown(localGrid(), { key: 'Delete' });
    const dialog = await screen.findByRole('dialog', { name: 'Delete local files' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.fn('fsDelete')).not.toHaveBeenCalled();
    fireEvent.keyDown(localGrid(), { key: 'Delete' });
    await act(async () => fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' })));
    expect(fake.fn('fsDelete')).toHaveBeenCalledWith({ paths: ['/home/u/a.txt'] });
  });

  it('shows main\'s error when a connection fails, and the session closing', async () => {
    fake.fn('sessionConnect').mockResolvedValueOnce({ ok: false, error: { code: 'auth-failed', message: 'The server rejected the user name or password.' } });
    render(<App />);
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'ftp://bob@ftp.example:2121' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    expect(fake.fn('sessionConnect').mock.calls[0]![0]).toEqual({ target: { protocol: 'ftp', host: 'ftp.example', port: 2121, user: 'bob' } });
    expect(screen.getByRole('alert').textContent).toContain('rejected the user name or password');
    await act(async () => {
      await useSessionStore.getState().connect({ protocol: 'sftp', host: 'h', port: 22 });
    });
    act(() => fake.emit('session:closed', { sessionId: 's1', reason: 'Connection lost.' }));
    expect(await screen.findByText('Connection lost.')).toBeTruthy();
    expect(useRemotePane.getState().path).toBe('');
  });

  it('navigates with the keyboard: arrows, shift-extend, type to filter, Escape, Enter into a folder', async () => {
    render(<App />);
    await waitFor(() => expect(within(localGrid()).getByText('a.txt')).toBeTruthy());
    const grid = localGrid();
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown', shiftKey: true });
    expect([...useLocalPane.getState().selected]).toEqual(['docs', 'a.txt']);
    fireEvent.keyDown(grid, { key: 'b' });
    expect((screen.getByLabelText('Filter local files') as HTMLInputElement).value).toBe('b');
    expect(within(grid).queryByText('a.txt')).toBeNull();
    fireEvent.keyDown(grid, { key: 'Escape' });
    expect(within(grid).getByText('a.txt')).toBeTruthy();
    fireEvent.keyDown(grid, { key: 'Home' });
    await act(async () => fireEvent.keyDown(grid, { key: 'Enter' }));
    expect(fake.fn('fsList')).toHaveBeenLastCalledWith({ path: '/home/u/docs', showHidden: true });
    await waitFor(() => expect(useLocalPane.getState().path).toBe('/home/u/docs'));
    await act(async () => fireEvent.keyDown(grid, { key: 'Backspace' }));
    await waitFor(() => expect(useLocalPane.getState().path).toBe('/home/u'));
  });

  it('opens the context menu from the keyboard (Shift+F10) and runs an item', async () => {
    render(<App />);
    await waitFor(() => expect(within(localGrid()).getByText('a.txt')).toBeTruthy());
    fireEvent.keyDown(localGrid(), { key: 'End' });
    fireEvent.keyDown(localGrid(), { key: 'F10', shiftKey: true });
    const menu = screen.getByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: /Rename/ })).toBeTruthy();
    fireEvent.click(within(menu).getByRole('menuitem', { name: /Delete/ }));
    expect(await screen.findByRole('dialog', { name: 'Delete local files' })).toBeTruthy();
    expect(screen.getByRole('dialog').textContent).toContain('"b.txt"');
  });

  it('closes a connection that completes after the user pressed Disconnect', async () => {
    let finish!: (v: unknown) => void;
    fake.fn('sessionConnect').mockImplementationOnce(() => new Promise((r) => (finish = r)));
    fake.answer('sessionClose', () => null);
    render(<App />);
    let pending!: Promise<boolean>;
    act(() => {
      pending = useSessionStore.getState().connect({ protocol: 'sftp', host: 'slow', port: 22 });
    });
    expect(useSessionStore.getState().status).toBe('connecting');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Disconnect' })));
    expect(useSessionStore.getState().status).toBe('idle');
    await act(async () => {
      finish({ ok: true, value: { sessionId: 'late', home: '/' } });
      expect(await pending).toBe(false);
    });
    expect(useSessionStore.getState().sessionId).toBeNull();
    expect(fake.fn('sessionClose')).toHaveBeenCalledWith({ sessionId: 'late' });
  });

  it('keeps a multi-selection on press (for dragging) and collapses it on a plain click', async () => {
    render(<App />);
    await waitFor(() => expect(within(localGrid()).getByText('a.txt')).toBeTruthy());
    const a = within(localGrid()).getByText('a.txt');
    fireEvent.mouseDown(a, { button: 0 });
    fireEvent.mouseDown(within(localGrid()).getByText('b.txt'), { button: 0, ctrlKey: true });
    fireEvent.click(within(localGrid()).getByText('b.txt'), { ctrlKey: true });
    fireEvent.mouseDown(a, { button: 0 });
    expect([...useLocalPane.getState().selected].sort()).toEqual(['a.txt', 'b.txt']);
    fireEvent.click(a);
    expect([...useLocalPane.getState().selected]).toEqual(['a.txt']);
  });
});
