import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState, type JSX } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { SiteForm } from '../../renderer/features/site-manager/SiteForm';
import { emptyDraft, type SiteDraft } from '../../renderer/features/site-manager/site-form';
import { installFakeFerry, type FakeFerry } from './fake-ferry';

const file = (name: string, type: RemoteEntry['type'] = 'file'): RemoteEntry => ({ name, type, size: 0, mtime: null, mode: null });

/** The form with its draft held the way the site manager holds it; `changes` records each patch. */
function Harness({ initial, changes }: { initial: SiteDraft; changes: (patch: Partial<SiteDraft>) => void }): JSX.Element {
  const [draft, setDraft] = useState(initial);
  return (
    <SiteForm
      draft={draft}
      folders={[]}
      onChange={(patch) => {
        changes(patch);
        setDraft((d) => ({ ...d, ...patch }));
      }}
    />
  );
}

// The site form's key file picker (through fs:home / fs:list, as in the sandboxed page and the
// browser bridge) and FTP encryption modes named as FileZilla names them.
describe('site form', () => {
  let fake: FakeFerry;
  let folders: Record<string, RemoteEntry[]>;
  beforeEach(() => {
    fake = installFakeFerry();
    folders = {
      '/home/alice': [file('.ssh', 'dir'), file('keys', 'dir'), file('notes.txt')],
      '/home/alice/.ssh': [file('known_hosts'), file('id_ed25519.pub'), file('id_ed25519'), file('old', 'dir')],
      '/home/alice/keys': [file('deploy.pem')],
    };
    fake.answer('fsHome', () => '/home/alice');
    fake.fn('fsList').mockImplementation(async (req: { path: string }) =>
      folders[req.path] ? { ok: true, value: { path: req.path, entries: folders[req.path] } } : { ok: false, error: { code: 'no-such-file', message: `no such folder ${req.path}` } },
    );
  });
  afterEach(cleanup);

  const keyDraft = (keyFile = ''): SiteDraft => ({ ...emptyDraft(), host: 'h', user: 'u', auth: 'key', keyFile });

  it('chooses a private key in ~/.ssh, refusing the public half', async () => {
    const changes = vi.fn();
    render(<Harness initial={keyDraft()} changes={changes} />);
    fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose a private key file' });
    await waitFor(() => expect(within(dialog).getByLabelText('Folder shown').textContent).toBe('/home/alice/.ssh'));
    expect(fake.fn('fsList')).toHaveBeenCalledWith({ path: '/home/alice/.ssh', showHidden: true });
    const names = within(dialog).getAllByRole('button').map((b) => b.textContent?.trim()).filter((t) => t && /^(old|id_|known)/.test(t));
    expect(names).toEqual(['old', 'id_ed25519', 'id_ed25519.pub public key', 'known_hosts']);
    fireEvent.click(within(dialog).getByRole('button', { name: /id_ed25519\.pub/ }));
    expect((within(dialog).getByRole('button', { name: 'Choose' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(dialog).getByText(/choose the file without “\.pub”/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /^id_ed25519$/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose' }));
    expect(changes).toHaveBeenLastCalledWith({ keyFile: '/home/alice/.ssh/id_ed25519' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((screen.getByLabelText('Private key file') as HTMLInputElement).value).toBe('/home/alice/.ssh/id_ed25519');
  });

  it('starts in the home folder without ~/.ssh, opens folders and goes up', async () => {
    delete folders['/home/alice/.ssh'];
    const changes = vi.fn();
    render(<Harness initial={keyDraft()} changes={changes} />);
    fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose a private key file' });
    await waitFor(() => expect(within(dialog).getByLabelText('Folder shown').textContent).toBe('/home/alice'));
    await act(async () => fireEvent.doubleClick(within(dialog).getByRole('button', { name: /keys/ })));
    await waitFor(() => expect(within(dialog).getByLabelText('Folder shown').textContent).toBe('/home/alice/keys'));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Parent folder' })));
    await waitFor(() => expect(within(dialog).getByLabelText('Folder shown').textContent).toBe('/home/alice'));
    await act(async () => fireEvent.doubleClick(within(dialog).getByRole('button', { name: /keys/ })));
    await act(async () => fireEvent.doubleClick(await within(dialog).findByRole('button', { name: /deploy\.pem/ })));
    expect(changes).toHaveBeenLastCalledWith({ keyFile: '/home/alice/keys/deploy.pem' });
  });

  it('opens the folder of the key already entered', async () => {
    render(<Harness initial={keyDraft('~/keys/deploy.pem')} changes={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose a private key file' });
    await waitFor(() => expect(within(dialog).getByLabelText('Folder shown').textContent).toBe('/home/alice/keys'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('names the FTP encryption modes as FileZilla does, and offers no plain-only mode', () => {
    const changes = vi.fn();
    render(<Harness initial={{ ...emptyDraft(), protocol: 'ftpes' }} changes={changes} />);
    const protocol = screen.getByLabelText('Protocol') as HTMLSelectElement;
    expect(protocol.value).toBe('ftp');
    expect([...protocol.options].map((o) => o.text)).toEqual(['SFTP – SSH File Transfer Protocol', 'FTP – File Transfer Protocol']);
    const encryption = screen.getByLabelText('Encryption') as HTMLSelectElement;
    expect(encryption.value).toBe('ftpes');
    expect([...encryption.options].map((o) => `${o.value}: ${o.text}`)).toEqual([
      'ftpes: Require explicit FTP over TLS',
      'ftps: Require implicit FTP over TLS',
      'ftp: Use explicit FTP over TLS if available',
    ]);
    fireEvent.change(encryption, { target: { value: 'ftps' } });
    expect(changes).toHaveBeenLastCalledWith({ protocol: 'ftps' });
    expect((screen.getByLabelText('Port') as HTMLInputElement).placeholder).toBe('990');
    fireEvent.change(protocol, { target: { value: 'sftp' } });
    expect(changes).toHaveBeenLastCalledWith({ protocol: 'sftp' });
    expect(screen.queryByLabelText('Encryption')).toBeNull();
    fireEvent.change(screen.getByLabelText('Protocol'), { target: { value: 'ftp' } });
    expect(changes).toHaveBeenLastCalledWith({ protocol: 'ftp' });
    expect((screen.getByLabelText('Encryption') as HTMLSelectElement).value).toBe('ftp');
  });
});
