import type { LogLine } from '../../shared/model/log-line';
import type { LogSink } from '../core/logger';

/**
 * The live log: a bounded ring buffer of lines from every connection, flushed to listeners in
 * batches (a few times a second), never one event per line.
 */
export class LogBuffer implements LogSink {
  private readonly lines: (LogLine | undefined)[];
  private start = 0;
  private count = 0;
  private pending: LogLine[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly capacity: number,
    private readonly flush: (lines: LogLine[]) => void,
    private readonly intervalMs = 250,
  ) {
    this.lines = new Array<LogLine | undefined>(capacity);
  }

  write(line: LogLine): void {
    const at = (this.start + this.count) % this.capacity;
    this.lines[at] = line;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.pending.push(line);
    if (this.pending.length > this.capacity) this.pending = this.pending.slice(-this.capacity);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flushNow(), this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** The newest `limit` lines, oldest first. */
  snapshot(limit = this.capacity): LogLine[] {
    const n = Math.min(limit, this.count);
    const out: LogLine[] = [];
    for (let i = this.count - n; i < this.count; i++) out.push(this.lines[(this.start + i) % this.capacity]!);
    return out;
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flush(batch);
  }

  close(): void {
    this.flushNow();
  }
}
