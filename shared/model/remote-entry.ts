/** Kind of a directory entry, as reported by the server (links are never followed for this). */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One row of a local or remote listing: plain readonly data. */
export interface RemoteEntry {
  readonly name: string;
  readonly type: EntryType;
  /** Bytes; 0 for folders when unknown. */
  readonly size: number;
  /** Milliseconds since the epoch, or null when the server gives none. */
  readonly mtime: number | null;
  /** Permission bits (e.g. 0o644), or null when unknown. */
  readonly mode: number | null;
  readonly owner?: string;
  readonly group?: string;
  /** For symlinks, where the link points, when known. */
  readonly linkTarget?: string;
}

/** A listing of one folder. */
export interface Listing {
  readonly path: string;
  readonly entries: readonly RemoteEntry[];
}
