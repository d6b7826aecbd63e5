import type { JSX } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import { formatEta, formatRate, formatSize } from '../../lib/format';
import { useQueueStore } from '../../stores/queue-store';

/**
 * Overall progress for the tab strip while work is pending: bytes done of the total of the
 * current batch of activity (main's totals: work added since the queue was last drained, failed
 * items left out), rate and ETA.
 */
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
