import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/model/log-line';
import { LogBuffer } from '../../main/app/log-buffer';
import { createLogger } from '../../main/core/logger';

describe('LogBuffer', () => {
  it('keeps the newest lines up to its capacity and batches flushes', async () => {
    const batches: LogLine[][] = [];
    const buf = new LogBuffer(3, (l) => batches.push(l), 20);
    const log = createLogger(buf, 'test');
    for (let i = 0; i < 5; i++) log.log('info', `line ${i}`);
    expect(buf.snapshot().map((l) => l.text)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(buf.snapshot(2).map((l) => l.text)).toEqual(['line 3', 'line 4']);
    expect(batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(batches).toHaveLength(1);
  });

  it('never lets a registered secret or a PASS argument through', () => {
    const buf = new LogBuffer(10, () => undefined);
    const log = createLogger(buf, 'ftp');
    log.addSecret('hunter2');
    log.child('ftp h:21').log('command', 'PASS hunter2');
    log.log('error', 'login as bob with hunter2 failed');
    expect(buf.snapshot().map((l) => l.text)).toEqual(['PASS ***', 'login as bob with *** failed']);
    buf.close();
  });
});
