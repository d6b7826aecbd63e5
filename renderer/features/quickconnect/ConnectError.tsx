import type { JSX } from 'react';
import { userMessage } from '../../../shared/ipc/error-messages';
import type { FerryErrorShape } from '../../../shared/ipc/errors';
import { sentence } from '../../lib/format';
import { useUiStore } from '../../stores/ui-store';

/**
 * Why the last connection attempt failed: the error code's plain sentence first, then Ferry's own
 * account of it (which server, which step). The raw library or server text (`detail`) is not
 * shown here: main logged it with the failure, so the log has it for whoever needs it.
 */
export function ConnectError({ error, onDismiss }: { error: FerryErrorShape; onDismiss: () => void }): JSX.Element {
  const lead = userMessage(error.code);
  const specifics = /[.!?]$/.test(error.message) ? sentence(error.message) : `${sentence(error.message)}.`;
  return (
    <div className="connect-error" role="alert">
      <span>{lead}</span>
      {specifics !== lead ? <span className="dim">{specifics}</span> : null}
      {error.detail ? <span className="dim">The log has the server’s exact reply.</span> : null}
      <span>
        {error.code === 'host-key-changed' || error.code === 'cert-changed' ? (
          <button type="button" className="button small danger" onClick={() => useUiStore.getState().open('trust')}>
            Review in the trust center
          </button>
        ) : null}
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </span>
    </div>
  );
}
