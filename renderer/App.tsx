import { useEffect, useState, type JSX } from 'react';
import { SplitPane } from './components/SplitPane';
import { Icon } from './components/Icon';
import { openRemoteStart, remoteStartPath, wireApp } from './app-wiring';
import { BottomPanel } from './features/BottomPanel';
import { FilePane } from './features/dual-pane/FilePane';
import { FolderUnavailable } from './features/dual-pane/FolderUnavailable';
import { Notices } from './features/Notices';
import { PromptHost } from './features/prompts/PromptHost';
import { UiDialogHost } from './features/prompts/UiDialogHost';
import { ConnectError } from './features/quickconnect/ConnectError';
import { QuickConnectBar } from './features/quickconnect/QuickConnectBar';
import { SiteManager } from './features/site-manager/SiteManager';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { TrustCenter } from './features/trust-center/TrustCenter';
import { useUiStore } from './stores/ui-store';
import { useRemotePane } from './stores/panes';
import { targetLabel, useSessionStore } from './stores/session-store';
import { DEFAULT_LAYOUT, useSettingsStore } from './stores/settings-store';
import type { AppSettings } from '../shared/ipc/contract';

const THEMES: readonly AppSettings['theme'][] = ['system', 'light', 'dark'];
/** Pixels a file pane keeps at the least: Name, Size and Modified, and its toolbar. */
const MIN_PANE_WIDTH = 300;
/** Pixels the two panes keep in height at the least: their bars and a handful of rows. */
const MIN_PANES_HEIGHT = 260;

function RemoteTitle(): JSX.Element {
  const { status, target } = useSessionStore();
  if (status === 'idle' || !target) return <span>Remote</span>;
  const secure = target.protocol !== 'ftp';
  return (
    <span className="remote-title">
      <span className="remote-title-text">Remote</span>
      <span className={`conn-badge ${status}`} title={targetLabel(target)}>
        {secure ? <Icon name="lock" label="Encrypted" /> : null}
        {/* On a narrow pane only the lock stays; the address is in the tooltip and the window title. */}
        <span className="conn-label">
          {targetLabel(target)}
          {status === 'connecting' ? ' · connecting…' : ''}
        </span>
      </span>
    </span>
  );
}

function RemotePlaceholder(): JSX.Element {
  const { status, target, closedReason, error, clearError, sessionId } = useSessionStore();
  const loading = useRemotePane((p) => p.loading);
  const paneError = useRemotePane((p) => p.error);
  // Once the first listing of this session has ended (with no folder, or the pane would not ask
  // for this placeholder), the path field stays up while the user retries: no bare spinner again.
  const [settledIn, setSettledIn] = useState<string | null>(null);
  const settled = status === 'connected' && !loading;
  useEffect(() => {
    if (settled && sessionId) setSettledIn(sessionId);
  }, [settled, sessionId]);
  if (status === 'connecting' && target) return <span>Connecting to {target.host}…</span>;
  if (status === 'connected') {
    if (loading && settledIn !== sessionId) return <span>Loading…</span>;
    return (
      <FolderUnavailable
        key={sessionId}
        label="Remote"
        error={paneError}
        path={remoteStartPath()}
        busy={loading}
        onOpen={(p) => void useRemotePane.getState().navigate(p)}
        onRetry={() => void openRemoteStart()}
      />
    );
  }
  return (
    <div className="placeholder">
      <Icon name={error ? 'warning' : 'server'} className={error ? 'danger-icon' : undefined} />
      <strong>{error ? 'Could not connect' : 'Not connected'}</strong>
      {error ? <ConnectError error={error} onDismiss={clearError} /> : null}
      {closedReason ? <span className="dim">{closedReason}</span> : null}
      <span className="dim">Connect with the bar above or open the site manager.</span>
    </div>
  );
}

/** The main window: quickconnect, the two panes, and the queue/log panel, in remembered splits. */
export function App(): JSX.Element {
  const modal = useUiStore((s) => s.modal);
  const openModal = useUiStore((s) => s.open);
  const closeModal = useUiStore((s) => s.close);
  const settings = useSettingsStore((s) => s.settings);
  const setLayout = useSettingsStore((s) => s.setLayout);
  const update = useSettingsStore((s) => s.update);
  const layout = settings?.layout ?? DEFAULT_LAYOUT;
  const theme = settings?.theme ?? 'system';

  useEffect(() => wireApp(), []);

  const sessionTarget = useSessionStore((s) => (s.status === 'connected' ? s.target : null));
  useEffect(() => {
    document.title = sessionTarget ? `${targetLabel(sessionTarget)} — Ferry` : 'Ferry';
  }, [sessionTarget]);

  return (
    <div className="app">
      <div className="top-bar">
        <QuickConnectBar onOpenSites={() => openModal('sites')} />
        <button type="button" className="icon-button top-icon" aria-label="Trust center" title="Trust center: trusted host keys and certificates" onClick={() => openModal('trust')}>
          <Icon name="shield" />
        </button>
        <button type="button" className="icon-button top-icon" aria-label="Settings" title="Settings" onClick={() => openModal('settings')}>
          <Icon name="gear" />
        </button>
        <button
          type="button"
          className="icon-button top-icon theme-button"
          aria-label={`Theme: ${theme}`}
          title={`Theme: ${theme} (click to change)`}
          onClick={() => void update({ theme: THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]! })}
        >
          {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
        </button>
      </div>
      {/* The panes keep room for a few rows and for their columns on any window down to the minimum size. */}
      <SplitPane direction="vertical" value={layout.queueHeight} min={90} max={10_000} minFirstPx={MIN_PANES_HEIGHT} label="Resize the transfer panel" onChange={(v) => setLayout({ queueHeight: Math.round(v) })}>
        <SplitPane direction="horizontal" value={layout.paneSplit} min={0.2} max={0.8} minFirstPx={MIN_PANE_WIDTH} minSecondPx={MIN_PANE_WIDTH} label="Resize the panes" onChange={(v) => setLayout({ paneSplit: v })}>
          <FilePane side="local" title="Local" />
          <FilePane side="remote" title={<RemoteTitle />} placeholder={<RemotePlaceholder />} />
        </SplitPane>
        <BottomPanel />
      </SplitPane>
      {modal === 'sites' ? <SiteManager onClose={closeModal} /> : null}
      {modal === 'trust' ? <TrustCenter onClose={closeModal} /> : null}
      {modal === 'settings' ? <SettingsDialog onClose={closeModal} /> : null}
      <PromptHost />
      <UiDialogHost />
      <Notices />
    </div>
  );
}
