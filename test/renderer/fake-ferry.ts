import { vi, type Mock } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, methodName, type EventChannel, type EventChannels, type FerryApi } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/errors';
import { setFerryApiForTests, type FerryWindowApi } from '../../renderer/ferry-api';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { resetQueueStore } from '../../renderer/stores/queue-store';
import { useSessionStore } from '../../renderer/stores/session-store';

/** A fake `window.ferry`: every invoke is a vi.fn (default: not-supported), events can be emitted. */
export interface FakeFerry {
  readonly api: FerryWindowApi;
  /** The mock behind a method, e.g. `fake.fn('fsList')`. */
  fn<K extends keyof FerryApi>(method: K): Mock;
  /** Makes `method` resolve `{ ok: true, value }` (or run `impl`). */
  answer<K extends keyof FerryApi>(method: K, impl: (req: never) => unknown): void;
  emit<E extends EventChannel>(event: E, payload: EventChannels[E]): void;
}

/** Success value for a fake method. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Installs a fresh fake through `setFerryApiForTests` and returns it. */
export function installFakeFerry(): FakeFerry {
  const api: Record<string, unknown> = {};
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  for (const channel of INVOKE_CHANNELS) {
    api[methodName(channel)] = vi.fn(async () => ({ ok: false, error: { code: 'not-supported', message: `${channel} not faked` } }));
  }
  for (const channel of EVENT_CHANNELS) {
    api[listenerName(channel)] = (l: (p: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(l);
      listeners.set(channel, set);
      return () => set.delete(l);
    };
  }
  const fake: FakeFerry = {
    api: api as unknown as FerryWindowApi,
    fn: (method) => api[method] as Mock,
    answer(method, impl) {
      (api[method] as Mock).mockImplementation(async (req: never) => ok(await impl(req)));
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
  setFerryApiForTests(fake.api);
  return fake;
}

/** Gives jsdom elements a size so the virtualizers render rows. */
export function giveElementsSize(width = 800, height = 600): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => height });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => width });
}

/** Puts the window's stores back as a fresh window has them: empty queue, blank panes, no session. */
export function resetWindowStores(): void {
  resetQueueStore();
  useLocalPane.getState().reset();
  useRemotePane.getState().reset();
  useSessionStore.setState({ status: 'idle', sessionId: null, target: null, home: null, site: null, error: null, closedReason: null });
}
