import { ferry } from '../../ferry-api';
import { saveTextFile } from '../../lib/save-file';
import { askConfirm, askText } from '../../stores/dialog-store';
import { useNoticeStore } from '../../stores/notice-store';
import { useSitesStore } from '../../stores/sites-store';

// The site manager's import and export actions: files chosen in the page, parsed and sealed by main.

/** Imports FileZilla's sitemanager.xml (parsed by main), then offers to clear its plain passwords. */
export async function importFilezillaFile(file: File): Promise<void> {
  const xml = await file.text();
  const { importFilezilla, clearFilezillaPasswords } = useSitesStore.getState();
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

/** Ferry's own export, with passwords only when sealed by a passphrase the user gives. */
export async function exportSitesToFile(): Promise<void> {
  const passphrase = await askText({
    title: 'Export sites',
    label: 'Passphrase to include saved passwords (leave empty to export without any password)',
    confirmLabel: 'Export',
    validate: (v) => (v === '' || v.length >= 8 ? null : 'Use at least 8 characters, or leave it empty.'),
  });
  if (passphrase === null) return;
  const res = await useSitesStore.getState().exportSites(passphrase === '' ? undefined : passphrase);
  if (!res) return;
  saveTextFile(`ferry-sites-${new Date().toISOString().slice(0, 10)}.json`, res.text, 'application/json');
  useNoticeStore.getState().show('info', `Exported ${res.count} site${res.count === 1 ? '' : 's'}${passphrase ? ' with sealed passwords' : ', without passwords'}.`);
}

/** Imports a Ferry export, asking for its passphrase when it holds sealed passwords. */
export async function importFerryFile(file: File): Promise<void> {
  const text = await file.text();
  const sealed = text.includes('"secrets"');
  const passphrase = sealed ? await askText({ title: 'Import sites', label: 'Passphrase of this export (leave empty to import without passwords)', confirmLabel: 'Import' }) : '';
  if (passphrase === null) return;
  const n = await useSitesStore.getState().importSites(text, passphrase === '' ? undefined : passphrase);
  if (n !== null) useNoticeStore.getState().show('info', `Imported ${n} site${n === 1 ? '' : 's'}.`);
}
