import type { KeyboardEvent } from 'react';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { paneStore, type PaneSide } from '../../stores/panes';
import { copyPaths, deleteEntries, newFolder, openEntry, renameEntry, transferEntries } from './pane-actions';

/** Names the action keys act on: the selection, or the cursor row when nothing is selected. */
export function targetNames(side: PaneSide): string[] {
  const s = paneStore(side).getState();
  if (s.selected.size > 0) return [...s.selected];
  return s.cursor ? [s.cursor] : [];
}

/**
 * Keyboard handling of a file table, FileZilla/Explorer style: arrows, Home/End, PageUp/Down
 * (Shift extends, Ctrl moves without selecting), Space toggles, Enter opens or transfers,
 * Backspace goes up, Alt+Left/Right history, F2 rename, Del delete, F5 refresh, F7 new folder,
 * Ctrl+A all, Ctrl+C copy path, Shift+F10 / menu key opens the context menu, typing filters,
 * Escape clears filter then selection.
 */
export function handlePaneKey(
  event: KeyboardEvent,
  side: PaneSide,
  rows: readonly RemoteEntry[],
  pageSize: number,
  extra: { focusPath: () => void; openMenu: (entry: RemoteEntry | null, at: { x: number; y: number }) => void },
): void {
  const store = paneStore(side);
  const s = store.getState();
  const names = rows.map((r) => r.name);
  const idx = s.cursor ? names.indexOf(s.cursor) : -1;
  const ctrl = event.ctrlKey || event.metaKey;

  const moveTo = (next: number): void => {
    if (names.length === 0) return;
    const clamped = Math.max(0, Math.min(names.length - 1, next));
    const name = names[clamped]!;
    if (event.shiftKey) store.getState().select(name, 'range', names);
    else if (ctrl) store.setState({ cursor: name });
    else store.getState().select(name, 'single', names);
  };

  let handled = true;
  switch (event.key) {
    case 'ArrowDown':
      if (event.altKey) handled = false;
      else moveTo(idx + 1);
      break;
    case 'ArrowUp':
      if (event.altKey) void s.up();
      else moveTo(idx < 0 ? 0 : idx - 1);
      break;
    case 'Home':
      moveTo(0);
      break;
    case 'End':
      moveTo(names.length - 1);
      break;
    case 'PageDown':
      moveTo(idx + pageSize);
      break;
    case 'PageUp':
      moveTo(idx - pageSize);
      break;
    case 'ArrowLeft':
      if (event.altKey) void s.back();
      else handled = false;
      break;
    case 'ArrowRight':
      if (event.altKey) void s.forward();
      else handled = false;
      break;
    case ' ':
      if (s.cursor) s.select(s.cursor, 'toggle', names);
      break;
    case 'Enter': {
      const entry = rows[idx];
      if (!entry) break;
      if ((entry.type === 'dir' || entry.type === 'symlink') && s.selected.size <= 1) void openEntry(side, entry);
      else void transferEntries(side, targetNames(side));
      break;
    }
    case 'Backspace':
      if (s.filter) s.setFilter(s.filter.slice(0, -1));
      else void s.up();
      break;
    case 'F2':
      if (s.cursor) void renameEntry(side, s.cursor);
      break;
    case 'Delete':
      void deleteEntries(side, targetNames(side));
      break;
    case 'F5':
      void s.refresh();
      break;
    case 'F7':
      void newFolder(side);
      break;
    case 'ContextMenu':
    case 'F10': {
      if (event.key === 'F10' && !event.shiftKey) {
        handled = false;
        break;
      }
      const entry = rows[idx] ?? null;
      const rowsInDom = [...(event.currentTarget as HTMLElement).querySelectorAll('[role="row"][data-name]')];
      const el = entry ? (rowsInDom.find((r) => r.getAttribute('data-name') === entry.name) ?? null) : null;
      const box = (el ?? (event.currentTarget as HTMLElement)).getBoundingClientRect();
      extra.openMenu(entry, { x: box.left + 24, y: box.top + (el ? box.height : 40) });
      break;
    }
    case 'Escape':
      if (s.filter) s.setFilter('');
      else s.setSelection([], s.cursor);
      break;
    default:
      if (ctrl && event.key.toLowerCase() === 'a') s.setSelection(names, s.cursor);
      else if (ctrl && event.key.toLowerCase() === 'c') void copyPaths(side, targetNames(side));
      else if (ctrl && event.key.toLowerCase() === 'l') extra.focusPath();
      else if (!ctrl && !event.altKey && event.key.length === 1) s.setFilter(s.filter + event.key);
      else handled = false;
  }
  if (handled) {
    event.preventDefault();
    event.stopPropagation();
  }
}
