import type { JSX } from 'react';
import type { ItemStopping, TransferItemView } from '../../../shared/model/transfer';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { formatEta, formatRate, formatSize, sentence } from '../../lib/format';

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

const STOPPING_LABEL: Record<ItemStopping, string> = {
  pausing: 'Pausing…',
  cancelling: 'Cancelling…',
};

/**
 * The state shown for an item: one being paused or cancelled says so until main confirms; an
 * active one says what it waits for before bytes move.
 */
export function stateLabel(item: TransferItemView, stopping?: ItemStopping): string {
  if (stopping) return STOPPING_LABEL[stopping];
  return item.state === 'active' && item.waiting ? WAITING_LABEL[item.waiting] : STATE_LABEL[item.state];
}

/** Row height in pixels (the virtualizer's estimate). */
export const QUEUE_ROW_HEIGHT = 40;

/** Props of one queue row. */
export interface QueueRowProps {
  readonly item: TransferItemView;
  readonly top: number;
  readonly selected: boolean;
  readonly stopping: ItemStopping | undefined;
  readonly onPointer: (e: React.MouseEvent) => void;
  readonly onMenu: (e: React.MouseEvent) => void;
}

/** One item: direction, paths, progress, rate, ETA, state and error or verification. */
export function QueueRow({ item, top, selected, stopping, onPointer, onMenu }: QueueRowProps): JSX.Element {
  const up = item.direction === 'upload';
  const fraction = item.size > 0 ? item.transferred / item.size : item.state === 'done' ? 1 : 0;
  const tone = item.state === 'failed' || item.state === 'cancelled' ? 'error' : item.state === 'paused' || stopping ? 'paused' : item.state === 'done' ? 'ok' : undefined;
  const moving = item.state === 'active' && !item.waiting && !stopping;
  return (
    <div
      role="option"
      className={`queue-row state-${item.state}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected}
      data-state={item.state}
      data-waiting={item.waiting}
      data-stopping={stopping}
      onMouseDown={(e) => {
        // Shift+click selects a range: keep the browser from selecting text instead.
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={onPointer}
      onContextMenu={onMenu}
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
          <span>{moving ? formatRate(item.rate) : ''}</span>
          <span>{moving ? formatEta(item.eta) : ''}</span>
        </div>
      </div>
      <div className="queue-state">
        <span className={`state-pill state-${item.state}${item.waiting ? ' waiting' : ''}${stopping ? ' stopping' : ''}`}>{stateLabel(item, stopping)}</span>
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
