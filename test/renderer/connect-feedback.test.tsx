import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../shared/ipc/error-messages';
import { App } from '../../renderer/App';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { resetQueueStore } from '../../renderer/stores/queue-store';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, type FakeFerry } from './fake-ferry';

// What the window says around connecting: a failed login in plain words (the library's raw text
// stays in the log).
describe('connecting', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetQueueStore();
    useLocalPane.getState().reset();
    useRemotePane.getState().reset();
    useSessionStore.setState({ status: 'idle', sessionId: null, target: null, home: null, site: null, error: null, closedReason: null });
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
});
