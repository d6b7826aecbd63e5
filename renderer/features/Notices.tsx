import type { JSX } from 'react';
import { Icon } from '../components/Icon';
import { useNoticeStore } from '../stores/notice-store';

/** Transient messages in the bottom-right corner (failed actions, hints). */
export function Notices(): JSX.Element {
  const { notices, dismiss } = useNoticeStore();
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          {n.tone === 'error' ? <Icon name="warning" /> : null}
          <span>{n.text}</span>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            <Icon name="x" />
          </button>
        </div>
      ))}
    </div>
  );
}
