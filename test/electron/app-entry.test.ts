import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ lock: true, quit: 0, app: undefined as unknown as EventEmitter & Record<string, unknown> }));

vi.mock('electron', async () => {
  const { createElectronFake } = await import('./electron-fake');
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => state.lock,
    quit: () => void state.quit++,
    setName: () => undefined,
    // Never ready: these tests look only at what the entry does before the window exists.
    whenReady: () => new Promise<void>(() => undefined),
    getPath: () => '/nonexistent',
  });
  state.app = app as never;
  return { ...createElectronFake().module, app };
});

async function loadEntry(): Promise<void> {
  vi.resetModules();
  await import('../../main/index');
}

describe('the Electron entry', () => {
  beforeEach(() => {
    state.quit = 0;
    state.app?.removeAllListeners();
  });

  it('quits at once when another instance holds the single-instance lock', async () => {
    state.lock = false;
    await loadEntry();
    expect(state.quit).toBe(1);
    expect(state.app.listenerCount('second-instance')).toBe(0);
  });

  it('takes the lock, focuses on a second launch, and forbids webviews in every web contents', async () => {
    state.lock = true;
    await loadEntry();
    expect(state.quit).toBe(0);
    expect(state.app.listenerCount('second-instance')).toBe(1);
    const contents = new EventEmitter();
    state.app.emit('web-contents-created', {}, contents);
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });
});
