import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../shared/ipc/error-messages';
import type { SiteProfile } from '../../shared/model/site';
import { App } from '../../renderer/App';
import { useQueueStore } from '../../renderer/stores/queue-store';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const staging: SiteProfile = {
  id: 'site-1',
  name: 'Staging',
  folder: '',
  protocol: 'ftpes',
  host: 'staging.example',
  port: 21,
  user: 'deploy',
  auth: 'password',
  passive: true,
  charset: 'utf8',
  transferLimit: 4,
  hasSecret: true,
  allowPlain: false,
};

// What the window says around connecting: a failed login in plain words (the library's raw text
// stays in the log), a question before a new connection replaces the current one, and a
// quickconnect bar that shows the server actually connected.
describe('connecting', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    let n = 0;
    fake.answer('sessionConnect', () => ({ sessionId: `s${++n}`, home: '/srv' }));
    fake.answer('sitesConnect', () => ({ sessionId: 'site-session', home: '/srv' }));
    fake.answer('sessionList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('sessionClose', () => null);
  });
  afterEach(cleanup);

  const field = (label: string): HTMLInputElement => within(screen.getByRole('form', { name: 'Quickconnect' })).getByLabelText(label);

  async function quickconnect(host: string, user = 'alice'): Promise<void> {
    fireEvent.change(field('Host'), { target: { value: host } });
    fireEvent.change(field('User'), { target: { value: user } });
    fireEvent.change(field('Password'), { target: { value: 'pw' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
  }

  it('shows a refused login as the error code\'s sentence, not ssh2\'s raw text', async () => {
    fake.fn('sessionConnect').mockResolvedValue({
      ok: false,
      error: { code: 'auth-failed', message: '127.0.0.1:2222 refused the login', detail: 'All configured authentication methods failed' },
    });
    render(<App />);
    await quickconnect('127.0.0.1');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(USER_MESSAGES['auth-failed']);
    expect(alert.textContent).toContain('127.0.0.1:2222 refused the login.');
    expect(alert.textContent).not.toContain('All configured authentication methods failed');
  });

  it('asks before quickconnect replaces a connected session; Cancel keeps it', async () => {
    render(<App />);
    await quickconnect('one.example');
    await waitFor(() => expect(useSessionStore.getState().status).toBe('connected'));
    await quickconnect('two.example', 'bob');
    const ask = screen.getByRole('dialog', { name: 'Break the current connection?' });
    expect(ask.textContent).toContain('Connecting to sftp://bob@two.example:22 closes the connection to sftp://alice@one.example:22.');
    expect(ask.textContent).not.toMatch(/transfer/);
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' })));
    expect(fake.fn('sessionConnect')).toHaveBeenCalledTimes(1);
    expect(fake.fn('sessionClose')).not.toHaveBeenCalled();
    expect(useSessionStore.getState()).toMatchObject({ status: 'connected', sessionId: 's1' });
    // Declined: what the user typed stays in the bar, password included.
    expect(field('Host').value).toBe('two.example');
    expect(field('Password').value).toBe('pw');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    await act(async () => fireEvent.click(within(screen.getByRole('dialog', { name: 'Break the current connection?' })).getByRole('button', { name: 'Disconnect and connect' })));
    expect(fake.fn('sessionClose')).toHaveBeenCalledWith({ sessionId: 's1' });
    expect(fake.fn('sessionConnect')).toHaveBeenLastCalledWith({ target: { protocol: 'sftp', host: 'two.example', port: 22, user: 'bob', auth: 'password' }, password: 'pw' });
    await waitFor(() => expect(useSessionStore.getState().sessionId).toBe('s2'));
  });

  it('names the transfers still under way when it asks', async () => {
    render(<App />);
    await quickconnect('one.example');
    await waitFor(() => expect(useSessionStore.getState().status).toBe('connected'));
    act(() => useQueueStore.getState().apply({ items: [], removed: [], paused: false, totals: { bytes: 0, transferred: 0, rate: 0, eta: null, queued: 3, active: 2, failed: 0, done: 0 } }));
    await quickconnect('two.example');
    const ask = screen.getByRole('dialog', { name: 'Break the current connection?' });
    expect(ask.className).toContain('dialog-danger');
    expect(ask.textContent).toContain('5 transfers are still running or waiting');
  });

  it('asks before a saved site from the Sites drop-down replaces the session, and the bar then shows that site', async () => {
    fake.answer('sitesList', () => [staging]);
    fake.answer('sitesFolders', () => []);
    render(<App />);
    await quickconnect('old.example', 'olduser');
    await waitFor(() => expect(useSessionStore.getState().status).toBe('connected'));
    fireEvent.change(field('Port'), { target: { value: '2222' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect to a saved site' })));
    await act(async () => fireEvent.click(await screen.findByRole('menuitem', { name: 'Staging' })));
    const ask = screen.getByRole('dialog', { name: 'Break the current connection?' });
    expect(ask.textContent).toContain('Connecting to the site “Staging” closes the connection to sftp://olduser@old.example:22.');
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Disconnect and connect' })));
    expect(fake.fn('sitesConnect')).toHaveBeenCalledWith({ id: 'site-1' });
    await waitFor(() => expect(useSessionStore.getState().sessionId).toBe('site-session'));
    expect((within(screen.getByRole('form', { name: 'Quickconnect' })).getByLabelText('Protocol') as HTMLSelectElement).value).toBe('ftpes');
    expect(field('Host').value).toBe('staging.example');
    expect(field('Port').value).toBe('21');
    expect(field('User').value).toBe('deploy');
    expect(field('Password').value).toBe('');
  });

  it('connects without asking when nothing is connected', async () => {
    render(<App />);
    await quickconnect('one.example');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.fn('sessionConnect')).toHaveBeenCalledTimes(1);
  });
});
