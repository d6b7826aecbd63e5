import { create } from 'zustand';
import type { LogLevel, LogLine } from '../../shared/model/log-line';
import { ferry } from '../ferry-api';
import { LogRing } from './log-ring';

/** How many lines the panel keeps; older ones scroll out. */
export const LOG_CAPACITY = 200_000;

/** Every level, in display order. */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'command', 'reply', 'debug'];

/** Live log state: a ring buffer (mutated in place) and a version that changes on each append. */
export interface LogState {
  readonly ring: LogRing<LogLine>;
  readonly version: number;
  /** Known sources (connections), in first-seen order. */
  readonly sources: readonly string[];
  readonly levels: ReadonlySet<LogLevel>;
  /** '' = all sources. */
  readonly source: string;
  readonly text: string;
  append(lines: readonly LogLine[]): void;
  toggleLevel(level: LogLevel): void;
  setSource(source: string): void;
  setText(text: string): void;
  clear(): void;
  load(): Promise<void>;
}

/** The log store. Lines arrive batched from main, already redacted. */
export const useLogStore = create<LogState>()((set, get) => ({
  ring: new LogRing<LogLine>(LOG_CAPACITY),
  version: 0,
  sources: [],
  levels: new Set(LOG_LEVELS),
  source: '',
  text: '',
  append(lines) {
    if (lines.length === 0) return;
    const s = get();
    let lastSeq = s.ring.size > 0 ? (s.ring.at(s.ring.size - 1)?.seq ?? -1) : -1;
    const fresh = lines.filter((l) => {
      if (l.seq <= lastSeq) return false;
      lastSeq = l.seq;
      return true;
    });
    if (fresh.length === 0) return;
    s.ring.push(fresh);
    let sources = s.sources;
    for (const l of fresh) if (!sources.includes(l.source)) sources = [...sources, l.source];
    set({ version: s.version + 1, sources });
  },
  toggleLevel(level) {
    const levels = new Set(get().levels);
    if (levels.has(level)) levels.delete(level);
    else levels.add(level);
    set({ levels });
  },
  setSource: (source) => set({ source }),
  setText: (text) => set({ text }),
  clear() {
    get().ring.clear();
    set((s) => ({ version: s.version + 1 }));
  },
  async load() {
    const res = await ferry().logSnapshot({ limit: LOG_CAPACITY });
    if (res.ok) get().append(res.value);
  },
}));

/** The lines that pass the current filters, oldest first. */
export function filterLog(
  ring: LogRing<LogLine>,
  opts: { levels: ReadonlySet<LogLevel>; source: string; text: string },
): LogLine[] {
  const needle = opts.text.toLowerCase();
  const all = ring.toArray();
  if (opts.levels.size === LOG_LEVELS.length && !opts.source && !needle) return all;
  return all.filter(
    (l) =>
      opts.levels.has(l.level) &&
      (!opts.source || l.source === opts.source) &&
      (!needle || l.text.toLowerCase().includes(needle)),
  );
}

/** Lines as plain text, one per line, for copy and export. */
export function logToText(lines: readonly LogLine[]): string {
  return lines
    .map((l) => `${new Date(l.time).toISOString()} ${l.level.toUpperCase().padEnd(7)} [${l.source}] ${l.text}`)
    .join('\n');
}
