/** Which entries below a folder a recursive permission change touches (the folder counts as a folder). */
export type ChmodRecurse = 'all' | 'files' | 'folders';

export const CHMOD_RECURSE: readonly ChmodRecurse[] = ['all', 'files', 'folders'];

/** One entry whose permissions the server refused to change. */
export interface ChmodFailure {
  readonly path: string;
  readonly message: string;
}

/** The outcome of a permission change: refusals of single entries are counted, not fatal. */
export interface ChmodResult {
  readonly changed: number;
  readonly failed: number;
  /** The first few refusals, for the message shown to the user. */
  readonly failures: readonly ChmodFailure[];
}
