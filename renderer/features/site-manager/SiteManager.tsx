import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { SiteProfile } from '../../../shared/model/site';
import { Dialog } from '../../components/Dialog';
import { sentence } from '../../lib/format';
import { askConfirm, askText } from '../../stores/dialog-store';
import { useNoticeStore } from '../../stores/notice-store';
import { useLocalPane } from '../../stores/panes';
import { useSessionStore } from '../../stores/session-store';
import { siteTree, useSitesStore } from '../../stores/sites-store';
import { useUiStore } from '../../stores/ui-store';
import { confirmReplaceSession } from '../quickconnect/replace-session';
import { savedWithoutSecret, useSecretsStatus } from '../settings/secrets-status';
import { draftOf, emptyDraft, toSiteInput, type SiteDraft } from './site-form';
import { deleteFolderQuestion, folderContents, folderName, folderNameProblem, parentFolder } from './site-folders';
import { exportSitesToFile, importFerryFile, importFilezillaFile } from './site-import-export';
import { SiteForm } from './SiteForm';
import { SiteTree } from './SiteTree';

/**
 * The site manager: saved profiles in folders; create, edit, duplicate, rename, delete, connect;
 * create, rename, delete folders and drag sites into them; import FileZilla's sitemanager.xml
 * (read here, parsed by main). Secrets typed here are sent to main on save and dropped from the form.
 */
