import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, methodName } from '../../shared/ipc/contract';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as [string, unknown][],
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, req: unknown) => (bridge.invoked.push([channel, req]), { ok: true, value: null }),
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      if (!bridge.listeners.has(channel)) bridge.listeners.set(channel, new Set());
      bridge.listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => bridge.listeners.get(channel)?.delete(fn),
  },
  webUtils: { getPathForFile: () => '/dropped/file' },
}));

await import('../../main/preload/preload');
const api = bridge.exposed.get('ferry')!;

describe('preload bridge', () => {
  it('exposes one object, "ferry", with exactly one function per contract channel', () => {
    expect([...bridge.exposed.keys()]).toEqual(['ferry']);
    const expected = [...INVOKE_CHANNELS.map(methodName), ...EVENT_CHANNELS.map(listenerName), 'pathForFile'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('offers nothing generic: no invoke, send, on or ipcRenderer', () => {
    for (const name of ['invoke', 'send', 'sendSync', 'on', 'once', 'ipcRenderer', 'require', 'process']) expect(api).not.toHaveProperty(name);
  });

  it('sends each method on its own channel only', async () => {
    await (api.fsList as (r: unknown) => Promise<unknown>)({ path: '/' });
    await (api.sitesImportFilezilla as (r: unknown) => Promise<unknown>)({ xml: '<x/>' });
    expect(bridge.invoked).toEqual([['fs:list', { path: '/' }], ['sites:import-filezilla', { xml: '<x/>' }]]);
  });

  it('hands listeners the payload only (never the IPC event with its sender) and unsubscribes', () => {
    const got: unknown[] = [];
    const off = (api.onQueueUpdate as (l: (p: unknown) => void) => () => void)((...args: unknown[]) => got.push(args));
    const [handler] = [...bridge.listeners.get('queue:update')!];
    handler!({ sender: { send: () => undefined } }, { totals: 1 });
    expect(got).toEqual([[{ totals: 1 }]]);
    off();
    expect(bridge.listeners.get('queue:update')!.size).toBe(0);
  });
});
