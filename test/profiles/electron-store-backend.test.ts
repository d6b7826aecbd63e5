import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ userData: '', listeners: [] as string[] }));
vi.mock('electron', () => {
  const app = { getPath: () => electron.userData, getVersion: () => '0.1.0' };
  const ipcMain = { on: (channel: string) => void electron.listeners.push(channel) };
  return { default: { app, ipcMain, shell: {} }, app, ipcMain, shell: {} };
});

const { default: ElectronStore } = await import('electron-store');
const { openProfileBackend, profileStoreOptions, wrap } = await import('../../main/profiles/profile-backend');
const { SettingsStore } = await import('../../main/profiles/settings-store');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-estore-'));
  electron.userData = dir;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profiles under electron-store', () => {
  it('reads and writes the same profiles.json as conf, with the same schema and migrations', async () => {
    const store = new ElectronStore(profileStoreOptions() as never);
    expect(store.path).toBe(join(dir, 'profiles.json'));
    new SettingsStore(wrap(store as never)).set({ theme: 'dark' });
    expect(new SettingsStore(openProfileBackend(dir)).get().theme).toBe('dark');
    expect(JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')).__internal__.migrations.version).toBe('1.0.0');
    expect(() => wrap(store as never).set('sites', [{ id: 'x' }] as never)).toThrow(/could not be used/);
  });

  it('registers an ipcMain listener of its own, which is why the app uses conf directly', () => {
    new ElectronStore(profileStoreOptions() as never);
    expect(electron.listeners).toContain('electron-store-get-data');
  });
});
