import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState, type DragEvent, type JSX, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from 'react';
import { COLUMN_WIDTH_LIMITS } from '../../shared/ipc/contract';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import type { SortKey, SortSpec } from '../stores/pane-view';
import { Icon } from './Icon';
import { useElementSize } from './use-element-size';

/** One column of a file table. */
export interface FileColumn {
  readonly key: SortKey;
  readonly title: string;
  /** CSS grid track, e.g. "minmax(120px, 1fr)" or "90px". */
  readonly width: string;
  readonly align?: 'right';
  readonly render: (entry: RemoteEntry) => ReactNode;
}

/** Props of the virtual file table; all state lives in the caller's store. */
export interface FileTableProps {
  readonly label: string;
  readonly rows: readonly RemoteEntry[];
  readonly columns: readonly FileColumn[];
  readonly selected: ReadonlySet<string>;
  readonly cursor: string | null;
  readonly sort: SortSpec;
  readonly onSort: (key: SortKey) => void;
  readonly onRowMouseDown: (entry: RemoteEntry, event: MouseEvent) => void;
  readonly onRowClick?: (entry: RemoteEntry, event: MouseEvent) => void;
  readonly onOpen: (entry: RemoteEntry) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLDivElement>, pageSize: number) => void;
  readonly onContextMenu: (event: MouseEvent, entry: RemoteEntry | null) => void;
  readonly onDragStart: (event: DragEvent, entry: RemoteEntry) => void;
  readonly empty?: ReactNode;
  /** A folder row highlighted as the drop target of a drag in progress. */
  readonly dropTarget?: string | null;
  /** Widths (px) of columns the user resized earlier, by column key. */
  readonly columnWidths?: Readonly<Record<string, number>>;
  /** Called with all resized widths when a resize ends (or a double-click restores a default). */
  readonly onColumnWidths?: (widths: Readonly<Record<string, number>>) => void;
}

/** Row height in pixels; the CSS uses the same value. */
export const ROW_HEIGHT = 22;

/** Pixels the first (Name) column keeps before columns at the right end make way for it. */
export const NAME_MIN_FIT = 140;
/** The header's right padding (over the rows' scrollbar) and borders, in pixels. */
const TABLE_CHROME = 12;

/**
 * The columns that fit a table `width` px wide: the fixed ones (at their resized or default width)
 * are dropped from the right end until Name keeps NAME_MIN_FIT; Name always stays, and so does
 * `keep` (the column being resized, which must not vanish under the pointer). A table not
 * measured yet (width 0) shows all of them.
 */
export function fitColumns(columns: readonly FileColumn[], widths: Readonly<Record<string, number>>, width: number, keep?: string | null): readonly FileColumn[] {
  if (width <= 0) return columns;
  const fixed = (c: FileColumn): number => widths[c.key] ?? (parseInt(c.width, 10) || 0);
  const dropped = new Set<string>();
  let total = columns.slice(1).reduce((sum, c) => sum + fixed(c), NAME_MIN_FIT + TABLE_CHROME);
  for (let i = columns.length - 1; i > 0 && total > width; i--) {
    const c = columns[i]!;
    if (c.key === keep) continue;
    dropped.add(c.key);
    total -= fixed(c);
  }
  return dropped.size === 0 ? columns : columns.filter((c) => !dropped.has(c.key));
}

function entryIcon(entry: RemoteEntry): JSX.Element {
  return <Icon name={entry.type === 'dir' ? 'folder' : entry.type === 'symlink' ? 'link' : 'file'} className="entry-icon" />;
}

/**
 * A sortable, virtualized file table: only the rows in view are in the DOM, so 100,000 entries
 * scroll as smoothly as 10. One focusable grid; the cursor row is kept in view.
 */
