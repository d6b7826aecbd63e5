import type { RemoteEntry } from '../../shared/model/remote-entry';

/** Columns a pane can sort by. */
export type SortKey = 'name' | 'size' | 'mtime' | 'mode' | 'owner';

/** A pane's sort order: folders always come first, then this key. */
export interface SortSpec {
  readonly key: SortKey;
  readonly dir: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareBy(key: SortKey, a: RemoteEntry, b: RemoteEntry): number {
  switch (key) {
    case 'size':
      return a.size - b.size;
    case 'mtime':
      return (a.mtime ?? 0) - (b.mtime ?? 0);
    case 'mode':
      return (a.mode ?? -1) - (b.mode ?? -1);
    case 'owner':
      return collator.compare(a.owner ?? '', b.owner ?? '');
    default:
      return collator.compare(a.name, b.name);
  }
}

/** Whether an entry is shown under a pane's hidden-files switch and filter (sort aside). */
export function rowFilter(opts: { filter: string; showHidden: boolean }): (entry: RemoteEntry) => boolean {
  const matches = nameMatcher(opts.filter);
  return (e) => (opts.showHidden || !e.name.startsWith('.')) && matches(e.name);
}

/**
 * A filter's test of a name, ignoring case: plain text matches anywhere in the name; text with
 * `*` (any run of characters) or `?` (one character) is a pattern for the whole name ("*.txt").
 */
export function nameMatcher(filter: string): (name: string) => boolean {
  const needle = filter.trim();
  if (needle === '') return () => true;
  if (!/[*?]/.test(needle)) {
    const lower = needle.toLowerCase();
    return (name) => name.toLowerCase().includes(lower);
  }
  const source = [...needle].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  const pattern = new RegExp(`^${source}$`, 'isu');
  return (name) => pattern.test(name);
}

/**
 * The rows a pane shows: hidden entries dropped unless asked for, the filter applied
 * (case-insensitive text or * ? pattern), folders first, then the sort key with name as tie-break.
 */
export function visibleEntries(
  entries: readonly RemoteEntry[],
  opts: { sort: SortSpec; filter: string; showHidden: boolean },
): RemoteEntry[] {
  const rows = entries.filter(rowFilter(opts));
  const sign = opts.sort.dir === 'asc' ? 1 : -1;
  const isDir = (e: RemoteEntry): boolean => e.type === 'dir';
  const sorted = rows.length >= PRESORT_MIN ? presortByName(rows) : rows;
  return sorted.sort((a, b) => {
    if (isDir(a) !== isDir(b)) return isDir(a) ? -1 : 1;
    const c = compareBy(opts.sort.key, a, b);
    return c !== 0 ? c * sign : collator.compare(a.name, b.name) * sign;
  });
}

/** From this many rows on, the rows are put in rough name order before the real sort. */
const PRESORT_MIN = 1000;

/**
 * Rows in plain code-unit order of their lower-cased names. The collator's numeric comparison
 * costs about a microsecond a call; fed rows that are already nearly in order (as readdir's hash
 * order is not), the real sort needs a fraction of the comparisons: 100,000 names sort in about
 * a third of the time. The order is the collator's; only names it finds equal ("A" and "a")
 * now keep this pre-order instead of readdir's.
 */
function presortByName(rows: readonly RemoteEntry[]): RemoteEntry[] {
  const keyed = rows.map((entry) => ({ entry, key: entry.name.toLowerCase() }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.entry);
}

/** Total bytes and counts of a set of entries, for the status line. */
export function summarize(entries: readonly RemoteEntry[]): { files: number; dirs: number; bytes: number } {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  for (const e of entries) {
    if (e.type === 'dir') dirs++;
    else files++;
    bytes += e.type === 'dir' ? 0 : e.size;
  }
  return { files, dirs, bytes };
}
