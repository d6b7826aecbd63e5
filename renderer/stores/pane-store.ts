import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { FerryErrorShape, Result } from '../../shared/ipc/errors';
import type { Listing, RemoteEntry } from '../../shared/model/remote-entry';
import { errorShape, unwrap } from '../lib/result';
import { baseName, parentPath, resolveTypedPath } from '../lib/paths';
import { rowFilter, type SortKey, type SortSpec } from './pane-view';

/** How a pane selection changes on a click: plain, ctrl/cmd (toggle) or shift (range). */
export type SelectMode = 'single' | 'toggle' | 'range';

/** State and actions of one file pane (local or remote); the listing always comes from main. */
export interface PaneState {
  readonly path: string;
  readonly entries: readonly RemoteEntry[];
  readonly loading: boolean;
  readonly error: FerryErrorShape | null;
  readonly history: readonly string[];
  readonly historyIndex: number;
  readonly sort: SortSpec;
  readonly filter: string;
  readonly showHidden: boolean;
  /** Selected entry names in the current folder. */
  readonly selected: ReadonlySet<string>;
  /** Where shift-selection ranges start. */
  readonly anchor: string | null;
  /** The row with keyboard focus. */
  readonly cursor: string | null;
  /** Opens a folder; a relative path is taken from the current folder, "." and ".." resolved, "~" is home. */
  navigate(path: string): Promise<boolean>;
  refresh(): Promise<boolean>;
  back(): Promise<void>;
  forward(): Promise<void>;
  up(): Promise<void>;
  setSort(key: SortKey): void;
  setFilter(filter: string): void;
  toggleHidden(): void;
  select(name: string, mode: SelectMode, orderedNames: readonly string[]): void;
  setSelection(names: readonly string[], cursor?: string | null): void;
  reset(): void;
}

/** Where a pane's listings come from: `fs:list` for the local pane, `session:list` for the remote. */
export type Lister = (path: string) => Promise<Result<Listing>>;

/** A pane store as a React hook with `getState()` for non-React callers. */
export type PaneStore = UseBoundStore<StoreApi<PaneState>>;

const initial = {
  path: '',
  entries: [] as readonly RemoteEntry[],
  loading: false,
  error: null,
  history: [] as readonly string[],
  historyIndex: -1,
  filter: '',
  selected: new Set<string>() as ReadonlySet<string>,
  anchor: null,
  cursor: null,
};

type ViewFields = Pick<PaneState, 'entries' | 'filter' | 'showHidden' | 'selected' | 'anchor' | 'cursor'>;

/**
 * Selection, anchor and cursor cut down to the rows `view` shows: a row the filter or the
 * hidden-files switch hides leaves the selection, so Delete or a transfer never acts on a file
 * the user cannot see. Unchanged fields keep their identity.
 */
function withinView(view: ViewFields): Pick<PaneState, 'selected' | 'anchor' | 'cursor'> {
  const shown = rowFilter(view);
  const visible = new Set(view.entries.filter(shown).map((e) => e.name));
  const kept = [...view.selected].filter((n) => visible.has(n));
  return {
    selected: kept.length === view.selected.size ? view.selected : new Set(kept),
    anchor: view.anchor !== null && visible.has(view.anchor) ? view.anchor : null,
    cursor: view.cursor !== null && visible.has(view.cursor) ? view.cursor : null,
  };
}

/**
 * Creates one pane store. Navigation only commits (path, entries, history) once main has
 * returned the listing, so a failed `cd` leaves the pane where it was, with the error shown.
 */
export function createPaneStore(getLister: () => Lister | null, getHome: () => string | null = () => null): PaneStore {
  let generation = 0;
  return create<PaneState>()((set, get) => {
    async function load(path: string, history: 'push' | 'keep' | { index: number }): Promise<boolean> {
      const lister = getLister();
      if (!lister) return false;
      const gen = ++generation;
      set({ loading: true, error: null });
      try {
        const listing = await unwrap(lister(path));
        if (gen !== generation) return false;
        const s = get();
        const samePath = listing.path === s.path;
        let hist = s.history;
        let index = s.historyIndex;
        if (history === 'push' && !samePath) {
          hist = [...s.history.slice(0, s.historyIndex + 1), listing.path];
          index = hist.length - 1;
        } else if (typeof history === 'object') {
          index = history.index;
        }
        const view: ViewFields = samePath
          ? { entries: listing.entries, filter: s.filter, showHidden: s.showHidden, selected: s.selected, anchor: s.anchor, cursor: s.cursor }
          : { entries: listing.entries, filter: '', showHidden: s.showHidden, selected: new Set(), anchor: null, cursor: null };
        set({
          path: listing.path,
          entries: listing.entries,
          loading: false,
          history: hist,
          historyIndex: index,
          filter: view.filter,
          ...withinView(view),
        });
        return true;
      } catch (err) {
        if (gen === generation) set({ loading: false, error: errorShape(err) });
        return false;
      }
    }

    return {
      ...initial,
      sort: { key: 'name', dir: 'asc' },
      showHidden: false,
      navigate: (path) => load(resolveTypedPath(get().path, path, getHome()), 'push'),
      refresh: () => (get().path ? load(get().path, 'keep') : Promise.resolve(false)),
      async back() {
        const { history, historyIndex } = get();
        const target = history[historyIndex - 1];
        if (target !== undefined) await load(target, { index: historyIndex - 1 });
      },
      async forward() {
        const { history, historyIndex } = get();
        const target = history[historyIndex + 1];
        if (target !== undefined) await load(target, { index: historyIndex + 1 });
      },
      async up() {
        const { path } = get();
        const parent = parentPath(path);
        if (!path || parent === path) return;
        // Like file managers do: the folder just left is selected in its parent.
        const child = baseName(path);
        if ((await load(parent, 'push')) && get().entries.some((e) => e.name === child)) {
          set(withinView({ ...get(), selected: new Set([child]), anchor: child, cursor: child }));
        }
      },
      setSort(key) {
        const { sort } = get();
        set({ sort: { key, dir: sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc' } });
      },
      setFilter: (filter) => set((s) => ({ filter, ...withinView({ ...s, filter }) })),
      toggleHidden: () => set((s) => ({ showHidden: !s.showHidden, ...withinView({ ...s, showHidden: !s.showHidden }) })),
      select(name, mode, orderedNames) {
        const s = get();
        if (mode === 'toggle') {
          const next = new Set(s.selected);
          if (next.has(name)) next.delete(name);
          else next.add(name);
          set({ selected: next, anchor: name, cursor: name });
        } else if (mode === 'range' && s.anchor !== null) {
          const a = orderedNames.indexOf(s.anchor);
          const b = orderedNames.indexOf(name);
          if (a < 0 || b < 0) {
            set({ selected: new Set([name]), anchor: name, cursor: name });
            return;
          }
          const [lo, hi] = a < b ? [a, b] : [b, a];
          set({ selected: new Set(orderedNames.slice(lo, hi + 1)), cursor: name });
        } else {
          set({ selected: new Set([name]), anchor: name, cursor: name });
        }
      },
      setSelection(names, cursor) {
        const s = get();
        const { selected, cursor: shownCursor } = withinView({ ...s, selected: new Set(names), cursor: cursor === undefined ? s.cursor : cursor });
        set({ selected, cursor: shownCursor });
      },
      reset() {
        generation++;
        set({ ...initial });
      },
    };
  });
}
