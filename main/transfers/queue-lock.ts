import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../core/ferry-error';

/**
 * One process per journal: a lock file holding the owner's pid. A lock left by a process that no
 * longer runs (a crash, kill -9) is taken over; a live owner makes `acquire` fail clearly.
 */
export class QueueLock {
  private held = false;

  constructor(readonly path: string) {}

  async acquire(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fh = await open(this.path, 'wx', 0o600);
        await fh.write(String(process.pid));
        await fh.close();
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number((await readFile(this.path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new FerryError('already-exists', `another Ferry process (pid ${pid}) is running this transfer queue`);
      }
      await rm(this.path, { force: true });
    }
    throw new FerryError('internal', `cannot take the queue lock ${this.path}`);
  }

  /** Safe twice. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await rm(this.path, { force: true });
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
