/**
 * The selected items of a queue tab: their ids, the anchor a Shift+click range starts from, and
 * the lead (the row last clicked or moved to, where the arrow keys go on from).
 */
export interface QueueSelection {
  readonly ids: ReadonlySet<string>;
  readonly anchor: string | null;
  readonly lead: string | null;
}

export const NO_SELECTION: QueueSelection = { ids: new Set(), anchor: null, lead: null };

/** How a click or key extends the selection: Ctrl/Cmd toggles one, Shift takes the range from the anchor. */
export interface SelectModifiers {
  readonly toggle: boolean;
  readonly range: boolean;
}

/**
 * The selection after a click on `rows[index]`, as in a file manager: a plain click selects that
 * row alone, Ctrl/Cmd+click adds or removes it, Shift+click selects the range from the anchor
 * (added to the selection with Ctrl/Cmd as well).
 */
export function clickSelect(sel: QueueSelection, rows: readonly { id: string }[], index: number, mods: SelectModifiers): QueueSelection {
  const id = rows[index]?.id;
  if (id === undefined) return sel;
  if (mods.range) {
    const from = sel.anchor === null ? -1 : rows.findIndex((r) => r.id === sel.anchor);
    const start = from < 0 ? index : from;
    const ids = new Set(mods.toggle ? sel.ids : []);
    for (let i = Math.min(start, index); i <= Math.max(start, index); i++) ids.add(rows[i]!.id);
    return { ids, anchor: from < 0 ? id : sel.anchor, lead: id };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, lead: id };
  }
  return { ids: new Set([id]), anchor: id, lead: id };
}

/** Every row selected (Ctrl+A). */
export function selectAll(rows: readonly { id: string }[]): QueueSelection {
  const first = rows[0]?.id ?? null;
  return { ids: new Set(rows.map((r) => r.id)), anchor: first, lead: first };
}

/** The selected rows, in row order (ids of items that left the tab drop out). */
export function selectedRows<T extends { id: string }>(sel: QueueSelection, rows: readonly T[]): T[] {
  return sel.ids.size === 0 ? [] : rows.filter((r) => sel.ids.has(r.id));
}

/** The index of the lead row (where the arrow keys go on from), or -1. */
export function leadIndex(sel: QueueSelection, rows: readonly { id: string }[]): number {
  return sel.lead === null ? -1 : rows.findIndex((r) => r.id === sel.lead);
}
