import { useCallback, useEffect, useState, type JSX } from 'react';
import type { Listing, RemoteEntry } from '../../../shared/model/remote-entry';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { ferry } from '../../ferry-api';
import { sentence } from '../../lib/format';
import { joinPath, parentPath } from '../../lib/paths';
import { errorShape, unwrap } from '../../lib/result';

const list = (path: string): Promise<Listing> => unwrap(ferry().fsList({ path, showHidden: true }));

/** Whether a typed key path is absolute (POSIX, or a Windows drive / UNC path). */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/**
 * The folder to open first: the folder of the key already entered, else ~/.ssh when it exists,
 * else the home folder. Each candidate is tried by listing it, so a missing one is skipped.
 */
async function startListing(current: string): Promise<Listing> {
  const home = await unwrap(ferry().fsHome({}));
  const typed = current.trim().replace(/^~(?=[\\/]|$)/, home);
  const candidates = [...(typed && isAbsolute(typed) ? [parentPath(typed)] : []), joinPath(home, '.ssh'), home];
  for (const path of candidates) {
    try {
      return await list(path);
    } catch {
      // not there or not readable: the next candidate
    }
  }
  return list(home);
}

function byKind(a: RemoteEntry, b: RemoteEntry): number {
  const dirA = a.type === 'dir' ? 0 : 1;
  const dirB = b.type === 'dir' ? 0 : 1;
  return dirA - dirB || a.name.localeCompare(b.name);
}

/**
 * Picks a private key file on this machine, inside the app: folders are listed through the
 * contract's `fs:list`, so it works the same in Electron's sandboxed page and in the browser
 * bridge. Public keys (`.pub`) are listed but cannot be chosen: they are the usual mistake.
 */
export function KeyFileChooser({ current, onChoose, onCancel }: { current: string; onChoose: (path: string) => void; onCancel: () => void }): JSX.Element {
  const [listing, setListing] = useState<Listing | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = useCallback(async (load: () => Promise<Listing>) => {
    try {
      const next = await load();
      setListing({ path: next.path, entries: [...next.entries].sort(byKind) });
      setChosen(null);
      setError(null);
    } catch (err) {
      setError(sentence(errorShape(err).message));
    }
  }, []);

  // Only the first folder depends on the field; later navigation is the user's.
  const [initial] = useState(current);
  useEffect(() => {
    void open(() => startListing(initial));
  }, [open, initial]);

  const entry = listing?.entries.find((e) => e.name === chosen);
  const isPublic = chosen?.endsWith('.pub') ?? false;
  const canChoose = listing !== null && entry !== undefined && entry.type !== 'dir' && !isPublic;

  function choose(): void {
    if (canChoose && listing && entry) onChoose(joinPath(listing.path, entry.name));
  }

  function activate(e: RemoteEntry): void {
    if (!listing) return;
    if (e.type === 'dir') void open(() => list(joinPath(listing.path, e.name)));
    else if (!e.name.endsWith('.pub')) onChoose(joinPath(listing.path, e.name));
  }

  return (
    <Dialog
      title="Choose a private key file"
      onCancel={onCancel}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!canChoose} onClick={choose}>
            Choose
          </button>
        </>
      }
    >
      <div className="field-row" style={{ gridTemplateColumns: 'auto 1fr', alignItems: 'center' }}>
        <button type="button" className="button small" aria-label="Parent folder" disabled={!listing || parentPath(listing.path) === listing.path} onClick={() => listing && void open(() => list(parentPath(listing.path)))}>
          <Icon name="up" />
        </button>
        <code aria-label="Folder shown">{listing?.path ?? '…'}</code>
      </div>
      <ul className="site-tree" aria-label="Files in this folder" style={{ maxHeight: 300, minHeight: 200, overflow: 'auto', margin: '8px 0' }}>
        {listing?.entries.length === 0 ? <li className="dim empty-note">This folder is empty.</li> : null}
        {listing?.entries.map((e) => (
          <li key={e.name}>
            <button
              type="button"
              className={`tree-site${e.name === chosen ? ' selected' : ''}`}
              aria-current={e.name === chosen ? true : undefined}
              onClick={() => setChosen(e.name)}
              onDoubleClick={() => activate(e)}
              onKeyDown={(k) => {
                if (k.key === 'Enter') {
                  k.preventDefault();
                  activate(e);
                }
              }}
            >
              <Icon name={e.type === 'dir' ? 'folder' : e.name.endsWith('.pub') ? 'file' : 'key'} /> {e.name}
              {e.name.endsWith('.pub') ? <span className="dim"> public key</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {isPublic ? <p className="dim">This is the public half of a key pair: choose the file without “.pub”.</p> : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