export function SiteManager({ onClose }: { onClose: () => void }): JSX.Element {
  const { sites, folders, error, load, save, remove, duplicate: duplicateSite, createFolder, renameFolder, deleteFolder } = useSitesStore();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** The folder chosen in the tree ('' = the top); null while a site (or nothing) is. */
  const [selectedFolder, setSelectedFolder] = useState<string | null>(null);
  const [draft, setDraft] = useState<SiteDraft | null>(null);
  /** The draft as last loaded or saved: the form is dirty while it differs. */
  const [baseline, setBaseline] = useState<SiteDraft | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  /** Said once a site is saved without the password typed for it (nowhere to store it). */
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const { status: secretsStatus } = useSecretsStatus();
  const fileRef = useRef<HTMLInputElement>(null);
  const ferryFileRef = useRef<HTMLInputElement>(null);
  const tree = useMemo(() => siteTree(sites, folders), [sites, folders]);
  const allFolders = useMemo(() => [...new Set([...folders, ...sites.map((s) => s.folder)].filter(Boolean))].sort(), [sites, folders]);
  const selected = sites.find((s) => s.id === selectedId) ?? null;

  useEffect(() => {
    void load();
  }, [load]);

  const importPending = useUiStore((s) => s.importPending);
  useEffect(() => {
    if (!importPending) return;
    useUiStore.getState().clearImport();
    fileRef.current?.click();
  }, [importPending]);

  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(baseline);

  function show(d: SiteDraft | null): void {
    setDraft(d);
    setBaseline(d);
    setFormError(null);
    setSavedNote(null);
  }

  /**
   * Runs `then` once the form may show something else: at once when nothing is unsaved, else only
   * if the user agrees to drop the unsaved edits.
   */
  function leaveDraft(then: () => void | Promise<void>): void {
    if (!dirty) {
      void then();
      return;
    }
    void askConfirm({
      title: 'Unsaved changes',
      message: `The changes to "${baseline?.name || draft?.name}" are not saved. Discard them?`,
      danger: true,
      confirmLabel: 'Discard changes',
    }).then((discard) => (discard ? then() : undefined));
  }

  function pick(site: SiteProfile): void {
    if (site.id === selectedId) return;
    leaveDraft(() => {
      setSelectedId(site.id);
      setSelectedFolder(null);
      show(draftOf(site));
    });
  }

  function selectFolder(path: string): void {
    setSelectedId(null);
    setSelectedFolder(path);
    show(null);
  }

  function pickFolder(path: string): void {
    if (path === selectedFolder) return;
    leaveDraft(() => selectFolder(path));
  }

  async function doSave(d: SiteDraft | null = draft): Promise<SiteProfile | null> {
    if (!d) return null;
    const input = toSiteInput(d);
    if (typeof input === 'string') {
      setFormError(input);
      return null;
    }
    setFormError(null);
    const saved = await save(input);
    if (saved) {
      setSelectedId(saved.id);
      setSelectedFolder(null);
      show(draftOf(saved));
      if (input.secret) setSavedNote(savedWithoutSecret(secretsStatus, input.auth === 'key' ? 'passphrase' : 'password', saved.name));
    }
    return saved;
  }

  /**
   * Saves one change (a name, a folder) to the stored site alone. Other unsaved edits in the form
   * stay there, still unsaved; the changed field shows the stored value.
   */
  async function saveOnly(site: SiteProfile, patch: Partial<Pick<SiteDraft, 'name' | 'folder'>>): Promise<SiteProfile | null> {
    const input = toSiteInput({ ...draftOf(site), ...patch });
    if (typeof input === 'string') {
      setFormError(input);
      return null;
    }
    const saved = await save(input);
    if (saved && saved.id === selectedId) {
      const fresh = draftOf(saved);
      const applied = Object.fromEntries(Object.keys(patch).map((k) => [k, fresh[k as keyof SiteDraft]])) as Partial<SiteDraft>;
      setDraft((d) => (d ? { ...d, ...applied } : fresh));
      setBaseline(fresh);
    }
    return saved;
  }

  async function connect(): Promise<void> {
    // Unsaved edits (or a new site) are saved first, so the connection uses what the form shows.
    const dirty = draft !== null && (!selected || JSON.stringify(toSiteInput(draft)) !== JSON.stringify(toSiteInput(draftOf(selected))));
    const site = dirty ? await doSave() : selected;
    if (!site || !(await confirmReplaceSession(`the site “${site.name}”`))) return;
    onClose();
    if (site.localDir) void useLocalPane.getState().navigate(site.localDir);
    await useSessionStore.getState().connectSite(site);
  }

  function newSite(): void {
    leaveDraft(() => {
      setSelectedId(null);
      setSelectedFolder(null);
      show(emptyDraft(selectedFolder ?? selected?.folder ?? ''));
    });
  }

  /** Main saves the copy with the original's stored secret; the copy is then selected. */
  function duplicate(): void {
    if (!selected) return;
    leaveDraft(async () => {
      const copy = await duplicateSite(selected.id);
      if (copy) {
        setSelectedId(copy.id);
        show(draftOf(copy));
      }
    });
  }

  /** Renames the stored site; the form's other unsaved edits are kept (unsaved) rather than lost. */
  async function rename(): Promise<void> {
    if (!selected || !draft) return;
    const initial = draft.name.trim() || selected.name;
    const name = await askText({ title: 'Rename site', label: 'New name', initial, confirmLabel: 'Rename', validate: (v) => (v.trim() ? null : 'Enter a name.') });
    if (name !== null) await saveOnly(selected, { name });
  }

  async function del(): Promise<void> {
    if (selectedFolder) return deleteSelectedFolder(selectedFolder);
    if (!selected) return;
    if (!(await askConfirm({ title: 'Delete site', message: `Delete the site "${selected.name}" and its stored password?`, danger: true, confirmLabel: 'Delete' }))) return;
    if (await remove(selected.id)) {
      setSelectedId(null);
      show(null);
    }
  }

  /** A new folder in the chosen folder (or the chosen site's); it is selected unless the form has unsaved edits. */
  async function newFolder(): Promise<void> {
    const parent = selectedFolder ?? selected?.folder ?? '';
    const name = await askText({
      title: 'New folder',
      label: parent ? `Name of the new folder in "${parent}"` : 'Name of the new folder',
      confirmLabel: 'Create',
      validate: (v) => folderNameProblem(v, parent, allFolders),
    });
    if (name === null) return;
    const path = await createFolder(parent ? `${parent}/${name.trim()}` : name.trim());
    if (path !== null && !dirty) selectFolder(path);
  }

  async function renameSelectedFolder(path: string): Promise<void> {
    const parent = parentFolder(path);
    const others = allFolders.filter((f) => f !== path && !f.startsWith(`${path}/`));
    const name = await askText({ title: 'Rename folder', label: 'New name', initial: folderName(path), confirmLabel: 'Rename', validate: (v) => folderNameProblem(v, parent, others) });
    if (name === null || name.trim() === folderName(path)) return;
    const renamed = await renameFolder(path, name.trim());
    if (renamed !== null) selectFolder(renamed);
  }

  async function deleteSelectedFolder(path: string): Promise<void> {
    const question = deleteFolderQuestion(path, folderContents(path, sites, allFolders));
    if (!(await askConfirm({ title: 'Delete folder', danger: true, ...question }))) return;
    const deleted = await deleteFolder(path);
    if (deleted === null) return;
    selectFolder(parentFolder(path));
    if (deleted > 0) useNoticeStore.getState().show('info', `Deleted the folder "${path}" and ${deleted} site${deleted === 1 ? '' : 's'}.`);
  }

  /** A site dropped on a folder: only its folder is saved; unsaved edits in the form stay. */
  function moveSite(siteId: string, folder: string): void {
    const site = sites.find((s) => s.id === siteId);
    if (site && site.folder !== folder) void saveOnly(site, { folder });
  }

  async function openSite(site: SiteProfile): Promise<void> {
    if ((dirty && site.id !== selectedId) || !(await confirmReplaceSession(`the site “${site.name}”`))) return;
    onClose();
    if (site.localDir) void useLocalPane.getState().navigate(site.localDir);
    void useSessionStore.getState().connectSite(site);
  }

  const folderInfo = selectedFolder !== null ? folderContents(selectedFolder, sites, allFolders) : null;
  return (
    <Dialog
      title="Site manager"
      wide
      onCancel={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={() => fileRef.current?.click()}>
            Import from FileZilla…
          </button>
          <input ref={fileRef} type="file" accept=".xml,text/xml" hidden aria-label="FileZilla sitemanager.xml" onChange={(e) => e.target.files?.[0] && void importFilezillaFile(e.target.files[0])} />
          <button type="button" className="button" onClick={() => ferryFileRef.current?.click()}>
            Import…
          </button>
          <input ref={ferryFileRef} type="file" accept=".json,application/json" hidden aria-label="Ferry site export" onChange={(e) => e.target.files?.[0] && void importFerryFile(e.target.files[0])} />
          <button type="button" className="button" disabled={sites.length === 0} onClick={() => void exportSitesToFile()}>
            Export…
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button" disabled={!draft} onClick={() => void doSave()}>
            Save
          </button>
          <button type="button" className="button primary" disabled={!draft || (!selected && !draft.host)} onClick={() => void connect()}>
            Connect
          </button>
        </>
      }
    >
      <div className="site-manager">
        <div className="site-tree-pane">
          <div className="site-tree-tools">
            <button type="button" className="button small" onClick={newSite}>
              New site
            </button>
            <button type="button" className="button small" onClick={() => void newFolder()}>
              New folder
            </button>
            <button type="button" className="button small" disabled={!selected} onClick={duplicate}>
              Duplicate
            </button>
            <button type="button" className="button small" disabled={!selected && !selectedFolder} onClick={() => void (selectedFolder ? renameSelectedFolder(selectedFolder) : rename())}>
              Rename
            </button>
            <button type="button" className="button small danger" disabled={!selected && !selectedFolder} onClick={() => void del()}>
              Delete
            </button>
          </div>
          <SiteTree
            tree={tree}
            selection={selected ? { kind: 'site', id: selected.id } : selectedFolder !== null ? { kind: 'folder', path: selectedFolder } : null}
            onPickSite={pick}
            onOpenSite={(site) => void openSite(site)}
            onPickFolder={pickFolder}
            onMoveSite={moveSite}
          />
        </div>
        <div className="site-editor">
          {draft ? (
            <SiteForm draft={draft} folders={allFolders} secretsStatus={secretsStatus} onChange={(patch) => setDraft((d) => (d ? { ...d, ...patch } : d))} />
          ) : folderInfo && selectedFolder !== null ? (
            <div className="empty-note" aria-live="polite">
              <p>
                <strong>{selectedFolder || 'My sites'}</strong>: {folderInfo.sites} site{folderInfo.sites === 1 ? '' : 's'}
                {folderInfo.subfolders ? `, ${folderInfo.subfolders} subfolder${folderInfo.subfolders === 1 ? '' : 's'}` : ''}
              </p>
              <p className="dim">“New site” and “New folder” create them here. To move a site into a folder, drag it onto the folder, or change its Folder field.</p>
            </div>
          ) : (
            <p className="dim empty-note">Select a site, or create one with “New site”.</p>
          )}
          {savedNote ? (
            <p className="field-warning" role="status">
              {savedNote}
            </p>
          ) : null}
          {formError ?? error ? (
            <p className="field-error" role="alert">
              {formError ?? sentence(error?.message ?? '')}
            </p>
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}
