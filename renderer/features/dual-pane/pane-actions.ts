import type { Result } from '../../../shared/ipc/errors';
import type { ChmodFailure } from '../../../shared/model/chmod';
import type { RemoteEntry } from '../../../shared/model/remote-entry';
import type { TransferRequest } from '../../../shared/model/transfer';
import { ferry } from '../../ferry-api';
import { formatOctal } from '../../lib/format';
import { isValidName, joinPath } from '../../lib/paths';
import { failureText } from '../../lib/result';
import { askConfirm, askMode, askText } from '../../stores/dialog-store';
import { notifyError, useNoticeStore } from '../../stores/notice-store';
import { paneStore, type PaneSide } from '../../stores/panes';
import { useQueueStore } from '../../stores/queue-store';
import { useSessionStore } from '../../stores/session-store';
import { useSettingsStore } from '../../stores/settings-store';

/**
 * What the panes can do. Every action goes to main through the contract and then re-lists the
 * folder from main, so the pane never shows a state main did not report.
 */

function entriesOf(side: PaneSide, names: readonly string[]): RemoteEntry[] {
  const byName = new Map(paneStore(side).getState().entries.map((e) => [e.name, e]));
  return names.map((n) => byName.get(n)).filter((e): e is RemoteEntry => e !== undefined);
}

async function run(what: string, pending: Promise<Result<unknown>>): Promise<boolean> {
  const res = await pending;
  if (!res.ok) notifyError(failureText(what, res.error.message));
  return res.ok;
}

function validateName(v: string): string | null {
  return isValidName(v.trim()) ? null : 'Enter a name without slashes.';
}

/** Opens a folder (or a link to one); files are transferred to the other pane instead. */
export async function openEntry(side: PaneSide, entry: RemoteEntry): Promise<void> {
  const store = paneStore(side).getState();
  if (entry.type === 'dir' || entry.type === 'symlink') {
    const ok = await store.navigate(joinPath(store.path, entry.name));
    if (ok || entry.type === 'dir') return;
    paneStore(side).setState({ error: null });
  }
  await transferEntries(side, [entry.name]);
}

/**
 * Queues the named entries of `side` for transfer into the other pane's current folder:
 * local -> upload, remote -> download. Folders go recursively.
 */
export async function transferEntries(side: PaneSide, names: readonly string[], destDir?: string): Promise<void> {
  const session = useSessionStore.getState();
  if (!session.sessionId || !session.target) {
    notifyError('Connect to a server first.');
    return;
  }
  const from = paneStore(side).getState();
  const other = paneStore(side === 'local' ? 'remote' : 'local').getState();
  const target = destDir ?? other.path;
  const entries = entriesOf(side, names);
  if (entries.length === 0) return;
  if (!target) {
    notifyError(`The ${side === 'local' ? 'remote' : 'local'} pane shows no folder to ${side === 'local' ? 'upload' : 'download'} into yet.`);
    return;
  }
  const onExists = useSettingsStore.getState().settings?.onExists ?? 'ask';
  const requests: TransferRequest[] = entries.map((e) => {
    const src = joinPath(from.path, e.name);
    const dst = joinPath(target, e.name);
    return {
      direction: side === 'local' ? 'upload' : 'download',
      target: session.target!,
      sessionId: session.sessionId!,
      localPath: side === 'local' ? src : dst,
      remotePath: side === 'local' ? dst : src,
      recursive: e.type === 'dir',
      onExists,
    };
  });
  await queuePaths(requests);
}

/** Queues prepared requests (also used for OS file drops) and reports failures. */
export async function queuePaths(requests: TransferRequest[]): Promise<void> {
  if (requests.length === 0) return;
  // The queue tab's count and overall progress show the new items; no notice needed.
  const ok = await run('Could not queue the transfer', ferry().queueAdd({ requests }));
  if (ok && useQueueStore.getState().items.length === 0) void useQueueStore.getState().load();
}

/** F2: renames one entry in place. */
export async function renameEntry(side: PaneSide, name: string): Promise<void> {
  const store = paneStore(side).getState();
  const to = await askText({ title: 'Rename', label: `New name for "${name}"`, initial: name, confirmLabel: 'Rename', validate: validateName });
  if (to === null || to.trim() === name) return;
  const from = joinPath(store.path, name);
  const dest = joinPath(store.path, to.trim());
  const sessionId = useSessionStore.getState().sessionId;
  const pending =
    side === 'local' ? ferry().fsRename({ from, to: dest }) : ferry().sessionRename({ sessionId: sessionId ?? '', from, to: dest });
  if (await run(`Could not rename "${name}"`, pending)) {
    await paneStore(side).getState().refresh();
    paneStore(side).getState().setSelection([to.trim()], to.trim());
  }
}

