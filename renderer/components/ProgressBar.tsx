import type { JSX } from 'react';

/** A thin progress bar; `value` in 0..1, or null for indeterminate. */
export function ProgressBar({ value, label, tone }: { value: number | null; label: string; tone?: 'ok' | 'error' | 'paused' }): JSX.Element {
  const pct = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className={`progress${tone ? ` progress-${tone}` : ''}${pct === null ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
