import type { ItemState } from '../../shared/model/transfer';

/** Work still to do: an item in one of these states opens a batch or keeps it open. */
export const PENDING_STATES: ReadonlySet<ItemState> = new Set<ItemState>(['queued', 'active', 'paused']);

/** Members in these states count in neither number: their bytes will not move (unless retried). */
const LEFT_OUT: ReadonlySet<ItemState> = new Set<ItemState>(['failed', 'cancelled', 'skipped']);

/**
 * The current batch of activity: the items overall progress (bar, rate, ETA) measures, the way
 * FileZilla's and Cyberduck's overall bars do.
 *
 * - The queue is *drained* when no item is queued, active or paused (paused work is still work
 *   to do) and no job is being walked.
 * - An item that becomes pending (added, retried, resumed) while the queue is drained opens a new
 *   batch; items that finished before it opened are not in it. While the batch is open, every
 *   item that becomes pending joins it.
 * - `bytes` is the sum of the sizes of members that are pending or done; `transferred` the bytes
 *   present of those (a done member counts its whole size). Failed, cancelled and skipped
 *   members count in neither: a failure is not progress and its bytes are no longer work that
 *   will happen. A retried member is pending again and counts again (in a new batch if the queue
 *   drained meanwhile).
 * - A removed (cleared) member leaves both numbers at once.
 * - When the batch drains its numbers stay (all done: 100 %) until the next batch opens, so the
 *   last update of a run (the CLI's final line) shows what the run did.
 */
export class ActivityBatch {
  private readonly members = new Set<string>();
  private pending = 0;
  private drained = true;

  /**
   * An item went from `before` to `after` (undefined: not in the queue). Returns true when it
   * just joined the batch as pending work.
   */
  change(id: string, before: ItemState | undefined, after: ItemState | undefined, walking: boolean): boolean {
    const was = before !== undefined && PENDING_STATES.has(before);
    const is = after !== undefined && PENDING_STATES.has(after);
    let joined = false;
    if (is && !was) {
      if (this.drained) {
        this.members.clear();
        this.drained = false;
      }
      this.members.add(id);
      this.pending++;
      joined = true;
    } else if (was && !is) this.pending--;
    if (after === undefined) this.members.delete(id);
    this.settle(walking);
    return joined;
  }

  /** Drains the batch when nothing is pending and no job is being walked. */
  settle(walking: boolean): void {
    if (this.pending <= 0 && !walking) {
      this.pending = 0;
      this.drained = true;
    }
  }

  /** Whether an item in `state` counts in the batch's bytes. */
  counts(id: string, state: ItemState): boolean {
    return !LEFT_OUT.has(state) && this.members.has(id);
  }
}
