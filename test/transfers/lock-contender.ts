// A process that tries to take a queue lock (test/transfers/queue-lock.test.ts): waits until the
// start time given, tries once, holds the lock for a moment, prints "got" or the error code.
import { QueueLock } from '../../main/transfers/queue-lock';

const [path, startAt] = process.argv.slice(2);
const lock = new QueueLock(path!);
while (Date.now() < Number(startAt)) await new Promise((r) => setImmediate(r));
try {
  await lock.acquire();
  process.stdout.write('got\n');
  await new Promise((r) => setTimeout(r, 400));
  await lock.release();
} catch (err) {
  process.stdout.write(`${(err as { code?: string }).code ?? 'error'}\n`);
}
