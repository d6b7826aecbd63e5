import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import { DEFAULT_PORTS, PROTOCOLS, type ConnectionTarget, type Protocol } from '../../../shared/model/connection';
import { parseFerryUrl, UrlError } from '../../../shared/model/parse-url';
import { Icon } from '../../components/Icon';
import { targetLabel, useSessionStore } from '../../stores/session-store';
import { useUiStore } from '../../stores/ui-store';
import { confirmReplaceSession } from './replace-session';
import { SitesButton } from './SitesButton';

const PROTOCOL_LABELS: Record<Protocol, string> = {
  sftp: 'SFTP',
  ftp: 'FTP (TLS if offered)',
  ftpes: 'FTPES (explicit TLS)',
  ftps: 'FTPS (implicit TLS)',
};

/**
 * The quickconnect bar: protocol, host, port, user, password -> `session:connect`.
 * A full URL typed in the host field fills the other fields. The password is cleared as soon
 * as it is sent; main keeps it for the session, the renderer does not. Replacing a connected
 * session asks first. The fields follow the connection being opened, wherever it came from (a
 * saved site too), so they never show a server the pane is not connected to.
 */
export function QuickConnectBar({ onOpenSites }: { onOpenSites: () => void }): JSX.Element {
  const session = useSessionStore();
  const [protocol, setProtocol] = useState<Protocol>('sftp');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const hostRef = useRef<HTMLInputElement>(null);
  const focusRequest = useUiStore((s) => s.quickConnectRequest);

  useEffect(() => {
    if (focusRequest > 0) hostRef.current?.focus();
  }, [focusRequest]);

  // A new connection (from here, the site manager or the Sites drop-down): show its server.
  const current = session.target;
  useEffect(() => {
    if (!current) return;
    setProtocol(current.protocol);
    setHost(current.host);
    setPort(String(current.port));
    setUser(current.user ?? '');
    setPassword('');
    setFormError(null);
  }, [current]);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setFormError(null);
    let target: ConnectionTarget;
    let pass = password;
    if (host.includes('://')) {
      try {
        const parsed = parseFerryUrl(host.trim());
        target = parsed.target;
        pass = parsed.password ?? password;
        setProtocol(target.protocol);
        setHost(target.host);
        setPort(String(target.port));
        if (target.user) setUser(target.user);
      } catch (err) {
        setFormError(err instanceof UrlError ? err.message : String(err));
        return;
      }
    } else {
      const h = host.trim();
      if (!h) {
        setFormError('Enter a host name.');
        return;
      }
      const p = port.trim() === '' ? DEFAULT_PORTS[protocol] : Number(port);
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        setFormError('The port must be a number from 1 to 65535.');
        return;
      }
      const u = user.trim();
      // FTP without a user is anonymous; with a password it is a password login; otherwise main
      // picks (SFTP: key, agent, then asks for a password or answers keyboard-interactive).
      const auth = !u && protocol !== 'sftp' ? 'anonymous' : pass ? 'password' : undefined;
      target = { protocol, host: h, port: p, ...(u ? { user: u } : {}), ...(auth ? { auth } : {}) };
    }
    if (!(await confirmReplaceSession(targetLabel(target)))) return;
    setPassword('');
    await session.connect(target, pass || undefined);
  }

  const busy = session.status === 'connecting';
  return (
    <form className="quickconnect" aria-label="Quickconnect" onSubmit={(e) => void submit(e)}>
      <SitesButton onOpenSites={onOpenSites} />
      <label className="qc-field">
        <span>Protocol</span>
        <select aria-label="Protocol" value={protocol} onChange={(e) => setProtocol(e.target.value as Protocol)}>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {PROTOCOL_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <label className="qc-field qc-host">
        <span>Host</span>
        <input ref={hostRef} aria-label="Host" value={host} placeholder="example.org or sftp://user@host" spellCheck={false} onChange={(e) => setHost(e.target.value)} />
      </label>
      <label className="qc-field qc-port">
        <span>Port</span>
        <input aria-label="Port" value={port} inputMode="numeric" placeholder={String(DEFAULT_PORTS[protocol])} onChange={(e) => setPort(e.target.value)} />
      </label>
      <label className="qc-field">
        <span>User</span>
        <input aria-label="User" value={user} placeholder={protocol === 'sftp' ? '' : 'anonymous'} autoComplete="off" spellCheck={false} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label className="qc-field">
        <span>Password</span>
        <input aria-label="Password" type="password" value={password} autoComplete="off" onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={busy}>
        <Icon name="plug" /> {busy ? 'Connecting…' : 'Connect'}
      </button>
      {session.status !== 'idle' ? (
        <button type="button" className="button" onClick={() => void session.disconnect()}>
          <Icon name="unplug" /> Disconnect
        </button>
      ) : null}
      {formError ? (
        <div className="qc-error" role="alert">
          <Icon name="warning" />
          <span>{formError}</span>
          <button type="button" className="link-button" aria-label="Dismiss error" onClick={() => setFormError(null)}>
            <Icon name="x" />
          </button>
        </div>
      ) : null}
    </form>
  );
}
