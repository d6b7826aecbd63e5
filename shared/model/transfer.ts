import type { ConnectionTarget } from './connection';
import type { FerryErrorShape } from '../ipc/errors';
import type { ExistsAction } from '../ipc/prompts';

export type Direction = 'upload' | 'download';

export type ItemState = 'queued' | 'active' | 'paused' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** What a user asked for: one file or folder to move, before expansion into items. */
export interface TransferRequest {
  readonly direction: Direction;
  readonly target: ConnectionTarget;
  /** Session whose credentials to reuse, when started from the GUI. */
  readonly sessionId?: string;
  readonly localPath: string;
  readonly remotePath: string;
  readonly recursive: boolean;
  readonly onExists?: ExistsAction | 'ask';
}

/** One file in the queue, as the renderer and the CLI see it: plain data. */
export interface TransferItemView {
  readonly id: string;
  readonly jobId: string;
  readonly direction: Direction;
  readonly localPath: string;
  readonly remotePath: string;
  readonly size: number;
  readonly transferred: number;
  readonly state: ItemState;
  /** Bytes per second, smoothed. */
  readonly rate: number;
  /** Seconds left, or null when unknown. */
  readonly eta: number | null;
  readonly attempts: number;
  readonly error?: FerryErrorShape;
  /** e.g. "sha256 verified", "size verified". */
  readonly verification?: string;
  /** An active item that is not moving bytes yet: waiting for a connection or for the user's answer. */
  readonly waiting?: ItemWaiting;
  /**
   * An active item the user asked to pause or cancel, until its transfer has stopped and it is
   * paused (or back in line) or cancelled: what the window shows as "Pausing…" / "Cancelling…".
   */
  readonly stopping?: ItemStopping;
}

/** What an active item is being stopped for. */
export type ItemStopping = 'pausing' | 'cancelling';

/** What an active item waits for before its bytes can move. */
export type ItemWaiting = 'connection' | 'answer';

/** A snapshot or delta of the queue, batched a few times a second. */
export interface QueueUpdate {
  readonly items: readonly TransferItemView[];
  /** Ids removed since the last update (cleared). */
  readonly removed: readonly string[];
  readonly totals: {
    readonly bytes: number;
    readonly transferred: number;
    readonly rate: number;
    readonly eta: number | null;
    readonly queued: number;
    readonly active: number;
    readonly failed: number;
    readonly done: number;
  };
  readonly paused: boolean;
}
