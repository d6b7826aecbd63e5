import { useState, type JSX } from 'react';
import type { AppSettings } from '../../../shared/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { FALLBACK_SETTINGS, useSettingsStore } from '../../stores/settings-store';
import { SecretsSection } from './SecretsSection';

const ON_EXISTS_LABELS: Record<AppSettings['onExists'], string> = {
  ask: 'Ask me',
  overwrite: 'Overwrite',
  newer: 'Overwrite if newer',
  resume: 'Resume',
  rename: 'Rename the new file',
  skip: 'Skip',
};

/** Application settings: theme, transfers, timeout, log detail. Saved by main on Apply. */
export function SettingsDialog({ onClose }: { onClose: () => void }): JSX.Element {
  const current = useSettingsStore((s) => s.settings) ?? FALLBACK_SETTINGS;
  const persisted = useSettingsStore((s) => s.persisted);
  const update = useSettingsStore((s) => s.update);
  const [draft, setDraft] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);

  async function apply(): Promise<void> {
    const res = await update({ theme: draft.theme, parallel: draft.parallel, timeoutSec: draft.timeoutSec, logLevel: draft.logLevel, onExists: draft.onExists });
    if (res) setProblem(res);
    else onClose();
  }

  const num = (key: 'parallel' | 'timeoutSec', label: string, min: number, max: number): JSX.Element => (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={min} max={max} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: Number(e.target.value) })} />
    </label>
  );

  return (
    <Dialog
      title="Settings"
      onCancel={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => void apply()}>
            Apply
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label className="field">
          <span>Theme</span>
          <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as AppSettings['theme'] })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label className="field">
          <span>When a file exists</span>
          <select value={draft.onExists} onChange={(e) => setDraft({ ...draft, onExists: e.target.value as AppSettings['onExists'] })}>
            {Object.entries(ON_EXISTS_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        {num('parallel', 'Parallel transfers', 1, 16)}
        {num('timeoutSec', 'Timeout (seconds)', 1, 3600)}
        <label className="field">
          <span>Log detail</span>
          <select value={draft.logLevel} onChange={(e) => setDraft({ ...draft, logLevel: e.target.value as AppSettings['logLevel'] })}>
            <option value="info">Normal</option>
            <option value="debug">Debug</option>
          </select>
        </label>
      </div>
      <SecretsSection />
      {!persisted ? <p className="dim">Settings could not be loaded from the app; changes last until the window closes.</p> : null}
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </Dialog>
  );
}
