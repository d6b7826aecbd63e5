import { COLUMN_WIDTH_LIMITS, RESIZABLE_COLUMNS, type AppSettings, type ResizableColumn } from '../../shared/ipc/contract';
import { FerryError } from '../core/ferry-error';

const THEMES = ['system', 'light', 'dark'] as const;
const LOG_LEVELS = ['debug', 'info'] as const;
const ON_EXISTS = ['ask', 'overwrite', 'newer', 'resume', 'rename', 'skip'] as const;

function invalid(message: string): never {
  throw new FerryError('invalid-request', message);
}

function oneOf<T extends string>(value: unknown, values: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) invalid(`${what} must be one of ${values.join(', ')}`);
  return value as T;
}

function whole(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) invalid(`${what} must be a whole number from ${min} to ${max}`);
  return value;
}

/** Resized column widths: known columns only, whole pixels within the limits. */
function columnWidths(value: unknown): Partial<Record<ResizableColumn, number>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('The column widths must be an object');
  const out: Partial<Record<ResizableColumn, number>> = {};
  for (const [key, width] of Object.entries(value)) {
    if (!(RESIZABLE_COLUMNS as readonly string[]).includes(key)) invalid(`"${key.slice(0, 40)}" is not a resizable column`);
    out[key as ResizableColumn] = whole(width, COLUMN_WIDTH_LIMITS.min, COLUMN_WIDTH_LIMITS.max, 'A column width');
  }
  return out;
}

/** Resized column widths of each pane: `local` and `remote` only. */
function paneColumnWidths(value: unknown): NonNullable<AppSettings['layout']['paneColumns']> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('The pane column widths must be an object');
  const out: { local?: Partial<Record<ResizableColumn, number>>; remote?: Partial<Record<ResizableColumn, number>> } = {};
  for (const [side, widths] of Object.entries(value)) {
    if (side !== 'local' && side !== 'remote') invalid(`"${side.slice(0, 40)}" is not a pane`);
    out[side] = columnWidths(widths);
  }
  return out;
}

/**
 * Applies a partial update to settings, checking each given field; unknown fields are refused by
 * name. Returns a new object: the current one is never changed, and a bad update changes nothing.
 */
export function validateSettings(current: AppSettings, patch: Partial<AppSettings>): AppSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) invalid('Settings must be an object');
  const next: { -readonly [K in keyof AppSettings]: AppSettings[K] } = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    switch (key) {
      case 'theme':
        next.theme = oneOf(value, THEMES, 'The theme');
        break;
      case 'parallel':
        next.parallel = whole(value, 1, 16, 'Parallel transfers');
        break;
      case 'timeoutSec':
        next.timeoutSec = whole(value, 1, 3600, 'The timeout');
        break;
      case 'logLevel':
        next.logLevel = oneOf(value, LOG_LEVELS, 'The log level');
        break;
      case 'onExists':
        next.onExists = oneOf(value, ON_EXISTS, 'The file-exists default');
        break;
      case 'layout': {
        const l = value as Partial<AppSettings['layout']> | null;
        if (typeof l !== 'object' || l === null || Array.isArray(l)) invalid('The layout must be an object');
        const paneSplit = l.paneSplit ?? current.layout.paneSplit;
        if (typeof paneSplit !== 'number' || !Number.isFinite(paneSplit) || paneSplit < 0 || paneSplit > 1) invalid('The pane split must be between 0 and 1');
        const columns = l.columns === undefined ? current.layout.columns : columnWidths(l.columns);
        const paneColumns = l.paneColumns === undefined ? current.layout.paneColumns : paneColumnWidths(l.paneColumns);
        next.layout = {
          paneSplit,
          queueHeight: whole(l.queueHeight ?? current.layout.queueHeight, 0, 10_000, 'The queue height'),
          ...(columns ? { columns } : {}),
          ...(paneColumns ? { paneColumns } : {}),
        };
        break;
      }
      default:
        invalid(`"${key.slice(0, 40)}" is not a setting`);
    }
  }
  return next;
}
