import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { SiteManager } from '../../renderer/features/site-manager/SiteManager';
import { SitesButton } from '../../renderer/features/quickconnect/SitesButton';
import { toSiteInput, emptyDraft } from '../../renderer/features/site-manager/site-form';
import { UiDialogHost } from '../../renderer/features/prompts/UiDialogHost';
import { useSessionStore } from '../../renderer/stores/session-store';
import { useSitesStore } from '../../renderer/stores/sites-store';
import { installFakeFerry, type FakeFerry } from './fake-ferry';
import { setFerryApiForTests } from '../../renderer/ferry-api';

const site = (over: Partial<SiteProfile>): SiteProfile => ({
  id: 's1',
  name: 'Prod',
  folder: 'Work/Clients',
  protocol: 'sftp',
  host: 'prod.example',
  port: 22,
  user: 'deploy',
  auth: 'password',
  passive: true,
  charset: 'utf8',
  transferLimit: 4,
  hasSecret: true,
  allowPlain: false,
  ...over,
});

// The site manager against a fake API: it shows main's profiles in folders, saves edits (a
// typed password goes to main once), deletes after confirmation, connects and imports FileZilla.
describe('site manager', () => {
  let fake: FakeFerry;
  let stored: SiteProfile[];
  let folders: string[];
  beforeEach(() => {
    fake = installFakeFerry();
    stored = [site({}), site({ id: 's2', name: 'Mirror', folder: '', protocol: 'ftps', port: 990, hasSecret: false })];
    folders = ['Work/Clients'];
    useSitesStore.setState({ sites: [], error: null });
    useSessionStore.setState({ status: 'idle', sessionId: null, target: null, site: null, error: null });
    fake.answer('sitesList', () => stored);
    fake.answer('sitesFolders', () => folders);
    fake.answer('sitesSave', (req: { site: SiteInput }) => {
      const saved = site({ ...req.site, id: req.site.id ?? 'new', hasSecret: req.site.secret !== undefined && req.site.secret !== '' });
      stored = [...stored.filter((s) => s.id !== saved.id), saved];
      return saved;
    });
    fake.answer('sitesDelete', (req: { id: string }) => {
      stored = stored.filter((s) => s.id !== req.id);
      return null;
    });
    fake.answer('sitesConnect', () => ({ sessionId: 'sess', home: '/' }));
    fake.answer('sitesImportFilezilla', () => ({ imported: 2, skipped: 1 }));
  });
  afterEach(cleanup);

  function renderManager(onClose = vi.fn()): { onClose: () => void } {
    render(
      <>
        <SiteManager onClose={onClose} />
        <UiDialogHost />
      </>,
    );
    return { onClose };
  }

  it('lists sites in folders and saves an edit with the new password, never showing the stored one', async () => {
    renderManager();
    const tree = await screen.findByRole('list', { name: 'Saved sites' });
    await waitFor(() => expect(within(tree).getByText('Prod')).toBeTruthy());
    expect(within(tree).getByText('Work')).toBeTruthy();
    expect(within(tree).getByText('Clients')).toBeTruthy();
    fireEvent.click(within(tree).getByText('Prod'));
    const password = screen.getByPlaceholderText('stored (leave empty to keep)') as HTMLInputElement;
    expect(password.value).toBe('');
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'prod2.example' } });
    fireEvent.change(password, { target: { value: 'n3w' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const sent = (fake.fn('sitesSave').mock.calls[0]![0] as { site: SiteInput }).site;
    expect(sent).toMatchObject({ id: 's1', host: 'prod2.example', secret: 'n3w', folder: 'Work/Clients', port: 22 });
    expect((screen.getByPlaceholderText('stored (leave empty to keep)') as HTMLInputElement).value).toBe('');
  });

  it('shows FTP fields for FTP sites and deletes after confirmation', async () => {
    renderManager();
    fireEvent.click(await screen.findByText('Mirror'));
    expect(screen.getByText('Data connection')).toBeTruthy();
    expect(screen.getByText('Charset')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete site' });
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' })));
    expect(fake.fn('sitesDelete')).toHaveBeenCalledWith({ id: 's2' });
    await waitFor(() => expect(screen.queryByText('Mirror')).toBeNull());
  });

  it('duplicates through main, which copies the stored password, and selects the copy', async () => {
    fake.answer('sitesDuplicate', (req: { id: string }) => {
      const copy = site({ ...stored.find((s) => s.id === req.id), id: 'copy', name: 'Prod (copy)' });
      stored = [...stored, copy];
      return copy;
    });
    renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Duplicate' })));
    expect(fake.fn('sitesDuplicate')).toHaveBeenCalledWith({ id: 's1' });
    expect(fake.fn('sitesSave')).not.toHaveBeenCalled();
    const tree = screen.getByRole('list', { name: 'Saved sites' });
    await waitFor(() => expect(within(tree).getByRole('button', { name: /Prod \(copy\)/, current: true })).toBeTruthy());
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Prod (copy)');
    expect(screen.getByPlaceholderText('stored (leave empty to keep)')).toBeTruthy();
  });

  it('renames the stored site and keeps the unsaved edits in the form', async () => {
    renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'edited.example' } });
    fireEvent.change(screen.getByPlaceholderText('stored (leave empty to keep)'), { target: { value: 'typed-pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename site' });
    fireEvent.change(within(dialog).getByLabelText('New name'), { target: { value: 'Production' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' })));
    // Only the name is saved: the host edit and the typed password are not, and stay in the form.
    const renamed = (fake.fn('sitesSave').mock.calls[0]![0] as { site: SiteInput }).site;
    expect(renamed).toMatchObject({ id: 's1', name: 'Production', host: 'prod.example' });
    expect('secret' in renamed).toBe(false);
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Saved sites' })).getByText('Production')).toBeTruthy());
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Production');
    expect((screen.getByLabelText('Host') as HTMLInputElement).value).toBe('edited.example');
    expect((screen.getByPlaceholderText('stored (leave empty to keep)') as HTMLInputElement).value).toBe('typed-pw');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect((fake.fn('sitesSave').mock.calls[1]![0] as { site: SiteInput }).site).toMatchObject({ id: 's1', name: 'Production', host: 'edited.example', secret: 'typed-pw' });
  });

  it('asks before another site replaces unsaved edits, and keeps them on cancel', async () => {
    renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'edited.example' } });
    fireEvent.click(screen.getByText('Mirror'));
    const ask = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    expect(ask.textContent).toMatch(/changes to "Prod" are not saved/);
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' })));
    expect((screen.getByLabelText('Host') as HTMLInputElement).value).toBe('edited.example');
    fireEvent.click(screen.getByText('Mirror'));
    await act(async () => fireEvent.click(within(await screen.findByRole('dialog', { name: 'Unsaved changes' })).getByRole('button', { name: 'Discard changes' })));
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Mirror'));
    expect(fake.fn('sitesSave')).not.toHaveBeenCalled();
  });

  it('connects the selected site through sites:connect and closes', async () => {
    const { onClose } = renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    expect(fake.fn('sitesConnect')).toHaveBeenCalledWith({ id: 's1' });
    expect(onClose).toHaveBeenCalled();
    expect(useSessionStore.getState().sessionId).toBe('sess');
  });

  it('asks before the site replaces a connected session; Cancel keeps both the session and the manager', async () => {
    useSessionStore.setState({ status: 'connected', sessionId: 'old', target: { protocol: 'ftp', host: 'old.example', port: 21, user: 'u' } });
    fake.answer('sessionClose', () => null);
    const { onClose } = renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    const ask = screen.getByRole('dialog', { name: 'Break the current connection?' });
    expect(ask.textContent).toContain('Connecting to the site “Prod” closes the connection to ftp://u@old.example:21.');
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' })));
    expect(fake.fn('sitesConnect')).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    expect(useSessionStore.getState().sessionId).toBe('old');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    await act(async () => fireEvent.click(within(screen.getByRole('dialog', { name: 'Break the current connection?' })).getByRole('button', { name: 'Disconnect and connect' })));
    expect(onClose).toHaveBeenCalled();
    expect(fake.fn('sessionClose')).toHaveBeenCalledWith({ sessionId: 'old' });
    expect(fake.fn('sitesConnect')).toHaveBeenCalledWith({ id: 's1' });
  });

  it('sends the text of a chosen sitemanager.xml to main', async () => {
    renderManager();
    const xml = '<FileZilla3><Servers><Server><Host>a</Host></Server></Servers></FileZilla3>';
    const file = new File([xml], 'sitemanager.xml', { type: 'text/xml' });
    await act(async () => fireEvent.change(screen.getByLabelText('FileZilla sitemanager.xml'), { target: { files: [file] } }));
    await waitFor(() => expect(fake.fn('sitesImportFilezilla')).toHaveBeenCalledWith({ xml }));
  });

  it('offers to clear the passwords from FileZilla\'s file when its path is known (Electron)', async () => {
    fake.answer('sitesImportFilezilla', () => ({ imported: 1, skipped: 0, passwords: 1 }));
    fake.answer('sitesClearFilezillaPasswords', () => ({ removed: 1 }));
    setFerryApiForTests({ ...fake.api, pathForFile: (f: File) => `/home/a/.config/filezilla/${f.name}` });
    renderManager();
    const file = new File(['<FileZilla3/>'], 'sitemanager.xml', { type: 'text/xml' });
    await act(async () => fireEvent.change(screen.getByLabelText('FileZilla sitemanager.xml'), { target: { files: [file] } }));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Remove passwords' })));
    await waitFor(() => expect(fake.fn('sitesClearFilezillaPasswords')).toHaveBeenCalledWith({ path: '/home/a/.config/filezilla/sitemanager.xml' }));
  });

  it('does not offer to clear passwords where the file path is unknown (browser)', async () => {
    fake.answer('sitesImportFilezilla', () => ({ imported: 1, skipped: 0, passwords: 1 }));
    renderManager();
    const file = new File(['<FileZilla3/>'], 'sitemanager.xml', { type: 'text/xml' });
    await act(async () => fireEvent.change(screen.getByLabelText('FileZilla sitemanager.xml'), { target: { files: [file] } }));
    await waitFor(() => expect(fake.fn('sitesImportFilezilla')).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Remove passwords' })).toBeNull();
  });

  it('imports a Ferry export, asking for the passphrase of a sealed one', async () => {
    fake.answer('sitesImport', () => ({ imported: 3 }));
    renderManager();
    const text = JSON.stringify({ format: 'ferry-sites', version: 1, sites: [], secrets: { entries: {} } });
    const file = new File([text], 'sites.json', { type: 'application/json' });
    await act(async () => fireEvent.change(screen.getByLabelText('Ferry site export'), { target: { files: [file] } }));
    const input = await screen.findByLabelText(/Passphrase of this export/);
    fireEvent.change(input, { target: { value: 'export passphrase' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Import' })));
    await waitFor(() => expect(fake.fn('sitesImport')).toHaveBeenCalledWith({ text, passphrase: 'export passphrase' }));
  });

  it('validates drafts before they reach main', () => {
    expect(toSiteInput({ ...emptyDraft(), host: '' })).toBe('Enter the host name.');
    expect(toSiteInput({ ...emptyDraft(), host: 'h', port: '70000' })).toMatch(/port/);
    expect(toSiteInput({ ...emptyDraft(), host: 'h', auth: 'key' })).toBe('Choose the private key file.');
    expect(toSiteInput({ ...emptyDraft(), host: 'h', protocol: 'ftps', folder: ' A / B/ ' })).toMatchObject({ port: 990, folder: 'A/B', auth: 'password' });
  });

  it('saves unsaved edits before connecting', async () => {
    renderManager();
    fireEvent.click(await screen.findByText('Prod'));
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'edited.example' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Connect' })));
    expect((fake.fn('sitesSave').mock.calls[0]![0] as { site: SiteInput }).site.host).toBe('edited.example');
    expect(fake.fn('sitesConnect')).toHaveBeenCalledWith({ id: 's1' });
  });

  it('connects a saved site from the Sites drop-down', async () => {
    useSitesStore.setState({ sites: stored });
    const open = vi.fn();
    render(<SitesButton onOpenSites={open} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect to a saved site' }));
    const menu = screen.getByRole('menu');
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Mirror', 'Work/Clients / Prod', 'Site manager…']);
    await act(async () => fireEvent.click(within(menu).getByRole('menuitem', { name: 'Work/Clients / Prod' })));
    expect(fake.fn('sitesConnect')).toHaveBeenCalledWith({ id: 's1' });
    expect(open).not.toHaveBeenCalled();
  });
});
