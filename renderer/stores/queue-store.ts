import { create } from 'zustand';
import type { ItemState, QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { ferry } from '../ferry-api';

/** The queue panel's tabs. */
export type QueueTab = 'queued' | 'failed' | 'done';

/** Which tab an item belongs to: pending work, failures worth retrying, or finished. */
export function tabOf(state: ItemState): QueueTab {
  if (state === 'failed' || state === 'cancelled') return 'failed';
  if (state === 'done' || state === 'skipped') return 'done';
  return 'queued';
}

/** Queue state mirrored from main's `queue:update` events; the renderer never invents items. */
export interface QueueState {
  /** Items by id, in the order main first reported them. */
  readonly byId: ReadonlyMap<string, TransferItemView>;
  readonly items: readonly TransferItemView[];
  readonly totals: QueueUpdate['totals'];
  readonly paused: boolean;
  readonly counts: Readonly<Record<QueueTab, number>>;
  /** Applies a snapshot or delta from main. */
  apply(update: QueueUpdate): void;
  /** Replaces the queue with main's snapshot, in main's order. */
  load(): Promise<void>;
}

const emptyTotals: QueueUpdate['totals'] = { bytes: 0, transferred: 0, rate: 0, eta: null, queued: 0, active: 0, failed: 0, done: 0 };

/** Listeners told about items that just finished, so panes can refresh the folder they landed in. */
const finishedListeners = new Set<(items: TransferItemView[]) => void>();

/** Subscribes to items reaching `done`; returns the unsubscribe function. */
export function onItemsFinished(listener: (items: TransferItemView[]) => void): () => void {
  finishedListeners.add(listener);
  return () => finishedListeners.delete(listener);
}

/** The queue store. */
export const useQueueStore = create<QueueState>()((set, get) => ({
  byId: new Map(),
  items: [],
  totals: emptyTotals,
  paused: false,
  counts: { queued: 0, failed: 0, done: 0 },
  apply(update) {
    const next = new Map(get().byId);
    const finished: TransferItemView[] = [];
    for (const id of update.removed) next.delete(id);
    for (const item of update.items) {
      const before = next.get(item.id);
      if (item.state === 'done' && before?.state !== 'done') finished.push(item);
      next.set(item.id, item);
    }
    const items = [...next.values()];
    const counts = { queued: 0, failed: 0, done: 0 };
    for (const item of items) counts[tabOf(item.state)]++;
    set({ byId: next, items, totals: update.totals, paused: update.paused, counts });
    if (finished.length > 0) for (const l of finishedListeners) l(finished);
  },
  async load() {
    // A snapshot is the whole queue in main's order (reorders included): it replaces what we hold.
    const res = await ferry().queueSnapshot({});
    if (!res.ok) return;
    const previous = get().byId;
    const ordered = new Map<string, TransferItemView>();
    for (const item of res.value.items) ordered.set(item.id, previous.get(item.id) ?? item);
    set({ byId: ordered });
    get().apply({ ...res.value, removed: [] });
  },
}));

/** Test helper: forget every item. */
export function resetQueueStore(): void {
  useQueueStore.setState({ byId: new Map(), items: [], totals: emptyTotals, paused: false, counts: { queued: 0, failed: 0, done: 0 } });
}
