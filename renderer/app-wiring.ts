import { ferry } from './ferry-api';
import { setLocalHome, useLocalPane, useRemotePane } from './stores/panes';
import { useLogStore } from './stores/log-store';
import { usePromptStore } from './stores/prompt-store';
import { onItemsFinished, useQueueStore } from './stores/queue-store';
import { useSessionStore } from './stores/session-store';
import { applyTheme, useSettingsStore } from './stores/settings-store';
import { useSitesStore } from './stores/sites-store';
import { parentPath } from './lib/paths';
import { runAppCommand } from './features/app-commands';

/** Where the remote pane starts in the current session: the site's folder, else the server's home, else the root. */
export function remoteStartPath(): string {
  const s = useSessionStore.getState();
  return s.site?.remoteDir || s.home || '/';
}

/**
 * Opens the session's start folder in the remote pane. A start folder the server reports but
 * cannot list falls back to the root, keeping the first error visible; when the root cannot be
 * listed either, the pane is left with no listing and that first error (the pane then offers to
 * type another path or retry, rather than waiting forever).
 */
export async function openRemoteStart(): Promise<void> {
  const sessionId = useSessionStore.getState().sessionId;
  if (!sessionId) return;
  const start = remoteStartPath();
  const pane = useRemotePane.getState();
  if ((await pane.navigate(start)) || start === '/' || useSessionStore.getState().sessionId !== sessionId) return;
  const error = useRemotePane.getState().error;
  await useRemotePane.getState().navigate('/');
  // Unless the user went elsewhere meanwhile, the start folder's error is the one to show.
  if (useSessionStore.getState().sessionId === sessionId && error && !useRemotePane.getState().loading) useRemotePane.setState({ error });
}

/**
 * Connects the stores to main: event subscriptions, the first loads (home folder, queue, log,
 * settings, sites), the remote pane following the session, and panes refreshing when a
 * transfer lands in the folder they show. Returns a function that undoes the subscriptions.
 */
export function wireApp(): () => void {
  const api = ferry();
  const offs: (() => void)[] = [
    api.onQueueUpdate((u) => useQueueStore.getState().apply(u)),
    api.onLogLines((lines) => useLogStore.getState().append(lines)),
    api.onPromptRequest((p) => usePromptStore.getState().push(p)),
    api.onPromptClosed(({ id }) => usePromptStore.getState().remove(id)),
    api.onSessionClosed(({ sessionId, reason }) => useSessionStore.getState().handleClosed(sessionId, reason)),
    api.onAppCommand(({ command }) => runAppCommand(command)),
  ];

  offs.push(
    useSessionStore.subscribe((s, prev) => {
      if (s.sessionId === prev.sessionId) return;
      useRemotePane.getState().reset();
      if (!s.sessionId) return;
      void openRemoteStart();
    }),
  );

  offs.push(useSettingsStore.subscribe((s) => applyTheme(s.settings?.theme)));

  const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
  offs.push(
    onItemsFinished((items) => {
      const remote = useRemotePane.getState().path;
      const local = useLocalPane.getState().path;
      for (const item of items) {
        if (item.direction === 'upload' && remote && item.remotePath.startsWith(remote)) schedule('remote', () => void useRemotePane.getState().refresh());
        if (item.direction === 'download' && local && parentPath(item.localPath).startsWith(local)) schedule('local', () => void useLocalPane.getState().refresh());
      }
    }),
  );
  function schedule(key: string, fn: () => void): void {
    if (refreshTimers.has(key)) return;
    refreshTimers.set(
      key,
      setTimeout(() => {
        refreshTimers.delete(key);
        fn();
      }, 250),
    );
  }

  void (async () => {
    const home = await api.fsHome({});
    if (home.ok) setLocalHome(home.value);
    void useLocalPane.getState().navigate(home.ok ? home.value : '/');
  })();
  void useQueueStore.getState().load();
  // A question asked before this window (re)loaded is still waiting in main: show it again.
  void (async () => {
    const open = await api.promptPending({});
    if (open.ok) for (const envelope of open.value) usePromptStore.getState().push(envelope);
  })();
  void useLogStore.getState().load();
  void useSettingsStore.getState().load();
  void useSitesStore.getState().load();

  return () => {
    for (const off of offs) off();
    for (const t of refreshTimers.values()) clearTimeout(t);
  };
}
