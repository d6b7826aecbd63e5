import type { FerryErrorShape } from '../../shared/ipc/errors';
import type { ExistsAction } from '../../shared/ipc/prompts';
import type { Direction, ItemState, ItemStopping, ItemWaiting, TransferRequest } from '../../shared/model/transfer';

/** A job as persisted: what the user asked for plus what the engine decided for it. */
export interface JobRecord {
  readonly id: string;
  /** `localPath` and `remotePath` are the copy itself (cp -r semantics already resolved by the caller). */
  readonly request: TransferRequest;
  readonly createdAt: number;
  /**
   * The `queue:add` call (one user action: a drag, an upload of a selection) that created it; an
   * "apply to all" answer holds for every job of the batch. Absent in journals from before batches.
   */
  readonly batchId?: string;
}

/** One file to move, as persisted in the journal. Mutable inside the engine only. */
export interface ItemRecord {
  readonly id: string;
  readonly jobId: string;
  readonly direction: Direction;
  /** Path below the job's root, '/'-separated ('' for a single-file job): the dedupe key on re-walk. */
  readonly rel: string;
  localPath: string;
  remotePath: string;
  /** Source size as listed. */
  size: number;
  /** Source mtime as listed, ms. */
  readonly mtime: number | null;
  readonly mode: number | null;
  state: ItemState;
  attempts: number;
  /** Bytes known present at the destination (live; checkpoints only are journaled). */
  transferred: number;
  /** Bytes of the partial file made durable (fsync'd): the offset a restart may resume from. */
  checkpoint?: number;
  /** Written in place (no rename on this server): resume appends to the final name. */
  inPlace?: boolean;
  /** Its folder was created by this job's walk, so nothing else can be in the way at first. */
  freshDir?: boolean;
  /** Live only, never journaled: what the active item waits for before bytes move. */
  waiting?: ItemWaiting;
  /** Live only, never journaled: the active item is being paused or cancelled. */
  stopping?: ItemStopping;
  /** The file-exists decision taken for this item, so a resume does not ask twice. */
  decided?: ExistsAction;
  error?: FerryErrorShape;
  verification?: string;
}

/**
 * Every change to the queue is one of these records: applied to the in-memory state and appended
 * to the journal, so a replay of the journal rebuilds exactly the state the process had.
 */
export type QueueRecord =
  | { readonly t: 'job'; readonly job: JobRecord }
  | { readonly t: 'items'; readonly items: readonly ItemRecord[] }
  | { readonly t: 'walked'; readonly jobId: string }
  | {
      readonly t: 'state';
      readonly id: string;
      readonly state: ItemState;
      readonly error?: FerryErrorShape;
      readonly verification?: string;
      readonly attempts?: number;
      readonly size?: number;
    }
  | { readonly t: 'ck'; readonly id: string; readonly offset: number; readonly inPlace?: boolean }
  | { readonly t: 'decide'; readonly id: string; readonly action: ExistsAction; readonly localPath?: string; readonly remotePath?: string }
  | { readonly t: 'policy'; readonly jobId: string; readonly action: ExistsAction }
  | { readonly t: 'batch-policy'; readonly batchId: string; readonly action: ExistsAction }
  | { readonly t: 'move'; readonly id: string; readonly toIndex: number }
  | { readonly t: 'remove'; readonly ids: readonly string[] }
  | { readonly t: 'paused'; readonly paused: boolean }
  | { readonly t: 'job-paused'; readonly jobId: string; readonly paused: boolean };

/** States an item never leaves on its own. */
export const FINISHED_STATES: ReadonlySet<ItemState> = new Set<ItemState>(['done', 'failed', 'skipped', 'cancelled']);
