import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type JSX } from 'react';
import { Icon } from '../../components/Icon';
import { formatTime } from '../../lib/format';
import { notifyError, useNoticeStore } from '../../stores/notice-store';
import { saveTextFile } from '../../lib/save-file';
import { filterLog, LOG_LEVELS, logToText, useLogStore } from '../../stores/log-store';

const ROW = 18;

/**
 * The live log: every line main reports (already redacted), virtualized so the 200k-line ring
 * scrolls smoothly; filter by level, source and text; copy or export what is shown.
 * Sticks to the newest line while the view is at the bottom.
 */
export function LogPanel(): JSX.Element {
  const { ring, version, sources, levels, source, text, toggleLevel, setSource, setText, clear } = useLogStore();
  // The ring is mutated in place; `version` changes with every append, so it is what invalidates.
  const lines = useMemo(() => filterLog(ring, { levels, source, text }), [ring, version, levels, source, text]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 20 });

  useEffect(() => {
    if (stick.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines, virtualizer]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(logToText(lines));
      useNoticeStore.getState().show('info', `${lines.length} log lines copied.`);
    } catch {
      notifyError('The clipboard is not available.');
    }
  }

  function exportLog(): void {
    saveTextFile(`ferry-log-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`, logToText(lines) + '\n');
  }

  return (
    <div className="log-panel" role="tabpanel" aria-label="Log">
      <div className="log-toolbar" role="toolbar" aria-label="Log filters">
        <div className="level-chips" role="group" aria-label="Levels">
          {LOG_LEVELS.map((l) => (
            <button key={l} type="button" className={`chip level-${l}${levels.has(l) ? ' on' : ''}`} aria-pressed={levels.has(l)} onClick={() => toggleLevel(l)}>
              {l}
            </button>
          ))}
        </div>
        <select aria-label="Log source" value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">All connections</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="filter-box">
          <Icon name="search" />
          <input type="search" placeholder="Find in log" aria-label="Find in log" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <span className="log-count">
          {lines.length.toLocaleString()} of {ring.size.toLocaleString()} lines
        </span>
        <button type="button" className="button small" onClick={() => void copy()} disabled={lines.length === 0}>
          <Icon name="copy" /> Copy
        </button>
        <button type="button" className="button small" onClick={exportLog} disabled={lines.length === 0}>
          <Icon name="save" /> Export
        </button>
        <button type="button" className="button small" onClick={clear} disabled={ring.size === 0}>
          <Icon name="trash" /> Clear
        </button>
      </div>
      <div
        className="log-lines"
        ref={scrollRef}
        role="log"
        aria-label="Log lines"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const line = lines[v.index]!;
            return (
              <div key={line.seq} className={`log-line level-${line.level}`} style={{ transform: `translateY(${v.start}px)` }} data-level={line.level}>
                <span className="log-time">{formatTime(line.time)}</span>
                <span className="log-level">{line.level}</span>
                <span className="log-source" title={line.source}>
                  {line.source}
                </span>
                <span className="log-text">{line.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
