import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type JSX } from 'react';
import type { TransferItemView } from '../../../shared/model/transfer';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { ferry } from '../../ferry-api';
import { formatEta, formatRate, formatSize, sentence } from '../../lib/format';
import { notifyError } from '../../stores/notice-store';
import { tabOf, useQueueStore, type QueueTab } from '../../stores/queue-store';

const STATE_LABEL: Record<TransferItemView['state'], string> = {
  queued: 'Queued',
  active: 'Transferring',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

const WAITING_LABEL: Record<NonNullable<TransferItemView['waiting']>, string> = {
  connection: 'Connecting',
  answer: 'Waiting for your answer',
};

/** The state shown for an item: an active one says what it waits for before bytes move. */
export function stateLabel(item: TransferItemView): string {
  return item.state === 'active' && item.waiting ? WAITING_LABEL[item.waiting] : STATE_LABEL[item.state];
}

async function call(what: string, pending: Promise<{ ok: boolean; error?: { message: string } }>): Promise<void> {
  const res = await pending;
  if (!res.ok) notifyError(`${what}: ${res.error?.message ?? 'failed'}`);
}

const ROW = 40;

/** Moves an item to the front: its job first among jobs, the item first within its job. */
async function transferNext(item: TransferItemView): Promise<void> {
  const job = await ferry().queueReorder({ id: item.jobId, toIndex: 0 });
  const own = job.ok ? await ferry().queueReorder({ id: item.id, toIndex: 0 }) : job;
  if (!own.ok) notifyError(`Could not move the transfer: ${own.error.message}`);
  await useQueueStore.getState().load();
}

/**
 * The transfer queue for one tab (queued / failed / done): each item with direction, paths,
 * size, progress, rate, ETA, state and error; actions on the selected item or all of the tab.
 * Items are exactly main's `queue:update` view.
 */
export function QueuePanel({ tab }: { tab: QueueTab }): JSX.Element {
  const items = useQueueStore((s) => s.items);
  const rows = useMemo(() => items.filter((i) => tabOf(i.state) === tab), [items, tab]);
  const [selected, setSelected] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 8 });
  const queuePaused = useQueueStore((s) => s.paused);
  const sel = rows.find((r) => r.id === selected) ?? null;
  const ids = sel ? [sel.id] : undefined;
  const scope = sel ? [sel] : rows;
  const canPause = !queuePaused && scope.some((r) => r.state === 'queued' || r.state === 'active');
  const canResume = (queuePaused && !sel) || scope.some((r) => r.state === 'paused');

  function onListKey(e: React.KeyboardEvent): void {
    if (rows.length === 0) return;
    const idx = sel ? rows.indexOf(sel) : -1;
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, idx + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, idx - 1);
    else if (e.key === 'Escape') {
      setSelected(null);
      return;
    } else return;
    e.preventDefault();
    setSelected(rows[next]!.id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  return (
    <div className="queue-panel" role="tabpanel" aria-label={`${tab} transfers`}>
      <div className="queue-actions" role="toolbar" aria-label="Queue actions">
        {tab === 'queued' ? (
          <>
            <button type="button" className="button small" disabled={!canPause} onClick={() => void call('Pause', ferry().queuePause(ids ? { ids } : {}))}>
              <Icon name="pause" /> {sel ? 'Pause' : 'Pause all'}
            </button>
            <button type="button" className="button small" disabled={!canResume} onClick={() => void call('Resume', ferry().queueResume(ids ? { ids } : {}))}>
              <Icon name="play" /> {sel ? 'Resume' : 'Resume all'}
            </button>
            <button type="button" className="button small" disabled={rows.length === 0} onClick={() => void call('Cancel', ferry().queueCancel(ids ? { ids } : {}))}>
              <Icon name="x" /> {sel ? 'Cancel' : 'Cancel all'}
            </button>
            {sel && (sel.state === 'queued' || sel.state === 'paused') ? (
              <button type="button" className="button small" onClick={() => void transferNext(sel)}>
                <Icon name="up" /> Transfer next
              </button>
            ) : null}
          </>
        ) : null}
        {tab === 'failed' ? (
          <button type="button" className="button small" disabled={rows.length === 0} onClick={() => void call('Retry', ferry().queueRetry(ids ? { ids } : {}))}>
            <Icon name="retry" /> {sel ? 'Retry' : 'Retry all failed'}
          </button>
        ) : null}
        {tab === 'done' ? (
          <>
            <button type="button" className="button small" disabled={rows.length === 0} onClick={() => void call('Clear', ferry().queueClearDone({}))}>
              <Icon name="trash" /> Clear done
            </button>
            {sel?.direction === 'download' && sel.state === 'done' ? (
              <button type="button" className="button small" onClick={() => void call('Open', ferry().fsOpen({ path: sel.localPath }))}>
                <Icon name="file" /> Open downloaded file
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      <div className="queue-list" ref={scrollRef} role="list" aria-label={`${tab} items`} tabIndex={0} onKeyDown={onListKey}>
        {rows.length === 0 ? <div className="queue-empty">{tab === 'queued' ? 'No transfers waiting.' : tab === 'failed' ? 'No failed transfers.' : 'No finished transfers.'}</div> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = rows[v.index]!;
            return <QueueRow key={item.id} item={item} top={v.start} selected={item.id === selected} onSelect={() => setSelected(item.id === selected ? null : item.id)} />;
          })}
        </div>
      </div>
    </div>
  );
}

function QueueRow({ item, top, selected, onSelect }: { item: TransferItemView; top: number; selected: boolean; onSelect: () => void }): JSX.Element {
  const up = item.direction === 'upload';
  const fraction = item.size > 0 ? item.transferred / item.size : item.state === 'done' ? 1 : 0;
  const tone = item.state === 'failed' || item.state === 'cancelled' ? 'error' : item.state === 'paused' ? 'paused' : item.state === 'done' ? 'ok' : undefined;
  return (
    <div
      role="listitem"
      className={`queue-row state-${item.state}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected}
      data-state={item.state}
      data-waiting={item.waiting}
      onClick={onSelect}
    >
      <span className={`dir-badge ${up ? 'up' : 'down'}`} title={up ? 'Upload' : 'Download'}>
        <Icon name={up ? 'upload' : 'download'} label={up ? 'Upload' : 'Download'} />
      </span>
      <div className="queue-paths">
        <div className="queue-path" title={up ? item.localPath : item.remotePath}>
          <bdi>{up ? item.localPath : item.remotePath}</bdi>
        </div>
        <div className="queue-dest">
          <span aria-hidden="true">→</span>
          <span className="queue-path dim" title={up ? item.remotePath : item.localPath}>
            <bdi>{up ? item.remotePath : item.localPath}</bdi>
          </span>
        </div>
      </div>
      <div className="queue-progress">
        <ProgressBar value={fraction} label={`Progress of ${item.localPath}`} tone={tone} />
        <div className="queue-numbers">
          <span>
            {formatSize(item.transferred)} / {formatSize(item.size)}
          </span>
          <span>{item.state === 'active' && !item.waiting ? formatRate(item.rate) : ''}</span>
          <span>{item.state === 'active' && !item.waiting ? formatEta(item.eta) : ''}</span>
        </div>
      </div>
      <div className="queue-state">
        <span className={`state-pill state-${item.state}${item.waiting ? ' waiting' : ''}`}>{stateLabel(item)}</span>
        {item.error ? (
          <span className="queue-error" title={item.error.detail ?? item.error.message}>
            {sentence(item.error.message)}
          </span>
        ) : item.verification ? (
          <span className="queue-verified">{item.verification}</span>
        ) : item.attempts > 1 ? (
          <span className="dim">attempt {item.attempts}</span>
        ) : null}
      </div>
    </div>
  );
}

/** Overall progress for the tab strip while work is pending: bytes done of total, rate and ETA. */
export function QueueSummary(): JSX.Element | null {
  const totals = useQueueStore((s) => s.totals);
  const paused = useQueueStore((s) => s.paused);
  // Shown while there is work left; a finished queue needs no progress bar.
  if (totals.active === 0 && totals.queued === 0 && !paused) return null;
  const fraction = totals.bytes > 0 ? totals.transferred / totals.bytes : 0;
  return (
    <div className="queue-summary" data-testid="queue-summary">
      <ProgressBar value={fraction} label="Overall progress" tone={paused ? 'paused' : undefined} />
      <span>
        {formatSize(totals.transferred)} of {formatSize(totals.bytes)}
        {totals.rate > 0 ? ` · ${formatRate(totals.rate)}` : ''}
        {totals.eta !== null && totals.active > 0 ? ` · ${formatEta(totals.eta)} left` : ''}
        {paused ? ' · paused' : ''}
      </span>
    </div>
  );
}
