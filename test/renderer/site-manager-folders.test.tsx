import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import { SiteManager } from '../../renderer/features/site-manager/SiteManager';
import { deleteFolderQuestion, folderContents } from '../../renderer/features/site-manager/site-folders';
import { UiDialogHost } from '../../renderer/features/prompts/UiDialogHost';
import { siteTree, useSitesStore } from '../../renderer/stores/sites-store';
import { installFakeFerry, type FakeFerry } from './fake-ferry';

const site = (over: Partial<SiteProfile>): SiteProfile => ({
  id: 's1', name: 'Prod', folder: 'Work/Clients', protocol: 'sftp', host: 'prod.example', port: 22, user: 'deploy',
  auth: 'password', passive: true, charset: 'utf8', transferLimit: 4, hasSecret: true, allowPlain: false, ...over,
});

// Folders in the site manager: selectable, created (empty ones too), renamed, deleted after a
// question that counts the sites going with them, and sites dragged into them.
describe('site manager folders', () => {
  let fake: FakeFerry;
  let stored: SiteProfile[];
  let folders: string[];
  beforeEach(() => {
    fake = installFakeFerry();
    stored = [site({}), site({ id: 's2', name: 'Stage', folder: 'Work' }), site({ id: 's3', name: 'Home NAS', folder: '' })];
    folders = ['Archive'];
    useSitesStore.setState({ sites: [], folders: [], error: null });
    fake.answer('sitesList', () => stored);
    fake.answer('sitesFolders', () => [...new Set([...folders, ...stored.map((s) => s.folder).filter(Boolean)])].sort());
    fake.answer('sitesSave', (req: { site: SiteInput }) => {
      const saved = site({ ...req.site, id: req.site.id ?? 'new' });
      stored = [...stored.filter((s) => s.id !== saved.id), saved];
      return saved;
    });
    fake.answer('sitesCreateFolder', (req: { path: string }) => (folders.push(req.path), req.path));
    fake.answer('sitesRenameFolder', (req: { path: string; name: string }) => {
      const to = req.path.includes('/') ? `${req.path.slice(0, req.path.lastIndexOf('/'))}/${req.name}` : req.name;
      const move = (f: string): string => (f === req.path || f.startsWith(`${req.path}/`) ? to + f.slice(req.path.length) : f);
      folders = folders.map(move);
      stored = stored.map((s) => ({ ...s, folder: move(s.folder) }));
      return to;
    });
    fake.answer('sitesDeleteFolder', (req: { path: string }) => {
      const hit = (f: string): boolean => f === req.path || f.startsWith(`${req.path}/`);
      const before = stored.length;
      stored = stored.filter((s) => !hit(s.folder));
      folders = folders.filter((f) => !hit(f));
      return { deleted: before - stored.length };
    });
  });
  afterEach(cleanup);

  async function renderManager(): Promise<HTMLElement> {
    render(
      <>
        <SiteManager onClose={vi.fn()} />
        <UiDialogHost />
      </>,
    );
    const tree = await screen.findByRole('list', { name: 'Saved sites' });
    await waitFor(() => expect(within(tree).getByRole('button', { name: 'Folder Archive' })).toBeTruthy());
    return tree;
  }

  async function answerText(title: string, value: string, button: string): Promise<void> {
    const dialog = await screen.findByRole('dialog', { name: title });
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: button })));
  }

  it('shows empty folders, selects a folder and creates a folder and a site inside it', async () => {
    const tree = await renderManager();
    fireEvent.click(within(tree).getByRole('button', { name: 'Folder Work' }));
    expect(within(tree).getByRole('button', { name: 'Folder Work', current: true })).toBeTruthy();
    expect(screen.getByText(/: 2 sites, 1 subfolder/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'New folder' }));
    const ask = await screen.findByRole('dialog', { name: 'New folder' });
    expect(within(ask).getByText('Name of the new folder in "Work"')).toBeTruthy();
    fireEvent.change(within(ask).getByRole('textbox'), { target: { value: 'Clients' } });
    expect(within(ask).getByText('There is already a folder "Clients" here.')).toBeTruthy();
    await answerText('New folder', 'Partners', 'Create');
    expect(fake.fn('sitesCreateFolder')).toHaveBeenCalledWith({ path: 'Work/Partners' });
    await waitFor(() => expect(within(tree).getByRole('button', { name: 'Folder Work/Partners', current: true })).toBeTruthy());

    fireEvent.click(screen.getByRole('button', { name: 'New site' }));
    expect((screen.getByLabelText('Folder') as HTMLInputElement).value).toBe('Work/Partners');
  });

  it('renames the selected folder', async () => {
    const tree = await renderManager();
    fireEvent.click(within(tree).getByRole('button', { name: 'Folder Work' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await answerText('Rename folder', 'Jobs', 'Rename');
    expect(fake.fn('sitesRenameFolder')).toHaveBeenCalledWith({ path: 'Work', name: 'Jobs' });
    await waitFor(() => expect(within(tree).getByRole('button', { name: 'Folder Jobs/Clients' })).toBeTruthy());
    expect(within(tree).queryByRole('button', { name: 'Folder Work' })).toBeNull();
  });

  it('says how many sites a folder deletion removes, and removes nothing on cancel', async () => {
    const tree = await renderManager();
    fireEvent.click(within(tree).getByRole('button', { name: 'Folder Work' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    let ask = await screen.findByRole('dialog', { name: 'Delete folder' });
    expect(ask.textContent).toMatch(/Delete the folder "Work" and 1 subfolder with the 2 sites in them/);
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' })));
    expect(fake.fn('sitesDeleteFolder')).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    ask = await screen.findByRole('dialog', { name: 'Delete folder' });
    await act(async () => fireEvent.click(within(ask).getByRole('button', { name: 'Delete folder and 2 sites' })));
    expect(fake.fn('sitesDeleteFolder')).toHaveBeenCalledWith({ path: 'Work' });
    await waitFor(() => expect(within(tree).queryByText('Prod')).toBeNull());
    expect(within(tree).getByText('Home NAS')).toBeTruthy();
  });

  it('moves a dragged site into a folder, saving only its folder and keeping unsaved edits', async () => {
    const tree = await renderManager();
    fireEvent.click(within(tree).getByText('Prod'));
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'edited.example' } });
    const data = new Map<string, string>();
    const dataTransfer = { types: [] as string[], setData: (k: string, v: string) => (data.set(k, v), dataTransfer.types.push(k)), getData: (k: string) => data.get(k) ?? '', dropEffect: '', effectAllowed: '' };
    fireEvent.dragStart(within(tree).getByRole('button', { name: /Prod/ }), { dataTransfer });
    const archive = within(tree).getByRole('button', { name: 'Folder Archive' });
    fireEvent.dragOver(archive, { dataTransfer });
    await act(async () => fireEvent.drop(archive, { dataTransfer }));
    const sent = (fake.fn('sitesSave').mock.calls[0]![0] as { site: SiteInput }).site;
    expect(sent).toMatchObject({ id: 's1', folder: 'Archive', host: 'prod.example' });
    await waitFor(() => expect((screen.getByLabelText('Folder') as HTMLInputElement).value).toBe('Archive'));
    expect((screen.getByLabelText('Host') as HTMLInputElement).value).toBe('edited.example');
  });

  it('builds the tree with empty folders and counts what a folder holds', () => {
    const sites = [site({}), site({ id: 's2', folder: 'Work' })];
    const tree = siteTree(sites, ['Archive/2023', 'Work/Empty']);
    expect(tree.folders.map((f) => f.path)).toEqual(['Archive', 'Work']);
    expect(tree.folders[0]!.folders.map((f) => f.path)).toEqual(['Archive/2023']);
    expect(tree.folders[1]!.folders.map((f) => f.path)).toEqual(['Work/Clients', 'Work/Empty']);
    expect(folderContents('Work', sites, ['Work/Empty'])).toEqual({ sites: 2, subfolders: 2 });
    expect(folderContents('Archive', sites, ['Archive/2023'])).toEqual({ sites: 0, subfolders: 1 });
    expect(deleteFolderQuestion('Archive', { sites: 0, subfolders: 0 })).toEqual({ message: 'Delete the folder "Archive"? No site is in it.', confirmLabel: 'Delete folder' });
    expect(deleteFolderQuestion('Work', { sites: 1, subfolders: 0 }).confirmLabel).toBe('Delete folder and 1 site');
  });
});
