import { useMemo, useRef, useState, type JSX, type MouseEvent, type ReactNode } from 'react';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { ContextMenu, type MenuItem } from '../../components/ContextMenu';
import { FileTable, type FileColumn } from '../../components/FileTable';
import { Icon } from '../../components/Icon';
import { formatDate, formatMode, formatSize, sentence } from '../../lib/format';
import { paneStore, type PaneSide } from '../../stores/panes';
import { summarize, visibleEntries } from '../../stores/pane-view';
import { useSessionStore } from '../../stores/session-store';
import { useSettingsStore } from '../../stores/settings-store';
import { useUiStore } from '../../stores/ui-store';
import { openEntry, newFolder, transferEntries } from './pane-actions';
import { canDrop, handleDrop, startDrag } from './pane-dnd';
import { handlePaneKey, targetNames } from './pane-keys';
import { paneMenu } from './pane-menu';
import { PathBar } from './PathBar';

const nameCol: FileColumn = { key: 'name', title: 'Name', width: 'minmax(80px, 1fr)', render: (e) => e.name };
const sizeCol: FileColumn = { key: 'size', title: 'Size', width: '82px', align: 'right', render: (e) => (e.type === 'dir' ? '' : formatSize(e.size)) };
const mtimeCol: FileColumn = { key: 'mtime', title: 'Modified', width: '132px', render: (e) => formatDate(e.mtime) };
const modeCol: FileColumn = { key: 'mode', title: 'Permissions', width: '100px', render: (e) => formatMode(e.mode, e.type) };
const ownerCol: FileColumn = { key: 'owner', title: 'Owner', width: '80px', render: (e) => [e.owner, e.group].filter(Boolean).join(':') };

const COLUMNS: Record<PaneSide, FileColumn[]> = {
  local: [nameCol, sizeCol, mtimeCol],
  remote: [nameCol, sizeCol, mtimeCol, modeCol, ownerCol],
};

/** Props: which side, its title, and what to show when there is nothing to list. */
export interface FilePaneProps {
  readonly side: PaneSide;
  readonly title: ReactNode;
  readonly placeholder?: ReactNode;
}

/**
 * One side of the dual-pane browser: toolbar, path bar, filter, virtual table and status line,
 * with keyboard, context menu and drag-and-drop. Everything it lists comes from its pane store.
 */
