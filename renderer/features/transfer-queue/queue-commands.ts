import type { ItemStopping, TransferItemView } from '../../../shared/model/transfer';
import type { MenuItem } from '../../components/ContextMenu';
import { stoppingOf, type QueueControl, type QueueTab } from '../../stores/queue-store';
import { clearTab, controlItems, openDownloaded, removeItems, transferNext } from './queue-actions';

/** What the commands read from the queue store. */
export interface QueueStoreView {
  readonly requested: ReadonlyMap<string, ItemStopping>;
  readonly busy: ReadonlySet<QueueControl>;
  readonly paused: boolean;
}

/** One queue command: a label (while under way: what it is doing), whether it may run now, and what it does. */
export interface QueueCommand {
  readonly id: string;
  readonly label: string;
  readonly icon: 'pause' | 'play' | 'x' | 'up' | 'retry' | 'trash' | 'file';
  readonly shortcut?: string;
  readonly danger?: boolean;
  readonly disabled: boolean;
  readonly run: () => void;
}

const pausable = (v: QueueStoreView, i: TransferItemView): boolean => (i.state === 'queued' || i.state === 'active') && !stoppingOf(i, v.requested);
const cancellable = (v: QueueStoreView, i: TransferItemView): boolean =>
  (i.state === 'queued' || i.state === 'active' || i.state === 'paused') && stoppingOf(i, v.requested) !== 'cancelling';

/**
 * The commands of a queue tab for the selected rows (`selected` empty: the whole tab), shared by
 * the toolbar and the context menu. A command main has not answered yet is disabled and says
 * what it is doing ("Pausing…"), and stays so while items it stopped are still settling.
 */
export function queueCommands(tab: QueueTab, rows: readonly TransferItemView[], selected: readonly TransferItemView[], v: QueueStoreView): QueueCommand[] {
  const some = selected.length > 0;
  const scope = some ? selected : rows;
  const busy = (c: QueueControl): boolean => v.busy.has(c);
  const settling = (kind: 'pausing' | 'cancelling'): boolean => scope.some((i) => stoppingOf(i, v.requested) === kind);
  const remove: QueueCommand = {
    id: 'remove',
    label: busy('remove') ? 'Removing…' : 'Remove',
    icon: 'trash',
    shortcut: 'Del',
    danger: true,
    disabled: !some || busy('remove'),
    run: () => void removeItems(selected),
  };
  if (tab === 'queued') {
    const canPause = !busy('pause') && !(v.paused && !some) && scope.some((i) => pausable(v, i));
    const canCancel = !busy('cancel') && scope.some((i) => cancellable(v, i));
    const one = selected.length === 1 ? selected[0]! : null;
    return [
      {
        id: 'pause',
        label: busy('pause') || (!canPause && settling('pausing')) ? 'Pausing…' : some ? 'Pause' : 'Pause all',
        icon: 'pause',
        disabled: !canPause,
        run: () => void controlItems('pause', scope.filter((i) => pausable(v, i)), !some),
      },
      {
        id: 'resume',
        label: busy('resume') ? 'Resuming…' : some ? 'Resume' : 'Resume all',
        icon: 'play',
        disabled: busy('resume') || !((v.paused && !some) || scope.some((i) => i.state === 'paused' && !stoppingOf(i, v.requested))),
        run: () => void controlItems('resume', scope, !some),
      },
      {
        id: 'cancel',
        label: busy('cancel') || (!canCancel && settling('cancelling')) ? 'Cancelling…' : some ? 'Cancel' : 'Cancel all',
        icon: 'x',
        disabled: !canCancel,
        run: () => void controlItems('cancel', scope.filter((i) => cancellable(v, i)), !some),
      },
      {
        id: 'next',
        label: 'Transfer next',
        icon: 'up',
        disabled: !one || (one.state !== 'queued' && one.state !== 'paused'),
        run: () => void (one && transferNext(one)),
      },
      remove,
    ];
  }
  if (tab === 'failed') {
    return [
      {
        id: 'retry',
        label: busy('retry') ? 'Retrying…' : some ? 'Retry' : 'Retry all failed',
        icon: 'retry',
        disabled: busy('retry') || scope.length === 0,
        run: () => void controlItems('retry', scope, !some),
      },
      remove,
      { id: 'clear', label: busy('clear-failed') ? 'Clearing…' : 'Clear failed', icon: 'trash', disabled: busy('clear-failed') || rows.length === 0, run: () => void clearTab('clear-failed') },
    ];
  }
  const one = selected.length === 1 ? selected[0]! : null;
  return [
    {
      id: 'open',
      label: 'Open downloaded file',
      icon: 'file',
      disabled: !(one?.direction === 'download' && one.state === 'done'),
      run: () => void (one && openDownloaded(one)),
    },
    remove,
    { id: 'clear', label: busy('clear-done') ? 'Clearing…' : 'Clear finished', icon: 'trash', disabled: busy('clear-done') || rows.length === 0, run: () => void clearTab('clear-done') },
  ];
}

/** The context menu of the selection: every command that applies to selected rows, Remove last. */
export function queueMenu(commands: readonly QueueCommand[]): MenuItem[] {
  const items: MenuItem[] = [];
  for (const c of commands) {
    if (c.id === 'clear') items.push({ separator: true });
    if (c.id === 'remove' && items.length > 0) items.push({ separator: true });
    items.push({ label: c.label, disabled: c.disabled, onSelect: c.run, ...(c.shortcut ? { shortcut: c.shortcut } : {}), ...(c.danger ? { danger: true } : {}) });
  }
  return items;
}
