import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notices } from '../../renderer/features/Notices';
import { renameEntry } from '../../renderer/features/dual-pane/pane-actions';
import { UiDialogHost } from '../../renderer/features/prompts/UiDialogHost';
import { failureText } from '../../renderer/lib/result';
import { useNoticeStore } from '../../renderer/stores/notice-store';
import { useRemotePane } from '../../renderer/stores/panes';
import { useSessionStore } from '../../renderer/stores/session-store';
import { installFakeFerry, type FakeFerry } from './fake-ferry';

// A failed file action is reported once: "Could not rename "x": <reason>", not the action
// followed by main's own "cannot rename /path/x: <reason>".
describe('failed file actions', () => {
  let fake: FakeFerry;
  beforeEach(() => {
    fake = installFakeFerry();
    useNoticeStore.setState({ notices: [] });
    useSessionStore.setState({ status: 'connected', sessionId: 's1', target: { protocol: 'sftp', host: 'h', port: 22 }, error: null });
    useRemotePane.setState({ path: '/srv' });
  });
  afterEach(cleanup);

  it('shows a rename failure once, with its reason', async () => {
    fake.fn('sessionRename').mockResolvedValue({ ok: false, error: { code: 'permission-denied', message: 'cannot rename /srv/report.csv: permission denied' } });
    render(
      <>
        <UiDialogHost />
        <Notices />
      </>,
    );
    let done: Promise<void> = Promise.resolve();
    act(() => {
      done = renameEntry('remote', 'report.csv');
    });
    const dialog = screen.getByRole('dialog', { name: 'Rename' });
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: 'report-2026.csv' } });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
      await done;
    });
    expect(fake.fn('sessionRename')).toHaveBeenCalledWith({ sessionId: 's1', from: '/srv/report.csv', to: '/srv/report-2026.csv' });
    const alerts = screen.getAllByRole('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.textContent).toBe('Could not rename "report.csv": permission denied');
  });

  it('keeps a reason that does not repeat the action (an FTP reply, another verb)', () => {
    expect(failureText('Could not rename "a"', 'RNFR /srv/a: the server answered 550 No such file')).toBe('Could not rename "a": RNFR /srv/a: the server answered 550 No such file');
    expect(failureText('Could not delete', 'cannot list /srv/d: permission denied')).toBe('Could not delete: cannot list /srv/d: permission denied');
    expect(failureText('Could not create the folder', 'cannot create /srv/new: it already exists')).toBe('Could not create the folder: it already exists');
  });
});
