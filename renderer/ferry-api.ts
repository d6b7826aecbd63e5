import type { FerryApi } from '../shared/ipc/contract';

/** What the preload puts on `window.ferry`: the contract plus the OS-drop path helper (Electron only). */
export type FerryWindowApi = FerryApi & {
  /** Local path of a File dropped from the OS; absent outside Electron. */
  readonly pathForFile?: (file: File) => string;
};

declare global {
  interface Window {
    ferry?: FerryWindowApi;
  }
}

let override: FerryWindowApi | undefined;

/** The API to main. Every renderer module goes through this, never `window.ferry` directly. */
export function ferry(): FerryWindowApi {
  const api = override ?? window.ferry;
  if (!api) throw new Error('Ferry API unavailable: the page was not opened by the app or the dev bridge');
  return api;
}

/** Component tests inject a fake API here. */
export function setFerryApiForTests(api: FerryWindowApi | undefined): void {
  override = api;
}
