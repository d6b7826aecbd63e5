import { ferry } from '../ferry-api';
import { createPaneStore } from './pane-store';
import { useSessionStore } from './session-store';

let localHome: string | null = null;

/** This machine's home folder, once main has said it: "~" in the local path bar leads there. */
export function setLocalHome(home: string): void {
  localHome = home;
}

/** The local pane: listings from main's `fs:list` (hidden entries always fetched, filtered here). */
export const useLocalPane = createPaneStore(
  () => (path) => ferry().fsList({ path, showHidden: true }),
  () => localHome,
);

/** The remote pane: listings through the current session; nothing to list without one. */
export const useRemotePane = createPaneStore(() => {
  const sessionId = useSessionStore.getState().sessionId;
  return sessionId ? (path) => ferry().sessionList({ sessionId, path }) : null;
}, () => useSessionStore.getState().home);

/** Which pane: used by actions, drag-and-drop and keyboard focus. */
export type PaneSide = 'local' | 'remote';

/** The store of a side. */
export function paneStore(side: PaneSide): typeof useLocalPane {
  return side === 'local' ? useLocalPane : useRemotePane;
}
