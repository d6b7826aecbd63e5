import type { JSX } from 'react';
import { DEFAULT_PORTS, PROTOCOLS, type AuthMethod, type Protocol } from '../../../shared/model/connection';
import { authMethodsFor, type SiteDraft } from './site-form';

const AUTH_LABELS: Record<AuthMethod, string> = {
  password: 'Password',
  key: 'Key file',
  agent: 'SSH agent',
  'keyboard-interactive': 'Interactive',
  anonymous: 'Anonymous',
};

/** The site editor's fields; which ones show depends on the protocol and auth method. */
export function SiteForm({ draft, folders, onChange }: { draft: SiteDraft; folders: readonly string[]; onChange: (patch: Partial<SiteDraft>) => void }): JSX.Element {
  const isFtp = draft.protocol !== 'sftp';
  const auths = authMethodsFor(draft.protocol);
  const auth = auths.includes(draft.auth) ? draft.auth : 'password';
  const text = (key: keyof SiteDraft, label: string, opts: { placeholder?: string; wide?: boolean } = {}): JSX.Element => (
    <label className={`field${opts.wide ? ' span-2' : ''}`}>
      <span>{label}</span>
      <input value={String(draft[key])} placeholder={opts.placeholder} spellCheck={false} onChange={(e) => onChange({ [key]: e.target.value } as Partial<SiteDraft>)} />
    </label>
  );
  return (
    <div className="site-form">
      <fieldset>
        <legend>General</legend>
        <div className="form-grid">
          {text('name', 'Name')}
          <label className="field">
            <span>Folder</span>
            <input list="site-folders" value={draft.folder} placeholder="e.g. Work/Clients" onChange={(e) => onChange({ folder: e.target.value })} />
            <datalist id="site-folders">
              {folders.map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span>Protocol</span>
            <select value={draft.protocol} onChange={(e) => onChange({ protocol: e.target.value as Protocol })}>
              {PROTOCOLS.map((p) => (
                <option key={p} value={p}>
                  {p.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <div className="field-row">
            {text('host', 'Host')}
            <label className="field port">
              <span>Port</span>
              <input value={draft.port} inputMode="numeric" placeholder={String(DEFAULT_PORTS[draft.protocol])} onChange={(e) => onChange({ port: e.target.value })} />
            </label>
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Login</legend>
        <div className="form-grid">
          <label className="field">
            <span>Authentication</span>
            <select value={auth} onChange={(e) => onChange({ auth: e.target.value as AuthMethod })}>
              {auths.map((a) => (
                <option key={a} value={a}>
                  {AUTH_LABELS[a]}
                </option>
              ))}
            </select>
          </label>
          {auth !== 'anonymous' ? text('user', 'User') : <span />}
          {auth === 'password' || auth === 'key' ? (
            <label className="field">
              <span>{auth === 'key' ? 'Key passphrase' : 'Password'}</span>
              <input
                type="password"
                autoComplete="off"
                value={draft.secret}
                disabled={draft.forgetSecret}
                placeholder={draft.hasSecret ? 'stored (leave empty to keep)' : 'ask when connecting'}
                onChange={(e) => onChange({ secret: e.target.value })}
              />
            </label>
          ) : null}
          {draft.hasSecret && (auth === 'password' || auth === 'key') ? (
            <label className="check">
              <input type="checkbox" checked={draft.forgetSecret} onChange={(e) => onChange({ forgetSecret: e.target.checked })} /> Forget the stored secret
            </label>
          ) : null}
          {auth === 'key' ? text('keyFile', 'Private key file', { placeholder: '~/.ssh/id_ed25519', wide: true }) : null}
        </div>
      </fieldset>
      <fieldset>
        <legend>Transfers</legend>
        <div className="form-grid">
          {isFtp ? (
            <label className="field">
              <span>Data connection</span>
              <select value={draft.passive ? 'passive' : 'active'} onChange={(e) => onChange({ passive: e.target.value === 'passive' })}>
                <option value="passive">Passive</option>
                <option value="active">Active</option>
              </select>
            </label>
          ) : null}
          {isFtp ? text('charset', 'Charset', { placeholder: 'utf8' }) : null}
          {text('localDir', 'Default local folder')}
          {text('remoteDir', 'Default remote folder')}
          <label className="field">
            <span>Parallel transfers</span>
            <input type="number" min={1} max={16} value={draft.transferLimit} onChange={(e) => onChange({ transferLimit: e.target.value })} />
          </label>
        </div>
      </fieldset>
    </div>
  );
}
