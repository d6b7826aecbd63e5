import { useState, type JSX } from 'react';
import { useLogStore } from '../stores/log-store';
import { useQueueStore, type QueueTab } from '../stores/queue-store';
import { LogPanel } from './log-panel/LogPanel';
import { QueuePanel } from './transfer-queue/QueuePanel';
import { QueueSummary } from './transfer-queue/QueueSummary';

type Tab = QueueTab | 'log';

const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'queued', label: 'Queued' },
  { id: 'failed', label: 'Failed' },
  { id: 'done', label: 'Done' },
  { id: 'log', label: 'Log' },
];

/** The bottom area: the queue's three tabs and the live log, with overall progress on the right. */
export function BottomPanel(): JSX.Element {
  const [tab, setTab] = useState<Tab>('queued');
  const counts = useQueueStore((s) => s.counts);
  const logSize = useLogStore((s) => s.ring.size);
  const count = (t: Tab): number => (t === 'log' ? logSize : counts[t]);
  return (
    <section className="bottom-panel" aria-label="Transfers and log">
      <div
        className="tab-strip"
        role="tablist"
        aria-label="Transfers and log"
        onKeyDown={(e) => {
          const i = TABS.findIndex((t) => t.id === tab);
          const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length : -1;
          if (next < 0) return;
          e.preventDefault();
          setTab(TABS[next]!.id);
          document.getElementById(`tab-${TABS[next]!.id}`)?.focus();
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            className={`tab${tab === t.id ? ' active' : ''}${t.id === 'failed' && counts.failed > 0 ? ' has-failed' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            <span className="tab-count">{count(t.id).toLocaleString()}</span>
          </button>
        ))}
        <span className="spacer" />
        <QueueSummary />
      </div>
      {tab === 'log' ? <LogPanel /> : <QueuePanel tab={tab} />}
    </section>
  );
}
