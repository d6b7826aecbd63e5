import type { Result } from '../../../shared/ipc/errors';
import { REQUEST_LIMITS } from '../../../shared/ipc/request-schemas';
import type { ItemStopping, TransferItemView } from '../../../shared/model/transfer';
import { ferry } from '../../ferry-api';
import { notifyError } from '../../stores/notice-store';
import { useQueueStore, type QueueControl } from '../../stores/queue-store';

/** Controls that take the items they act on (all of the queue when sent without ids). */
type ItemControl = Extract<QueueControl, 'pause' | 'resume' | 'cancel' | 'retry'>;

const WHAT: Record<QueueControl, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  'clear-done': 'Clear finished',
  'clear-failed': 'Clear failed',
};

/** The item a control shows as under way until main answers. */
const STOPPING: Partial<Record<QueueControl, ItemStopping>> = { pause: 'pausing', cancel: 'cancelling', remove: 'cancelling' };

function send(control: ItemControl, ids: string[] | undefined): Promise<Result<null>> {
  const req = ids ? { ids } : {};
  if (control === 'pause') return ferry().queuePause(req);
  if (control === 'resume') return ferry().queueResume(req);
  if (control === 'cancel') return ferry().queueCancel(req);
  return ferry().queueRetry(req);
}

/** Ids in requests main accepts (at most REQUEST_LIMITS.transfers each). */
function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += REQUEST_LIMITS.transfers) out.push(ids.slice(i, i + REQUEST_LIMITS.transfers));
  return out;
}

/**
 * Sends a control once: while main has not answered, the control is busy (a second press sends
 * nothing) and `items`, the ones it acts on, show "Pausing…" / "Cancelling…" when it stops them.
 */
async function run(control: QueueControl, items: readonly TransferItemView[], calls: () => Promise<Result<null>>[] | Promise<Result<null>[]>): Promise<void> {
  const ids = items.map((i) => i.id);
  const store = useQueueStore.getState();
  if (!store.begin(control, ids, STOPPING[control])) return;
  try {
    for (const res of await Promise.all(await calls())) if (!res.ok) notifyError(`${WHAT[control]}: ${res.error.message}`);
  } finally {
    useQueueStore.getState().end(control, ids);
  }
}

/** Pause, resume, cancel or retry: the given items, or (`all`) the whole queue. */
export function controlItems(control: ItemControl, items: readonly TransferItemView[], all: boolean): Promise<void> {
  return run(control, items, () => (all ? [send(control, undefined)] : sequential(chunks(items.map((i) => i.id)), (ids) => send(control, ids))));
}

/** Forgets the done (and skipped) items, or the failed (and cancelled) ones. */
export function clearTab(control: 'clear-done' | 'clear-failed'): Promise<void> {
  return run(control, [], () => [control === 'clear-done' ? ferry().queueClearDone({}) : ferry().queueClearFailed({})]);
}

/** Removes items from the queue: unfinished ones are cancelled first. */
export function removeItems(items: readonly TransferItemView[]): Promise<void> {
  return run('remove', items, () => sequential(chunks(items.map((i) => i.id)), (ids) => ferry().queueRemove({ ids })));
}

/** Requests one after the other (a big selection is several), all results. */
async function sequential(parts: string[][], call: (ids: string[]) => Promise<Result<null>>): Promise<Result<null>[]> {
  const results: Result<null>[] = [];
  for (const ids of parts) results.push(await call(ids));
  return results;
}

/** Moves an item to the front: its job first among jobs, the item first within its job. */
export async function transferNext(item: TransferItemView): Promise<void> {
  const job = await ferry().queueReorder({ id: item.jobId, toIndex: 0 });
  const own = job.ok ? await ferry().queueReorder({ id: item.id, toIndex: 0 }) : job;
  if (!own.ok) notifyError(`Could not move the transfer: ${own.error.message}`);
  await useQueueStore.getState().load();
}

/** Opens a downloaded file with the OS. */
export async function openDownloaded(item: TransferItemView): Promise<void> {
  const res = await ferry().fsOpen({ path: item.localPath });
  if (!res.ok) notifyError(`Open: ${res.error.message}`);
}
