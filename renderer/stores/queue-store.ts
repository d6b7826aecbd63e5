import { create } from 'zustand';
import type { ItemState, ItemStopping, QueueUpdate, TransferItemView } from '../../shared/model/transfer';
import { ferry } from '../ferry-api';

/** The queue panel's tabs. */
export type QueueTab = 'queued' | 'failed' | 'done';

/** Which tab an item belongs to: pending work, failures worth retrying, or finished. */
export function tabOf(state: ItemState): QueueTab {
  if (state === 'failed' || state === 'cancelled') return 'failed';
  if (state === 'done' || state === 'skipped') return 'done';
  return 'queued';
}

/** A queue control the window sends to main. */
export type QueueControl = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove' | 'clear-done' | 'clear-failed';

/** States a pause or cancel the user asked for can still change (an item past them shows its state). */
const STOPPABLE: Readonly<Record<ItemStopping, ReadonlySet<ItemState>>> = {
  pausing: new Set<ItemState>(['queued', 'active']),
  cancelling: new Set<ItemState>(['queued', 'active', 'paused']),
};

/**
 * What is being done to an item: main's report of an active item it is stopping, else a pause
 * or cancel the user asked for that main has not answered yet.
 */
export function stoppingOf(item: TransferItemView, requested: ReadonlyMap<string, ItemStopping>): ItemStopping | undefined {
  if (item.stopping) return item.stopping;
  const asked = requested.get(item.id);
  return asked && STOPPABLE[asked].has(item.state) ? asked : undefined;
}

/** Queue state mirrored from main's `queue:update` events; the renderer never invents items. */
export interface QueueState {
  /** Items by id, in the order main first reported them. */
  readonly byId: ReadonlyMap<string, TransferItemView>;
  readonly items: readonly TransferItemView[];
  readonly totals: QueueUpdate['totals'];
  readonly paused: boolean;
  readonly counts: Readonly<Record<QueueTab, number>>;
  /** Pauses and cancels the user asked for, by item, until main answers the request. */
  readonly requested: ReadonlyMap<string, ItemStopping>;
  /** Controls sent to main and not answered yet: their buttons wait, so a second press sends nothing. */
  readonly busy: ReadonlySet<QueueControl>;
  /** Marks a control as sent (and its items as being stopped); false when it is already under way. */
  begin(control: QueueControl, ids: readonly string[], stopping?: ItemStopping): boolean;
  /** Main answered the control: its marks go, main's own reports (`stopping`, the new state) stay. */
  end(control: QueueControl, ids: readonly string[]): void;
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
  requested: new Map(),
  busy: new Set(),
  begin(control, ids, stopping) {
    const { busy, requested } = get();
    if (busy.has(control)) return false;
    const marks = new Map(requested);
    if (stopping) for (const id of ids) marks.set(id, stopping);
    set({ busy: new Set(busy).add(control), requested: stopping ? marks : requested });
    return true;
  },
  end(control, ids) {
    const busy = new Set(get().busy);
    busy.delete(control);
    const requested = new Map(get().requested);
    for (const id of ids) requested.delete(id);
    set({ busy, requested });
  },
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
  useQueueStore.setState({ byId: new Map(), items: [], totals: emptyTotals, paused: false, counts: { queued: 0, failed: 0, done: 0 }, requested: new Map(), busy: new Set() });
}
