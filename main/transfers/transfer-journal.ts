import { open, readFile, rename, rm, mkdir, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import { fastLocal } from './fast-local';
import type { QueueRecord } from './queue-records';

/** What a replay found: the records in order, and how many lines were unreadable (a torn tail). */
export interface JournalReplay {
  readonly records: QueueRecord[];
  readonly corruptLines: number;
}

/**
 * The queue's append-only JSONL journal in the state dir. Appends are batched and written in
 * order; `sync` appends also fsync before resolving. The journal never claims more than is true:
 * callers append "done" after the rename, checkpoints after the partial file was fsync'd, so a
 * record lost to a crash only makes a restart redo a little work.
 */
export class TransferJournal {
  private fh: FileHandle | undefined;
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private lines = 0;
  private closed = false;
  private batch: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly logger?: Logger,
  ) {}

  /** Reads every record (a torn or corrupt line is skipped with a warning) and opens for append. */
  async open(): Promise<JournalReplay> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FerryError('internal', `cannot read the queue journal ${this.path}`, String(err));
    }
    const records: QueueRecord[] = [];
    let corruptLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const rec = JSON.parse(line) as QueueRecord;
        if (rec && typeof rec === 'object' && typeof rec.t === 'string') records.push(rec);
        else corruptLines++;
      } catch {
        corruptLines++;
      }
    }
    if (corruptLines > 0) this.logger?.log('warn', `queue journal: skipped ${corruptLines} unreadable line(s) (a torn write from a crash)`);
    this.lines = records.length;
    this.fh = await open(this.path, 'a', 0o600);
    // A torn last line must not glue onto the next record.
    if (text.length > 0 && !text.endsWith('\n')) await this.fh.write('\n');
    return { records, corruptLines };
  }

  /** Lines appended since the last compaction (drives when to compact). */
  get size(): number {
    return this.lines;
  }

  /** Queues a record; with `sync`, resolves once it (and all before it) is on disk. */
  append(rec: QueueRecord, options: { sync?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending.push(`${JSON.stringify(rec)}\n`);
    this.lines++;
    if (options.sync) return this.flush(true);
    // Records made in one turn of the event loop go out in one write.
    this.batch ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.batch = undefined;
        void this.flush(false).then(resolve);
      }),
    );
    return this.batch;
  }

  /** Writes what is queued; with `sync`, also fsyncs. */
  flush(sync = false): Promise<void> {
    const run = async (): Promise<void> => {
      const fh = this.fh;
      if (!fh) return;
      try {
        if (this.pending.length > 0) {
          const text = this.pending.join('');
          this.pending = [];
          await fastLocal.write(fh, text);
        }
        if (sync) await fh.sync();
      } catch (err) {
        // The queue keeps running; only durability is lost. Say so loudly.
        this.logger?.log('error', `queue journal: cannot write ${this.path}: ${(err as Error).message}`);
      }
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /**
   * Replaces the journal with `records` (the live state, finished history trimmed): written to a
   * temporary file, fsync'd, renamed over the journal, so a crash leaves the old or the new one.
   */
  compact(records: readonly QueueRecord[]): Promise<void> {
    const run = async (): Promise<void> => {
      if (!this.fh) return;
      const text = this.pending.join('');
      this.pending = [];
      if (text) await this.fh.write(text);
      const temp = `${this.path}.compact`;
      const out = await open(temp, 'w', 0o600);
      try {
        const CHUNK = 1000;
        for (let i = 0; i < records.length; i += CHUNK) {
          await out.write(records.slice(i, i + CHUNK).map((r) => `${JSON.stringify(r)}\n`).join(''));
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await this.fh.close();
      await rename(temp, this.path);
      await syncDir(dirname(this.path));
      this.fh = await open(this.path, 'a', 0o600);
      this.lines = records.length;
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /** Flushes, fsyncs and closes; safe twice. With `remove`, deletes the journal (nothing left to resume). */
  async close(options: { remove?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    // A journal about to be removed need not reach the disk first.
    await this.flush(options.remove !== true).catch(() => undefined);
    this.closed = true;
    await this.chain.catch(() => undefined);
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    if (options.remove) await rm(this.path, { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}
