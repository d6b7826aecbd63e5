import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { SiteProfile } from '../../../shared/model/site';
import { Dialog } from '../../components/Dialog';
import { ferry } from '../../ferry-api';
import { Icon } from '../../components/Icon';
import { sentence } from '../../lib/format';
import { askConfirm, askText } from '../../stores/dialog-store';
import { useNoticeStore } from '../../stores/notice-store';
import { useLocalPane } from '../../stores/panes';
import { useSessionStore } from '../../stores/session-store';
import { siteTree, useSitesStore, type SiteFolder } from '../../stores/sites-store';
import { saveTextFile } from '../../lib/save-file';
import { useUiStore } from '../../stores/ui-store';
import { draftOf, emptyDraft, toSiteInput, type SiteDraft } from './site-form';
import { SiteForm } from './SiteForm';

/**
 * The site manager: saved profiles in folders; create, edit, duplicate, rename, delete, connect,
 * and import FileZilla's sitemanager.xml (read here, parsed by main). Secrets typed here are sent
 * to main on save and dropped from the form.
 */
export function SiteManager({ onClose }: { onClose: () => void }): JSX.Element {
  const { sites, error, load, save, remove, duplicate: duplicateSite, importFilezilla, clearFilezillaPasswords, exportSites, importSites } = useSitesStore();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [draft, setDraft] = useState<SiteDraft | null>(null);
  /** The draft as last loaded or saved: the form is dirty while it differs. */
  const [baseline, setBaseline] = useState<SiteDraft | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const ferryFileRef = useRef<HTMLInputElement>(null);
  const tree = useMemo(() => siteTree(sites), [sites]);
  const folders = useMemo(() => [...new Set(sites.map((s) => s.folder).filter(Boolean))].sort(), [sites]);
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
      show(draftOf(site));
    });
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
      show(draftOf(saved));
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
    if (!site) return;
    onClose();
    if (site.localDir) void useLocalPane.getState().navigate(site.localDir);
    await useSessionStore.getState().connectSite(site);
  }

  function newSite(): void {
    leaveDraft(() => {
      setSelectedId(null);
      show(emptyDraft(selected?.folder ?? ''));
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
    if (!selected) return;
    if (!(await askConfirm({ title: 'Delete site', message: `Delete the site "${selected.name}" and its stored password?`, danger: true, confirmLabel: 'Delete' }))) return;
    if (await remove(selected.id)) {
      setSelectedId(null);
      show(null);
    }
  }

  async function onImport(file: File): Promise<void> {
    const xml = await file.text();
    const res = await importFilezilla(xml);
    if (!res) return;
    useNoticeStore.getState().show('info', `Imported ${res.imported} site${res.imported === 1 ? '' : 's'}${res.skipped ? `, skipped ${res.skipped}` : ''}.`);
    // FileZilla keeps passwords merely base64-encoded: offer to remove them from its file now that
    // Ferry holds them (only where the file's path is known, i.e. in the desktop app).
    const path = res.passwords ? ferry().pathForFile?.(file) : undefined;
    if (!path) return;
    const clear = await askConfirm({
      title: 'Remove passwords from FileZilla?',
      message: `${path} holds ${res.passwords} password${res.passwords === 1 ? '' : 's'} that FileZilla keeps unencrypted. Remove them from that file? FileZilla will then ask for them.`,
      confirmLabel: 'Remove passwords',
    });
    if (!clear) return;
    const removed = await clearFilezillaPasswords(path);
    if (removed !== null) useNoticeStore.getState().show('info', `Removed ${removed} password${removed === 1 ? '' : 's'} from ${path}.`);
  }

  async function onExport(): Promise<void> {
    const passphrase = await askText({
      title: 'Export sites',
      label: 'Passphrase to include saved passwords (leave empty to export without any password)',
      confirmLabel: 'Export',
      validate: (v) => (v === '' || v.length >= 8 ? null : 'Use at least 8 characters, or leave it empty.'),
    });
    if (passphrase === null) return;
    const res = await exportSites(passphrase === '' ? undefined : passphrase);
    if (!res) return;
    saveTextFile(`ferry-sites-${new Date().toISOString().slice(0, 10)}.json`, res.text, 'application/json');
    useNoticeStore.getState().show('info', `Exported ${res.count} site${res.count === 1 ? '' : 's'}${passphrase ? ' with sealed passwords' : ', without passwords'}.`);
  }

  async function onImportFerry(file: File): Promise<void> {
    const text = await file.text();
    const sealed = text.includes('"secrets"');
    const passphrase = sealed ? await askText({ title: 'Import sites', label: 'Passphrase of this export (leave empty to import without passwords)', confirmLabel: 'Import' }) : '';
    if (passphrase === null) return;
    const n = await importSites(text, passphrase === '' ? undefined : passphrase);
    if (n !== null) useNoticeStore.getState().show('info', `Imported ${n} site${n === 1 ? '' : 's'}.`);
  }

  const renderFolder = (f: SiteFolder, depth: number): JSX.Element[] => [
    ...f.folders.flatMap((sub) => [
      <li key={`f:${sub.path}`} className="tree-folder" style={{ paddingLeft: depth * 14 + 6 }}>
        <Icon name="folder" /> {sub.name}
      </li>,
      ...renderFolder(sub, depth + 1),
    ]),
    ...f.sites.map((s) => (
      <li key={s.id} style={{ paddingLeft: depth * 14 + 6 }}>
        <button
          type="button"
          className={`tree-site${s.id === selectedId ? ' selected' : ''}`}
          aria-current={s.id === selectedId ? true : undefined}
          onClick={() => pick(s)}
          onDoubleClick={() => {
            if (dirty && s.id !== selectedId) return;
            onClose();
            if (s.localDir) void useLocalPane.getState().navigate(s.localDir);
            void useSessionStore.getState().connectSite(s);
          }}
        >
          <Icon name="server" /> {s.name}
          <span className="dim"> {s.protocol}</span>
        </button>
      </li>
    )),
  ];

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
          <input ref={fileRef} type="file" accept=".xml,text/xml" hidden aria-label="FileZilla sitemanager.xml" onChange={(e) => e.target.files?.[0] && void onImport(e.target.files[0])} />
          <button type="button" className="button" onClick={() => ferryFileRef.current?.click()}>
            Import…
          </button>
          <input ref={ferryFileRef} type="file" accept=".json,application/json" hidden aria-label="Ferry site export" onChange={(e) => e.target.files?.[0] && void onImportFerry(e.target.files[0])} />
          <button type="button" className="button" disabled={sites.length === 0} onClick={() => void onExport()}>
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
            <button type="button" className="button small" disabled={!selected} onClick={duplicate}>
              Duplicate
            </button>
            <button type="button" className="button small" disabled={!selected} onClick={() => void rename()}>
              Rename
            </button>
            <button type="button" className="button small danger" disabled={!selected} onClick={() => void del()}>
              Delete
            </button>
          </div>
          <ul className="site-tree" aria-label="Saved sites">
            {sites.length === 0 ? <li className="dim empty-note">No saved sites yet.</li> : renderFolder(tree, 0)}
          </ul>
        </div>
        <div className="site-editor">
          {draft ? (
            <SiteForm draft={draft} folders={folders} onChange={(patch) => setDraft((d) => (d ? { ...d, ...patch } : d))} />
          ) : (
            <p className="dim empty-note">Select a site, or create one with “New site”.</p>
          )}
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
