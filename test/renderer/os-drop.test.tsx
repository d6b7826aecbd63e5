import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../shared/model/transfer';
import { App } from '../../renderer/App';
import { setFerryApiForTests } from '../../renderer/ferry-api';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { useNoticeStore } from '../../renderer/stores/notice-store';
import { useSessionStore } from '../../renderer/stores/session-store';
import { giveElementsSize, installFakeFerry, type FakeFerry } from './fake-ferry';

function dropFiles(target: HTMLElement, files: File[], dirs: boolean[] = []): void {
  const dataTransfer = {
    types: ['Files'],
    files,
    items: files.map((_, i) => ({ webkitGetAsEntry: () => ({ isDirectory: dirs[i] ?? false }) })),
    getData: () => '',
    dropEffect: 'none',
  };
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}

// Files dragged from the OS file manager onto the remote pane: uploaded with the paths the
// preload's pathForFile gives (Electron), or a clear message where there is none (browser).
describe('dropping OS files on the remote pane', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(async () => {
    fake = installFakeFerry();
    useLocalPane.getState().reset();
    useRemotePane.getState().reset();
    useNoticeStore.setState({ notices: [] });
    fake.answer('fsHome', () => '/h');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('sessionConnect', () => ({ sessionId: 's9', home: '/up' }));
    fake.answer('sessionList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('queueAdd', () => ({ jobIds: ['j'] }));
    useSessionStore.setState({ status: 'idle', sessionId: null, target: null, site: null });
  });
  afterEach(cleanup);

  async function connected(): Promise<HTMLElement> {
    render(<App />);
    await act(async () => {
      await useSessionStore.getState().connect({ protocol: 'sftp', host: 'h', port: 22, user: 'u' }, 'pw');
    });
    await waitFor(() => expect(useRemotePane.getState().path).toBe('/up'));
    return screen.getByTestId('remote-pane');
  }

  it('uploads files and folders by their OS paths in Electron', async () => {
    setFerryApiForTests({ ...fake.api, pathForFile: (f: File) => `/os/${f.name}` });
    const pane = await connected();
    await act(async () => dropFiles(pane, [new File(['a'], 'a.txt'), new File([], 'photos')], [false, true]));
    const { requests } = fake.fn('queueAdd').mock.calls[0]![0] as { requests: TransferRequest[] };
    expect(requests.map((r) => [r.direction, r.localPath, r.remotePath, r.recursive, r.sessionId])).toEqual([
      ['upload', '/os/a.txt', '/up/a.txt', false, 's9'],
      ['upload', '/os/photos', '/up/photos', true, 's9'],
    ]);
  });

  it('explains instead of failing when the page has no path helper', async () => {
    const pane = await connected();
    await act(async () => dropFiles(pane, [new File(['a'], 'a.txt')]));
    expect(fake.fn('queueAdd')).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/desktop app/);
  });
});
