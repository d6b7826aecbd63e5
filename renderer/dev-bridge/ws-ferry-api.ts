import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, methodName, type EventChannel } from '../../shared/ipc/contract';
import type { FerryWindowApi } from '../ferry-api';

interface InvokeReply {
  readonly id: number;
  readonly result: unknown;
}
interface EventMessage {
  readonly event: EventChannel;
  readonly payload: unknown;
}

/**
 * Builds the same API the preload exposes (one method per channel), carried over a WebSocket to
 * the dev bridge. The per-run token comes from the page URL's fragment: `#token=...`.
 */
export async function connectBridge(): Promise<FerryWindowApi> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot reach the Ferry dev bridge')), { once: true });
  });
  ws.addEventListener('message', (msg) => {
    const data = JSON.parse(String(msg.data)) as InvokeReply | EventMessage;
    if ('id' in data) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    } else {
      for (const l of listeners.get(data.event) ?? []) l(data.payload);
    }
  });
  ws.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'connection-lost', message: 'the dev bridge closed' } });
    pending.clear();
  });
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    api[methodName(channel)] = (req: unknown) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, req }));
      });
  }
  for (const channel of EVENT_CHANNELS) {
    api[listenerName(channel)] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    };
  }
  return api as unknown as FerryWindowApi;
}
