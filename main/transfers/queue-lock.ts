import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../core/ferry-error';

/** A lock file without a readable pid is an owner still writing it for this long (old style). */
const UNREADABLE_GRACE_MS = 10_000;
const ATTEMPTS = 5;

/**
 * One process per journal: a lock file holding the owner's pid. A lock left by a process that no
 * longer runs (a crash, kill -9) is taken over; a live owner makes `acquire` fail clearly.
 *
 * The lock appears with its pid already in it (written to a private file, then hard-linked to
 * the lock's name, which fails if the name exists), so a second process starting at the same
 * moment never reads an empty lock and mistakes it for a stale one. A stale lock is moved aside
 * by rename, and deleted only if what was moved is still the dead owner's (else it is put back).
 */
export class QueueLock {
  private held = false;

  constructor(readonly path: string) {}

  async acquire(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await this.create()) {
        this.held = true;
        return;
      }
      const owner = await readOwner(this.path);
      if (!owner) continue; // released meanwhile: try again
      if (owner.pid !== undefined && owner.pid !== process.pid && alive(owner.pid)) {
        throw new FerryError('already-exists', `another Ferry process (pid ${owner.pid}) is running this transfer queue`);
      }
      if (owner.pid === undefined && owner.ageMs < UNREADABLE_GRACE_MS) {
        throw new FerryError('already-exists', 'another Ferry process is starting this transfer queue');
      }
      await this.removeStale(owner.raw);
    }
    throw new FerryError('internal', `cannot take the queue lock ${this.path}`);
  }

  /** Safe twice. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await rm(this.path, { force: true });
  }

  /** Creates the lock with this process's pid in it; false when it exists. */
  private async create(): Promise<boolean> {
    const mine = `${this.path}.${process.pid}.tmp`;
    await writeFile(mine, String(process.pid), { mode: 0o600 });
    try {
      await link(mine, this.path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // A file system without hard links: exclusive create, then the pid (a brief window in which
      // a simultaneous start may see the lock empty; it then waits out UNREADABLE_GRACE_MS).
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return this.createExclusive();
      throw err;
    } finally {
      await rm(mine, { force: true });
    }
  }

  private async createExclusive(): Promise<boolean> {
    try {
      const fh = await open(this.path, 'wx', 0o600);
      await fh.write(String(process.pid));
      await fh.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Moves a stale lock aside and deletes it, unless a live owner replaced it meanwhile. */
  private async removeStale(staleContent: string): Promise<void> {
    const aside = `${this.path}.stale.${process.pid}`;
    try {
      await rename(this.path, aside);
    } catch {
      return; // gone already
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== staleContent) await link(aside, this.path).catch(() => undefined);
    await rm(aside, { force: true });
  }
}

async function readOwner(path: string): Promise<{ pid: number | undefined; raw: string; ageMs: number } | undefined> {
  try {
    const [raw, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const n = Number(raw.trim());
    return { pid: raw.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined, raw, ageMs: Date.now() - st.mtimeMs };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
