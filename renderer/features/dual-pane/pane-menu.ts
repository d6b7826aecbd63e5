import type { RemoteEntry } from '../../../shared/model/remote-entry';
import type { MenuItem } from '../../components/ContextMenu';
import { paneStore, type PaneSide } from '../../stores/panes';
import { useSessionStore } from '../../stores/session-store';
import { chmodEntries, copyPaths, deleteEntries, newFolder, openEntry, openLocalFile, renameEntry, transferEntries } from './pane-actions';
import { targetNames } from './pane-keys';

/** The context menu of a pane, for a row (`entry`) or for the empty area (null). */
export function paneMenu(side: PaneSide, entry: RemoteEntry | null): MenuItem[] {
  const s = paneStore(side).getState();
  const names = entry ? targetNames(side) : [];
  const connected = useSessionStore.getState().sessionId !== null;
  const single = names.length === 1 && entry ? entry : null;
  const items: MenuItem[] = [];
  if (single && (single.type === 'dir' || single.type === 'symlink')) {
    items.push({ label: 'Open', shortcut: 'Enter', onSelect: () => void openEntry(side, single) });
  }
  if (single && side === 'local' && single.type !== 'dir') {
    items.push({ label: 'Open with the system', onSelect: () => void openLocalFile(single.name) });
  }
  if (names.length > 0) {
    items.push({
      label: side === 'local' ? 'Upload' : 'Download',
      disabled: !connected,
      onSelect: () => void transferEntries(side, names),
    });
    items.push({ separator: true });
    items.push({ label: 'Rename', shortcut: 'F2', disabled: !single, onSelect: () => single && void renameEntry(side, single.name) });
    if (side === 'remote') items.push({ label: 'Permissions…', onSelect: () => void chmodEntries(names) });
    items.push({ label: 'Copy path', shortcut: 'Ctrl+C', onSelect: () => void copyPaths(side, names) });
    items.push({ label: 'Delete', shortcut: 'Del', danger: true, onSelect: () => void deleteEntries(side, names) });
    items.push({ separator: true });
  }
  items.push({ label: 'New folder', shortcut: 'F7', disabled: !s.path, onSelect: () => void newFolder(side) });
  items.push({ label: 'Copy folder path', disabled: !s.path, onSelect: () => void copyPaths(side, []) });
  items.push({ label: 'Refresh', shortcut: 'F5', disabled: !s.path, onSelect: () => void s.refresh() });
  return items;
}
