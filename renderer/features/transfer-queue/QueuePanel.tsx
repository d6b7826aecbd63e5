import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type JSX } from 'react';
import { ContextMenu } from '../../components/ContextMenu';
import { Icon } from '../../components/Icon';
import { stoppingOf, tabOf, useQueueStore, type QueueTab } from '../../stores/queue-store';
import { queueCommands, queueMenu } from './queue-commands';
import { clickSelect, leadIndex, NO_SELECTION, selectAll, selectedRows, type QueueSelection } from './queue-selection';
import { QUEUE_ROW_HEIGHT, QueueRow } from './QueueRow';

const EMPTY: Record<QueueTab, string> = { queued: 'No transfers waiting.', failed: 'No failed transfers.', done: 'No finished transfers.' };

/**
 * The transfer queue for one tab (queued / failed / done): each item with direction, paths,
 * size, progress, rate, ETA, state and error. Items are selected like files (click, Ctrl/Cmd+click,
 * Shift+click, arrows, Ctrl+A); the toolbar, the context menu and the Delete key act on the
 * selection, or on the whole tab when nothing is selected. Items are exactly main's `queue:update` view.
 */
export function QueuePanel({ tab }: { tab: QueueTab }): JSX.Element {
  const items = useQueueStore((s) => s.items);
  const requested = useQueueStore((s) => s.requested);
  const busy = useQueueStore((s) => s.busy);
  const paused = useQueueStore((s) => s.paused);
  const rows = useMemo(() => items.filter((i) => tabOf(i.state) === tab), [items, tab]);
  const [selection, setSelection] = useState<{ tab: QueueTab; sel: QueueSelection }>({ tab, sel: NO_SELECTION });
  const sel = selection.tab === tab ? selection.sel : NO_SELECTION;
  const select = (next: QueueSelection): void => setSelection({ tab, sel: next });
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => QUEUE_ROW_HEIGHT, overscan: 8 });
  const selected = useMemo(() => selectedRows(sel, rows), [sel, rows]);
  const commands = queueCommands(tab, rows, selected, { requested, busy, paused });

  function onListKey(e: React.KeyboardEvent): void {
    if (rows.length === 0) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'a') {
      select(selectAll(rows));
    } else if (e.key === 'Delete') {
      const remove = commands.find((c) => c.id === 'remove');
      if (remove && !remove.disabled) remove.run();
    } else if (e.key === 'Escape') {
      select(NO_SELECTION);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const at = leadIndex(sel, rows);
      const next = e.key === 'ArrowDown' ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1);
      select(clickSelect(sel, rows, next, { toggle: false, range: e.shiftKey }));
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else return;
    e.preventDefault();
  }

  return (
    <div className="queue-panel" role="tabpanel" aria-label={`${tab} transfers`}>
      <div className="queue-actions" role="toolbar" aria-label="Queue actions">
        {commands.map((c) => (
          <button key={c.id} type="button" className="button small" disabled={c.disabled} onClick={c.run} data-command={c.id}>
            <Icon name={c.icon} /> {c.label}
          </button>
        ))}
        {selected.length > 1 ? <span className="queue-selected dim">{selected.length.toLocaleString()} selected</span> : null}
      </div>
      <div
        className="queue-list"
        ref={scrollRef}
        role="listbox"
        aria-multiselectable="true"
        aria-label={`${tab} items`}
        tabIndex={0}
        onKeyDown={onListKey}
      >
        {rows.length === 0 ? <div className="queue-empty">{EMPTY[tab]}</div> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = rows[v.index]!;
            return (
              <QueueRow
                key={item.id}
                item={item}
                top={v.start}
                selected={sel.ids.has(item.id)}
                stopping={stoppingOf(item, requested)}
                onPointer={(e) => {
                  select(clickSelect(sel, rows, v.index, { toggle: e.ctrlKey || e.metaKey, range: e.shiftKey }));
                  scrollRef.current?.focus();
                }}
                onMenu={(e) => {
                  e.preventDefault();
                  // A right-click outside the selection selects that row alone, as in a file manager.
                  if (!sel.ids.has(item.id)) select(clickSelect(sel, rows, v.index, { toggle: false, range: false }));
                  setMenu({ x: e.clientX, y: e.clientY });
                }}
              />
            );
          })}
        </div>
      </div>
      {menu ? <ContextMenu x={menu.x} y={menu.y} items={queueMenu(commands)} onClose={() => setMenu(null)} /> : null}
    </div>
  );
}
