import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FanOutSink } from '../../main/app/event-sink';
import { FerryCore } from '../../main/app/ferry-core';
import { dispatchInvoke } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { INVOKE_CHANNELS } from '../../shared/ipc/contract';

const dirP = mkdtemp(join(tmpdir(), 'ferry-dispatch-'));
afterAll(async () => rm(await dirP, { recursive: true, force: true }));

describe('dispatchInvoke', () => {
  it('has a handler for every contract channel', async () => {
    const core = new FerryCore({ stateDir: await dirP, events: new FanOutSink() });
    const handlers = createHandlers(core);
    for (const c of INVOKE_CHANNELS) expect(typeof handlers[c]).toBe('function');
    await core.close();
  });

  it('turns hostile shapes into invalid-request instead of crashing', async () => {
    const core = new FerryCore({ stateDir: await dirP, events: new FanOutSink() });
    const handlers = createHandlers(core);
    for (const payload of [null, 'x', 42, [1, 2], undefined]) {
      const r = await dispatchInvoke(handlers, 'fs:list', payload);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(await dispatchInvoke(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatchInvoke(handlers, 'fs:list', { path: 'relative/path' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await core.close();
  });
});

describe('dispatchInvoke validation', () => {
  it('checks every request against its channel schema', async () => {
    const core = new FerryCore({ stateDir: await dirP, events: new FanOutSink() });
    const handlers = createHandlers(core);
    expect(await dispatchInvoke(handlers, 'fs:list', { path: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatchInvoke(handlers, 'session:chmod', { sessionId: 's', path: '/x', mode: 'rwx' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatchInvoke(handlers, 'fs:list', { path: await dirP })).toMatchObject({ ok: true });
    await core.close();
  });
});
