import { join } from 'node:path';
import { FakeServer } from './fake-remote-fs';
import { bytes, download, startQueue, tempDir } from './helpers';
const { dir, cleanup } = await tempDir();
const server = new FakeServer();
for (let d = 0; d < 20; d++) for (let f = 0; f < 100; f++) server.addFile(`/s/d${d}/f${f}.bin`, bytes(4096, f));
for (let k = 0; k < 3; k++) {
  const { queue } = await startQueue(join(dir, `state${k}`), server.factory, { updateIntervalMs: 250 });
  const t0 = Date.now();
  await queue.add({ requests: [download('/s', join(dir, `out${k}`))] });
  await queue.whenIdle();
  console.log('engine+fake', Date.now() - t0, queue.snapshot().totals.done);
  await queue.close();
}
await cleanup();
