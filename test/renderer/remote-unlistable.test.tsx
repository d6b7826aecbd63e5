import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { App } from '../../renderer/App';
import { useRemotePane } from '../../renderer/stores/panes';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, ok, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string): RemoteEntry => ({ name, type: 'file', size: 10, mtime: 0, mode: 0o644 });
const denied = (path: string) => ({ ok: false, error: { code: 'permission-denied', message: `cannot list ${path}: permission denied` } });

// A server that lets the user in but lists neither the home folder it reports nor "/": the
// remote pane says so with the server's words and offers another path and Retry, instead of
// "Loading…" for ever.
describe('remote pane when no folder can be listed', () => {
  let fake: FakeFerry;
  let listable: Set<string>;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('sessionConnect', () => ({ sessionId: 's1', home: '/home/alice' }));
    listable = new Set();
    fake.fn('sessionList').mockImplementation(async (req: { path: string }) => (listable.has(req.path) ? ok({ path: req.path, entries: [f(`in-${req.path.split('/').pop()}.txt`)] }) : denied(req.path)));
  });
  afterEach(cleanup);

  const pane = (): HTMLElement => screen.getByTestId('remote-pane');
  const connect = async (): Promise<void> => {
    await act(async () => {
      await useSessionStore.getState().connect({ protocol: 'sftp', host: 'h', port: 22, user: 'alice' }, 'pw');
    });
  };

  it('shows the server\'s refusal with a path to type and Retry, never an endless "Loading…"', async () => {
    render(<App />);
    await connect();
    const alert = await within(pane()).findByRole('alert');
    // The start folder's refusal is the one shown (the root was tried as well).
    expect(alert.textContent).toBe('Cannot list /home/alice: permission denied');
    expect(fake.fn('sessionList').mock.calls.map((c) => (c[0] as { path: string }).path)).toEqual(['/home/alice', '/']);
    expect(within(pane()).queryByText('Loading…')).toBeNull();
    expect(within(pane()).getByText('Could not open a remote folder')).toBeTruthy();
    // Shown once, in the pane's body, not again in the error bar above the table.
    expect(within(pane()).getAllByText(/permission denied/)).toHaveLength(1);

    // Another path, typed into the field (the row keys of the table do not swallow the typing).
    const field = within(pane()).getByLabelText('Remote folder to open') as HTMLInputElement;
    expect(field.value).toBe('/home/alice');
    fireEvent.keyDown(field, { key: 'x' });
    expect(useRemotePane.getState().filter).toBe('');
    fireEvent.change(field, { target: { value: '/srv/public' } });
    await act(async () => fireEvent.click(within(pane()).getByRole('button', { name: 'Open' })));
    await waitFor(() => expect(within(pane()).getByRole('alert').textContent).toBe('Cannot list /srv/public: permission denied'));
    expect((within(pane()).getByLabelText('Remote folder to open') as HTMLInputElement).value).toBe('/srv/public');

    // The server fixed its permissions: Retry opens the home folder.
    listable.add('/home/alice');
    await act(async () => fireEvent.click(within(pane()).getByRole('button', { name: 'Retry' })));
    await waitFor(() => expect(within(pane()).getByText('in-alice.txt')).toBeTruthy());
    expect(useRemotePane.getState().path).toBe('/home/alice');
    expect(within(pane()).queryByRole('alert')).toBeNull();
  });

  it('falls back to the root when only the home folder is refused, keeping that refusal in view', async () => {
    listable.add('/');
    render(<App />);
    await connect();
    await waitFor(() => expect(within(pane()).getByText('in-.txt')).toBeTruthy());
    expect(useRemotePane.getState().path).toBe('/');
    expect(within(pane()).getByRole('alert').textContent).toContain('Cannot list /home/alice: permission denied');
  });
});