/** Del: deletes entries (folders recursively) after confirmation. */
export async function deleteEntries(side: PaneSide, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const store = paneStore(side).getState();
  const entries = entriesOf(side, names);
  const dirs = entries.filter((e) => e.type === 'dir').length;
  const what = names.length === 1 ? `"${names[0]}"` : `${names.length} items`;
  const ok = await askConfirm({
    title: side === 'local' ? 'Delete local files' : 'Delete on the server',
    message: `Delete ${what}${dirs > 0 ? ', including everything inside the folders' : ''}? This cannot be undone.`,
    danger: true,
    confirmLabel: 'Delete',
  });
  if (!ok) return;
  const paths = names.map((n) => joinPath(store.path, n));
  const sessionId = useSessionStore.getState().sessionId;
  const pending = side === 'local' ? ferry().fsDelete({ paths }) : ferry().sessionDelete({ sessionId: sessionId ?? '', paths });
  await run(`Could not delete ${what}`, pending);
  await paneStore(side).getState().refresh();
}

/** Creates a folder in the pane's current folder. */
export async function newFolder(side: PaneSide): Promise<void> {
  const store = paneStore(side).getState();
  if (!store.path) return;
  const name = await askText({ title: 'New folder', label: `Create a folder in ${store.path}`, initial: 'New folder', confirmLabel: 'Create', validate: validateName });
  if (name === null) return;
  const path = joinPath(store.path, name.trim());
  const sessionId = useSessionStore.getState().sessionId;
  const pending = side === 'local' ? ferry().fsMkdir({ path }) : ferry().sessionMkdir({ sessionId: sessionId ?? '', path });
  if (await run(`Could not create "${name.trim()}"`, pending)) {
    await paneStore(side).getState().refresh();
    paneStore(side).getState().setSelection([name.trim()], name.trim());
  }
}

/** Changes permissions of remote entries (one dialog, applied to each; folders maybe recursively). */
export async function chmodEntries(names: readonly string[]): Promise<void> {
  const entries = entriesOf('remote', names);
  const first = entries[0];
  const sessionId = useSessionStore.getState().sessionId;
  if (!first || !sessionId) return;
  const choice = await askMode({
    title: `Permissions of ${entries.length === 1 ? `"${first.name}"` : `${entries.length} items`}`,
    initial: first.mode ?? 0o644,
    folders: entries.some((e) => e.type === 'dir'),
  });
  if (choice === null) return;
  const { mode, recurse } = choice;
  const dir = paneStore('remote').getState().path;
  const total = { changed: 0, failed: 0, failures: [] as ChmodFailure[] };
  for (const e of entries) {
    const req = { sessionId, path: joinPath(dir, e.name), mode, ...(recurse && e.type === 'dir' ? { recurse } : {}) };
    const res = await ferry().sessionChmod(req);
    if (!res.ok) {
      notifyError(failureText(`Could not set ${formatOctal(mode)} on "${e.name}"`, res.error.message));
      break;
    }
    total.changed += res.value.changed;
    total.failed += res.value.failed;
    total.failures.push(...res.value.failures);
  }
  if (total.failed > 0) notifyError(chmodRefusals(mode, total));
  else if (recurse) useNoticeStore.getState().show('info', `Set ${formatOctal(mode)} on ${total.changed} ${total.changed === 1 ? 'item' : 'items'}.`);
  await paneStore('remote').getState().refresh();
}

function chmodRefusals(mode: number, r: { changed: number; failed: number; failures: readonly ChmodFailure[] }): string {
  const f = r.failures[0];
  const firstOne = f ? ` First: ${f.path}: ${f.message}` : '';
  return `Set ${formatOctal(mode)} on ${r.changed} ${r.changed === 1 ? 'item' : 'items'}; the server refused ${r.failed}.${firstOne}`;
}

/** Copies the full paths of the entries (or of the folder) to the clipboard. */
export async function copyPaths(side: PaneSide, names: readonly string[]): Promise<void> {
  const dir = paneStore(side).getState().path;
  const text = names.length === 0 ? dir : names.map((n) => joinPath(dir, n)).join('\n');
  try {
    await navigator.clipboard.writeText(text);
    useNoticeStore.getState().show('info', names.length > 1 ? `${names.length} paths copied.` : `Copied ${text}`);
  } catch {
    notifyError('The clipboard is not available.');
  }
}

/** Opens a local file with the OS; main only reveals it in its folder when opening could run code. */
export async function openLocalFile(name: string): Promise<void> {
  const path = joinPath(paneStore('local').getState().path, name);
  const res = await ferry().fsOpen({ path });
  if (!res.ok) notifyError(`Could not open "${name}": ${res.error.message}`);
  else if (res.value.action === 'reveal') useNoticeStore.getState().show('info', `"${name}" could run code when opened, so it is shown in its folder instead.`);
}
