import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { usePromptStore } from '../../renderer/stores/prompt-store';
import { resetQueueStore } from '../../renderer/stores/queue-store';
import { giveElementsSize, installFakeFerry, type FakeFerry } from './fake-ferry';

// A window that (re)loads while main waits for an answer shows that question again, instead of
// leaving main blocked on a dialog nobody can see.
describe('questions open in main when the window loads', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetQueueStore();
    usePromptStore.setState({ pending: [] });
    useLocalPane.getState().reset();
    useRemotePane.getState().reset();
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('promptAnswer', () => null);
  });
  afterEach(cleanup);

  it('asks for them at start and shows them; the answer goes to main under the same id', async () => {
    fake.answer('promptPending', () => [{ id: 'open-1', request: { kind: 'plain-ftp', host: 'ftp.example', port: 21, reason: 'AUTH TLS refused' } }]);
    await act(async () => void render(<App />));
    const dialog = await screen.findByRole('dialog', { name: 'Continue without encryption?' });
    expect(dialog.textContent).toContain('ftp.example');
    expect(fake.fn('promptPending')).toHaveBeenCalledWith({});
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(fake.fn('promptAnswer')).toHaveBeenCalledWith({ id: 'open-1', answer: 'cancel' });
  });

  it('shows a question once even if its event also arrives', async () => {
    fake.answer('promptPending', () => [{ id: 'open-2', request: { kind: 'secret', purpose: 'password', subject: 'bob@h' } }]);
    await act(async () => void render(<App />));
    act(() => fake.emit('prompt:request', { id: 'open-2', request: { kind: 'secret', purpose: 'password', subject: 'bob@h' } }));
    expect(usePromptStore.getState().pending).toHaveLength(1);
  });
});
