import { useState, type JSX } from 'react';
import type { FerryErrorShape } from '../../../shared/ipc/errors';
import { Icon } from '../../components/Icon';
import { sentence } from '../../lib/format';

/** Props: the pane's name, why nothing is listed, and the two ways on. */
export interface FolderUnavailableProps {
  readonly label: string;
  /** The server's (or file system's) refusal; null when the user dismissed it. */
  readonly error: FerryErrorShape | null;
  /** What the path field starts with: the folder that was tried. */
  readonly path: string;
  readonly onOpen: (path: string) => void;
  readonly onRetry: () => void;
  /** A folder is being opened: the field stays, the buttons wait. */
  readonly busy: boolean;
}

/**
 * Shown in place of a listing when a pane has no folder open and nothing is loading: the
 * server's message, a field to type another path, and Retry. A pane never waits on a listing
 * that is not coming.
 */
export function FolderUnavailable({ label, error, path, onOpen, onRetry, busy }: FolderUnavailableProps): JSX.Element {
  const [text, setText] = useState(path);
  return (
    <div className="placeholder folder-unavailable">
      <strong>
        <Icon name="warning" className="danger-icon" /> {error ? `Could not open a ${label.toLowerCase()} folder` : `No ${label.toLowerCase()} folder is open`}
      </strong>
      {busy ? <span className="dim">Loading…</span> : null}
      {error && !busy ? (
        <div className="connect-error" role="alert">
          <span>{sentence(error.message)}</span>
          {error.detail ? <span className="dim mono wrap">{error.detail}</span> : null}
        </div>
      ) : null}
      <form
        className="open-folder"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onOpen(text.trim());
        }}
      >
        <input aria-label={`${label} folder to open`} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button small primary" disabled={busy || !text.trim()}>
          Open
        </button>
        <button type="button" className="button small" disabled={busy} onClick={onRetry}>
          <Icon name="retry" /> Retry
        </button>
      </form>
    </div>
  );
}