export function FilePane({ side, title, placeholder }: FilePaneProps): JSX.Element {
  const usePane = paneStore(side);
  const state = usePane();
  const sessionStatus = useSessionStore((s) => s.status);
  const connected = sessionStatus === 'connected';
  // Resized columns are a setting of this pane, kept across restarts (widths saved before the
  // panes had their own still apply to a pane that has none).
  const columnWidths = useSettingsStore((s) => s.settings?.layout.paneColumns?.[side] ?? s.settings?.layout.columns);
  const setLayout = useSettingsStore((s) => s.setLayout);
  const [menu, setMenu] = useState<{ x: number; y: number; items: MenuItem[] } | null>(null);
  const [dropping, setDropping] = useState(false);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [pathEdit, setPathEdit] = useState(0);
  const collapseOnClick = useRef<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  /** The file table, where focus returns when the context menu closes. */
  const table = (): HTMLElement | null => sectionRef.current?.querySelector<HTMLElement>('[role="grid"]') ?? null;
  const label = side === 'local' ? 'Local' : 'Remote';

  const rows = useMemo(
    () => visibleEntries(state.entries, { sort: state.sort, filter: state.filter, showHidden: state.showHidden }),
    [state.entries, state.sort, state.filter, state.showHidden],
  );
  const names = useMemo(() => rows.map((r) => r.name), [rows]);
  const all = summarize(rows);
  const selectedEntries = rows.filter((r) => state.selected.has(r.name));
  const sel = summarize(selectedEntries);
  const hasListing = state.path !== '';

  function onRowMouseDown(entry: RemoteEntry, e: MouseEvent): void {
    if (e.button === 2) {
      if (!state.selected.has(entry.name)) state.select(entry.name, 'single', names);
      return;
    }
    if (e.button !== 0) return;
    if (e.shiftKey) state.select(entry.name, 'range', names);
    else if (e.ctrlKey || e.metaKey) state.select(entry.name, 'toggle', names);
    else if (!state.selected.has(entry.name) || state.selected.size === 1) state.select(entry.name, 'single', names);
    else {
      // A press inside a multi-selection may start a drag of all of it; a plain click selects one.
      collapseOnClick.current = entry.name;
      usePane.setState({ cursor: entry.name, anchor: entry.name });
    }
  }

  function onRowClick(entry: RemoteEntry, e: MouseEvent): void {
    if (collapseOnClick.current === entry.name && !e.shiftKey && !e.ctrlKey && !e.metaKey) state.select(entry.name, 'single', names);
    collapseOnClick.current = null;
  }

  function onContextMenu(e: MouseEvent, entry: RemoteEntry | null): void {
    e.preventDefault();
    if (!hasListing) return;
    setMenu({ x: e.clientX, y: e.clientY, items: paneMenu(side, entry) });
  }

  const transferLabel = side === 'local' ? 'Upload' : 'Download';
  const empty = !hasListing
    ? (placeholder ?? (state.loading ? 'Loading…' : null))
    : state.filter
      ? `Nothing matches "${state.filter}".`
      : state.loading
        ? 'Loading…'
        : 'This folder is empty.';

  return (
    <section
      ref={sectionRef}
      className={`pane pane-${side}${dropping ? ' dropping' : ''}`}
      aria-label={`${label} files`}
      data-testid={`${side}-pane`}
      onFocus={() => useUiStore.getState().setActivePane(side)}
      onDragOver={(e) => {
        if (!canDrop(e, side)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!dropping) setDropping(true);
        const folder = (e.target as HTMLElement).closest?.('[role="row"][data-type="dir"]')?.getAttribute('data-name') ?? null;
        if (folder !== dropTarget) setDropTarget(folder);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
          setDropping(false);
          setDropTarget(null);
        }
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDropping(false);
        setDropTarget(null);
        void handleDrop(e, side);
      }}
    >
      <header className="pane-header">
        <div className="pane-title">{title}</div>
        <div className="pane-tools" role="toolbar" aria-label={`${label} navigation`}>
          <button type="button" className="icon-button" aria-label="Back" title="Back (Alt+Left)" disabled={state.historyIndex <= 0} onClick={() => void state.back()}>
            <Icon name="back" />
          </button>
          <button type="button" className="icon-button" aria-label="Forward" title="Forward (Alt+Right)" disabled={state.historyIndex >= state.history.length - 1} onClick={() => void state.forward()}>
            <Icon name="forward" />
          </button>
          <button type="button" className="icon-button" aria-label="Up" title="Parent folder (Backspace)" disabled={!hasListing} onClick={() => void state.up()}>
            <Icon name="up" />
          </button>
          <button type="button" className="icon-button" aria-label="Refresh" title="Refresh (F5)" disabled={!hasListing} onClick={() => void state.refresh()}>
            <Icon name="refresh" className={state.loading ? 'spin' : undefined} />
          </button>
          <span className="tool-sep" />
          <button type="button" className="icon-button" aria-label="New folder" title="New folder (F7)" disabled={!hasListing} onClick={() => void newFolder(side)}>
            <Icon name="new-folder" />
          </button>
          <button
            type="button"
            className={`icon-button${state.showHidden ? ' active' : ''}`}
            aria-label="Show hidden files"
            aria-pressed={state.showHidden}
            title="Show hidden files"
            onClick={() => state.toggleHidden()}
          >
            <Icon name={state.showHidden ? 'eye' : 'eye-off'} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={transferLabel}
            title={`${transferLabel} the selection (Enter)`}
            disabled={!connected || targetNames(side).length === 0}
            onClick={() => void transferEntries(side, targetNames(side))}
          >
            <Icon name={side === 'local' ? 'upload' : 'download'} />
          </button>
        </div>
      </header>
      <div className="pane-bar">
        <PathBar path={state.path} label={label} onNavigate={(p) => void state.navigate(p)} editRequest={pathEdit} editable={hasListing || (side === 'remote' && connected)} />
        <label className="filter-box">
          <Icon name="search" />
          <input
            type="search"
            placeholder="Filter"
            title="Text anywhere in the name, or a pattern like *.txt"
            aria-label={`Filter ${label.toLowerCase()} files`}
            value={state.filter}
            disabled={!hasListing}
            onChange={(e) => state.setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') state.setFilter('');
            }}
          />
        </label>
      </div>
      {/* With no folder listed, a placeholder (the remote one) shows the error itself. */}
      {state.error && (hasListing || !placeholder) ? (
        <div className="pane-error" role="alert">
          <Icon name="warning" />
          <span>{sentence(state.error.message)}</span>
          <button type="button" className="link-button" onClick={() => usePane.setState({ error: null })}>
            Dismiss
          </button>
        </div>
      ) : null}
      <FileTable
        label={`${label} files`}
        rows={rows}
        columns={COLUMNS[side]}
        columnWidths={columnWidths}
        onColumnWidths={(w) => setLayout({ paneColumns: { ...useSettingsStore.getState().settings?.layout.paneColumns, [side]: w } })}
        selected={state.selected}
        cursor={state.cursor}
        sort={state.sort}
        onSort={state.setSort}
        onRowMouseDown={onRowMouseDown}
        onRowClick={onRowClick}
        onOpen={(entry) => void openEntry(side, entry)}
        onKeyDown={(e, pageSize) =>
          handlePaneKey(e, side, rows, pageSize, {
            focusPath: () => setPathEdit((n) => n + 1),
            openMenu: (entry, at) => hasListing && setMenu({ x: at.x, y: at.y, items: paneMenu(side, entry) }),
          })
        }
        onContextMenu={onContextMenu}
        onDragStart={(e, entry) => startDrag(e, side, entry.name)}
        empty={empty}
        dropTarget={dropTarget}
      />
      <footer className="pane-status" aria-live="polite" data-testid={`${side}-status`}>
        {hasListing ? (
          <>
            <span>
              {all.files.toLocaleString()} file{all.files === 1 ? '' : 's'}, {all.dirs.toLocaleString()} folder{all.dirs === 1 ? '' : 's'}
              {all.bytes > 0 ? ` · ${formatSize(all.bytes)}` : ''}
              {rows.length !== state.entries.length ? ` (${state.entries.length - rows.length} hidden or filtered)` : ''}
            </span>
            {state.selected.size > 0 ? (
              <span>
                {state.selected.size.toLocaleString()} selected{sel.bytes > 0 ? ` · ${formatSize(sel.bytes)}` : ''}
              </span>
            ) : null}
          </>
        ) : (
          <span>{side === 'remote' ? (sessionStatus === 'connecting' ? 'Connecting…' : connected ? '' : 'Not connected') : ''}</span>
        )}
      </footer>
      {menu ? <ContextMenu x={menu.x} y={menu.y} items={menu.items} onClose={() => setMenu(null)} returnFocus={table()} /> : null}
    </section>
  );
}
