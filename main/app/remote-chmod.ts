import type { ChmodFailure, ChmodRecurse, ChmodResult } from '../../shared/model/chmod';
import type { ErrorCode } from '../../shared/ipc/errors';
import { FerryError, toFerryError } from '../core/ferry-error';
import { joinRemote, type RemoteFs } from '../protocols/remote-fs';

/** Refusals listed by name in the result; the rest are only counted. */
export const MAX_LISTED_CHMOD_FAILURES = 20;

/** Errors about one entry: recorded, and the walk goes on. Anything else ends it. */
const PER_ENTRY: ReadonlySet<ErrorCode> = new Set(['permission-denied', 'no-such-file', 'unsafe-path']);

export interface ChmodTreeOptions {
  readonly recurse?: ChmodRecurse;
  readonly signal?: AbortSignal;
}

/**
 * Sets `mode` on `path`. With `recurse`, a folder's whole tree is walked too (depth first, one
 * listing at a time) and `recurse` says which entries get the mode: 'all', only 'files' or only
 * 'folders' (the top folder included). Symbolic links are neither changed nor entered: changing
 * a link changes whatever it points to, which may be outside the tree. Without `recurse` a
 * failure rejects as before; with it, entries the server refuses are counted and the first few
 * named, while a lost connection, a timeout or a server without permission support ends the walk.
 */
export async function chmodTree(fs: RemoteFs, path: string, mode: number, options: ChmodTreeOptions = {}): Promise<ChmodResult> {
  const { recurse, signal } = options;
  if (!recurse) {
    await fs.chmod(path, mode);
    return { changed: 1, failed: 0, failures: [] };
  }
  const walk = new TreeChmod(fs, mode, recurse, signal);
  const top = await fs.stat(path);
  if (top.type === 'dir') await walk.folder(path);
  else if (top.type === 'file' && recurse !== 'folders') await walk.apply(path);
  return walk.result();
}

class TreeChmod {
  private changed = 0;
  private failed = 0;
  private readonly failures: ChmodFailure[] = [];

  constructor(
    private readonly fs: RemoteFs,
    private readonly mode: number,
    private readonly recurse: ChmodRecurse,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The folder first (so a folder made readable can then be listed), then what is inside. */
  async folder(top: string): Promise<void> {
    const pending = [top];
    while (pending.length > 0) {
      const dir = pending.pop()!;
      const applied = this.recurse === 'files' || (await this.apply(dir));
      let entries;
      try {
        entries = await this.fs.list(dir, this.signal);
      } catch (err) {
        // One refusal per folder: a folder the server would not change is not counted again.
        if (applied) this.refused(dir, err);
        else if (!PER_ENTRY.has(toFerryError(err).code)) throw toFerryError(err);
        continue;
      }
      for (const e of entries) {
        const p = joinRemote(dir, e.name);
        if (e.type === 'dir') pending.push(p);
        else if (e.type === 'file' && this.recurse !== 'folders') await this.apply(p);
      }
    }
  }

  /** True when the server changed it. */
  async apply(path: string): Promise<boolean> {
    if (this.signal?.aborted) throw new FerryError('cancelled', 'cancelled');
    try {
      await this.fs.chmod(path, this.mode);
      this.changed++;
      return true;
    } catch (err) {
      this.refused(path, err);
      return false;
    }
  }

  result(): ChmodResult {
    return { changed: this.changed, failed: this.failed, failures: this.failures };
  }

  private refused(path: string, err: unknown): void {
    const e = toFerryError(err);
    if (!PER_ENTRY.has(e.code)) throw e;
    this.failed++;
    if (this.failures.length < MAX_LISTED_CHMOD_FAILURES) this.failures.push({ path, message: e.message });
  }
}
