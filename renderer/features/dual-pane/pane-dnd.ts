import type { DragEvent } from 'react';
import type { TransferRequest } from '../../../shared/model/transfer';
import { ferry } from '../../ferry-api';
import { joinPath } from '../../lib/paths';
import { notifyError } from '../../stores/notice-store';
import { paneStore, type PaneSide } from '../../stores/panes';
import { useSessionStore } from '../../stores/session-store';
import { useSettingsStore } from '../../stores/settings-store';
import { queuePaths, transferEntries } from './pane-actions';

/** The drag payload type for entries dragged between Ferry's panes. */
export const FERRY_DRAG_TYPE = 'application/x-ferry-entries';

/** What an in-app drag carries: which pane, which folder, which names. */
export interface DragPayload {
  readonly side: PaneSide;
  readonly dir: string;
  readonly names: readonly string[];
}

/** Starts an in-app drag of the selection (or of the row under the pointer when it is not selected). */
export function startDrag(event: DragEvent, side: PaneSide, name: string): void {
  const state = paneStore(side).getState();
  const names = state.selected.has(name) ? [...state.selected] : [name];
  if (!state.selected.has(name)) state.setSelection([name], name);
  const payload: DragPayload = { side, dir: state.path, names };
  event.dataTransfer.setData(FERRY_DRAG_TYPE, JSON.stringify(payload));
  event.dataTransfer.setData('text/plain', names.map((n) => joinPath(state.path, n)).join('\n'));
  event.dataTransfer.effectAllowed = 'copy';
}

/** True when a drag over `side` can be dropped there (from the other pane, or OS files on remote). */
export function canDrop(event: DragEvent, side: PaneSide): boolean {
  const types = [...event.dataTransfer.types];
  if (types.includes(FERRY_DRAG_TYPE)) return true;
  return side === 'remote' && types.includes('Files');
}

/** The folder a drop lands in: a folder row under the pointer, else the pane's current folder. */
function dropDir(event: DragEvent, side: PaneSide): string {
  const dir = paneStore(side).getState().path;
  const row = (event.target as HTMLElement).closest?.('[role="row"][data-type="dir"]');
  const name = row?.getAttribute('data-name');
  return name ? joinPath(dir, name) : dir;
}

type PathForFile = (file: File) => string;

/** Handles a drop on `side`: an upload/download between panes, or OS files uploaded to remote. */
export async function handleDrop(event: DragEvent, side: PaneSide): Promise<void> {
  const raw = event.dataTransfer.getData(FERRY_DRAG_TYPE);
  const dest = dropDir(event, side);
  if (raw) {
    const payload = JSON.parse(raw) as DragPayload;
    if (payload.side === side) return;
    if (paneStore(payload.side).getState().path !== payload.dir) return;
    await transferEntries(payload.side, payload.names, dest);
    return;
  }
  if (side !== 'remote' || event.dataTransfer.files.length === 0) return;
  const session = useSessionStore.getState();
  if (!session.sessionId || !session.target) {
    notifyError('Connect to a server before dropping files on the remote pane.');
    return;
  }
  const pathForFile = (ferry() as unknown as { pathForFile?: PathForFile }).pathForFile;
  if (typeof pathForFile !== 'function') {
    notifyError('Dropping files from the file manager works in the desktop app; here, drag from the local pane.');
    return;
  }
  const items = [...event.dataTransfer.items];
  const onExists = useSettingsStore.getState().settings?.onExists ?? 'ask';
  const requests: TransferRequest[] = [];
  [...event.dataTransfer.files].forEach((file, i) => {
    const localPath = pathForFile(file);
    if (!localPath) return;
    const isDir = items[i]?.webkitGetAsEntry?.()?.isDirectory ?? false;
    requests.push({
      direction: 'upload',
      target: session.target!,
      sessionId: session.sessionId!,
      localPath,
      remotePath: joinPath(dest, file.name),
      recursive: isDir,
      onExists,
    });
  });
  if (requests.length === 0) notifyError('These dropped items have no path on disk.');
  await queuePaths(requests);
}
