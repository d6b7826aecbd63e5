import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../shared/ipc/contract';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { App } from '../../renderer/App';
import { useSettingsStore } from '../../renderer/stores/settings-store';
import { giveElementsSize, installFakeFerry, resetWindowStores, type FakeFerry } from './fake-ferry';

const f = (name: string): RemoteEntry => ({ name, type: 'file', size: 10, mtime: 0, mode: 0o644 });

// Each pane keeps its own column widths: resizing a column in one pane leaves the other pane's
// table as it was, and what is saved to main says which pane it belongs to.
describe('column widths per pane', () => {
  let fake: FakeFerry;
  let saved: AppSettings;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    resetWindowStores();
    useSettingsStore.setState({ settings: null, persisted: false });
    // Saved by an earlier version: one set of widths for both panes.
    saved = { theme: 'system', parallel: 4, timeoutSec: 30, logLevel: 'info', onExists: 'ask', layout: { paneSplit: 0.5, queueHeight: 240, columns: { size: 100 } } };
    fake.answer('settingsGet', () => saved);
    fake.answer('settingsSet', (req: { settings: Partial<AppSettings> }) => {
      saved = { ...saved, ...req.settings };
      return saved;
    });
    fake.answer('fsHome', () => '/home/u');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [f('a.txt')] }));
  });
  afterEach(cleanup);

  const template = (side: 'Local' | 'Remote'): string =>
    (within(screen.getByRole('grid', { name: `${side} files` })).getByRole('columnheader', { name: 'Name' }).parentElement as HTMLElement).style.gridTemplateColumns;
  const edge = (side: 'Local' | 'Remote', column: string): HTMLElement =>
    within(screen.getByRole('grid', { name: `${side} files` })).getByRole('separator', { name: `Resize the ${column} column` });

  it('resizes a column in one pane only, and saves the widths under that pane', async () => {
    render(<App />);
    await waitFor(() => expect(useSettingsStore.getState().persisted).toBe(true));
    // The shared widths of an earlier version still apply to both panes.
    expect(template('Local')).toBe('minmax(80px, 1fr) 100px 132px');
    expect(template('Remote')).toBe('minmax(80px, 1fr) 100px 132px 100px 80px');

    await act(async () => fireEvent.keyDown(edge('Local', 'Modified'), { key: 'ArrowLeft', shiftKey: true }));
    expect(template('Local')).toBe('minmax(80px, 1fr) 100px 172px');
    expect(template('Remote')).toBe('minmax(80px, 1fr) 100px 132px 100px 80px');

    await act(async () => fireEvent.keyDown(edge('Remote', 'Size'), { key: 'ArrowRight' }));
    expect(template('Remote')).toBe('minmax(80px, 1fr) 92px 132px 100px 80px');
    expect(template('Local')).toBe('minmax(80px, 1fr) 100px 172px');

    await waitFor(() => expect(fake.fn('settingsSet')).toHaveBeenCalled(), { timeout: 2_000 });
    expect(saved.layout).toEqual({
      paneSplit: 0.5,
      queueHeight: 240,
      columns: { size: 100 },
      paneColumns: { local: { size: 100, mtime: 172 }, remote: { size: 92 } },
    });

    // After a restart each pane gets its own widths back.
    cleanup();
    useSettingsStore.setState({ settings: null, persisted: false });
    render(<App />);
    await waitFor(() => expect(template('Local')).toBe('minmax(80px, 1fr) 100px 172px'));
    expect(template('Remote')).toBe('minmax(80px, 1fr) 92px 132px 100px 80px');
  });
});