export function FileTable(props: FileTableProps): JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const tableWidth = useElementSize(tableRef);
  const headId = useId();
  const { rows, cursor } = props;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  // The fixed-width columns right of Name resize by dragging their header's left edge (Name takes
  // up the difference), or with the arrow keys on that edge, which is a focusable separator; a
  // double-click or Enter restores the default. The widths follow the drag here and are handed to
  // onColumnWidths (settings) when the drag ends, or at each key press. The edges share one Tab
  // stop (the one used last) and Up/Down move between them, so Tab does not stop at every edge.
  const [widths, setWidths] = useState<Readonly<Record<string, number>>>(props.columnWidths ?? {});
  const widthsRef = useRef(widths);
  widthsRef.current = widths;
  const { columnWidths, onColumnWidths } = props;
  useEffect(() => {
    if (columnWidths) setWidths(columnWidths);
  }, [columnWidths]);
  // On a narrow pane the columns at the right end are left out rather than cut off.
  const [resizing, setResizing] = useState<string | null>(null);
  const columns = fitColumns(props.columns, widths, tableWidth, resizing);
  const template = columns.map((c) => (widths[c.key] !== undefined ? `${widths[c.key]}px` : c.width)).join(' ');
  const edgeKeys = columns.filter((c) => c.key !== 'name').map((c) => c.key);
  const [edgeStop, setEdgeStop] = useState<SortKey | null>(null);
  const tabEdge = edgeStop !== null && edgeKeys.includes(edgeStop) ? edgeStop : (edgeKeys[0] ?? null);
  const clampWidth = (w: number): number => Math.min(COLUMN_WIDTH_LIMITS.max, Math.max(COLUMN_WIDTH_LIMITS.min, Math.round(w)));

  /** The width a column has now: resized, else as laid out, else its default track. */
  function currentWidth(c: FileColumn, handle?: HTMLElement): number {
    const resized = widthsRef.current[c.key];
    if (resized !== undefined) return resized;
    const laidOut = handle?.parentElement?.getBoundingClientRect().width ?? 0;
    return laidOut > 0 ? Math.round(laidOut) : (parseInt(c.width, 10) || COLUMN_WIDTH_LIMITS.min);
  }

  function restoreDefault(key: string): void {
    const { [key]: _gone, ...rest } = widthsRef.current;
    widthsRef.current = rest;
    setWidths(rest);
    onColumnWidths?.(rest);
  }

  function startResize(e: PointerEvent<HTMLSpanElement>, key: string): void {
    e.preventDefault();
    e.stopPropagation();
    const cell = e.currentTarget.parentElement!;
    const startX = e.clientX;
    const startWidth = cell.getBoundingClientRect().width;
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    setResizing(key);
    let latest: Readonly<Record<string, number>> | undefined;
    const move = (ev: globalThis.PointerEvent): void => {
      latest = { ...widthsRef.current, [key]: clampWidth(startWidth - (ev.clientX - startX)) };
      widthsRef.current = latest;
      setWidths(latest);
    };
    const end = (): void => {
      setResizing(null);
      if (latest) onColumnWidths?.(latest);
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  }

  /**
   * Keyboard resize on the focused edge: it moves like the mouse would, so Left widens the column
   * and Right narrows it (Shift for bigger steps); Enter restores the default width. Up and Down
   * go to the previous and next column's edge.
   */
  function keyResize(e: KeyboardEvent<HTMLSpanElement>, c: FileColumn): void {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const at = edgeKeys.indexOf(c.key) + (e.key === 'ArrowUp' ? -1 : 1);
      const next = edgeKeys[Math.max(0, Math.min(edgeKeys.length - 1, at))]!;
      const head = e.currentTarget.closest('.file-table-head');
      head?.querySelector<HTMLElement>(`[data-edge="${next}"]`)?.focus();
    } else if (e.key === 'Enter') {
      restoreDefault(c.key);
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const step = (e.shiftKey ? 40 : 8) * (e.key === 'ArrowLeft' ? 1 : -1);
      const next = { ...widthsRef.current, [c.key]: clampWidth(currentWidth(c, e.currentTarget) + step) };
      widthsRef.current = next;
      setWidths(next);
      onColumnWidths?.(next);
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  useEffect(() => {
    if (cursor === null) return;
    const idx = rows.findIndex((r) => r.name === cursor);
    if (idx >= 0) virtualizer.scrollToIndex(idx, { align: 'auto' });
  }, [cursor, rows, virtualizer]);

  const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);

  return (
    <div
      ref={tableRef}
      className="file-table"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={(e) => {
        // Keys on a header button, a resize edge or a field in the empty-table message are theirs, not the rows'.
        if ((e.target as HTMLElement).closest('.file-table-head, .file-table-empty')) return;
        props.onKeyDown(e, pageSize);
      }}
      onContextMenu={(e) => {
        if ((e.target as HTMLElement).closest('[role="row"][data-name]') === null) props.onContextMenu(e, null);
      }}
    >
      <div className="file-table-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const active = props.sort.key === c.key;
          return (
            <div
              key={c.key}
              role="columnheader"
              aria-labelledby={`${headId}-${c.key}`}
              aria-sort={active ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              className={c.align === 'right' ? 'align-right' : undefined}
            >
              <button
                type="button"
                id={`${headId}-${c.key}`}
                onKeyDown={(e) => {
                  // The button's own activation, taken over so the key never reaches the grid's keys.
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  props.onSort(c.key);
                }}
                onClick={() => props.onSort(c.key)}
              >
                {c.title}
                <span className="sort-mark" aria-hidden="true">{active ? (props.sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
              </button>
              {c.key !== 'name' ? (
                <span
                  className="col-resize"
                  role="separator"
                  data-edge={c.key}
                  tabIndex={c.key === tabEdge ? 0 : -1}
                  aria-orientation="vertical"
                  aria-label={`Resize the ${c.title} column`}
                  aria-valuenow={widths[c.key] ?? (parseInt(c.width, 10) || undefined)}
                  aria-valuemin={COLUMN_WIDTH_LIMITS.min}
                  aria-valuemax={COLUMN_WIDTH_LIMITS.max}
                  title="Drag, or press ←/→ (Shift for bigger steps), to resize; ↑/↓ for the other columns; double-click or Enter for the default width"
                  onPointerDown={(e) => startResize(e, c.key)}
                  onDoubleClick={() => restoreDefault(c.key)}
                  onKeyDown={(e) => keyResize(e, c)}
                  onFocus={() => {
                    setResizing(c.key);
                    setEdgeStop(c.key);
                  }}
                  onBlur={() => setResizing(null)}
                />
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="file-table-body" ref={scrollRef}>
        {rows.length === 0 && props.empty ? <div className="file-table-empty">{props.empty}</div> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const entry = rows[v.index]!;
            const isSelected = props.selected.has(entry.name);
            // Striped by the row's index: only the rows in view are in the DOM, so :nth-child would
            // swap the stripes whenever a row scrolls out at the top.
            return (
              <div
                key={entry.name}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                data-name={entry.name}
                data-type={entry.type}
                className={`file-row${v.index % 2 === 1 ? ' alt' : ''}${isSelected ? ' selected' : ''}${cursor === entry.name ? ' cursor' : ''}${props.dropTarget === entry.name ? ' drop-target' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, gridTemplateColumns: template }}
                draggable
                onMouseDown={(e) => props.onRowMouseDown(entry, e)}
                onClick={(e) => props.onRowClick?.(entry, e)}
                onDoubleClick={() => props.onOpen(entry)}
                onContextMenu={(e) => props.onContextMenu(e, entry)}
                onDragStart={(e) => props.onDragStart(e, entry)}
              >
                {columns.map((c, i) => (
                  <div key={c.key} role="gridcell" className={c.align === 'right' ? 'align-right' : undefined}>
                    {i === 0 ? entryIcon(entry) : null}
                    <span className="cell-text">{c.render(entry)}</span>
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
