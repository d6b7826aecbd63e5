import { useState, type JSX } from 'react';
import { DEFAULT_PORTS, type AuthMethod, type Protocol } from '../../../shared/model/connection';
import { unsavedSecretReason, type SecretsStatus } from '../settings/secrets-status';
import { authMethodsFor, type SiteDraft } from './site-form';
import { KeyFileChooser } from './KeyFileChooser';

const AUTH_LABELS: Record<AuthMethod, string> = {
  password: 'Password',
  key: 'Key file',
  agent: 'SSH agent',
  'keyboard-interactive': 'Interactive',
  anonymous: 'Anonymous',
};

/**
 * FTP's encryption modes, named as FileZilla names them. Ferry has no plain-only mode: "if
 * available" asks (plain-FTP prompt) before it ever continues without TLS.
 */
export const FTP_ENCRYPTION: readonly { readonly protocol: Exclude<Protocol, 'sftp'>; readonly label: string }[] = [
  { protocol: 'ftpes', label: 'Require explicit FTP over TLS' },
  { protocol: 'ftps', label: 'Require implicit FTP over TLS' },
  { protocol: 'ftp', label: 'Use explicit FTP over TLS if available' },
];

/** Props of the site form; `secretsStatus` (main's secret storage) says whether a typed password can be saved. */
export interface SiteFormProps {
  readonly draft: SiteDraft;
  readonly folders: readonly string[];
  readonly onChange: (patch: Partial<SiteDraft>) => void;
  readonly secretsStatus?: SecretsStatus | null;
}

/**
 * The site editor's fields; which ones show depends on the protocol and auth method. A password
 * typed where main cannot store it (no keyring, master password locked) is flagged while typed.
 */
export function SiteForm({ draft, folders, onChange, secretsStatus = null }: SiteFormProps): JSX.Element {
  const isFtp = draft.protocol !== 'sftp';
  const auths = authMethodsFor(draft.protocol);
  const auth = auths.includes(draft.auth) ? draft.auth : 'password';
  const unsaved = draft.secret !== '' && !draft.forgetSecret ? unsavedSecretReason(secretsStatus, auth === 'key' ? 'passphrase' : 'password') : null;
  const [choosingKey, setChoosingKey] = useState(false);
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
          {/* minWidth 0: the long option labels must not widen the form's grid column. */}
          <label className="field" style={{ minWidth: 0 }}>
            <span>Protocol</span>
            <select value={isFtp ? 'ftp' : 'sftp'} onChange={(e) => onChange({ protocol: e.target.value === 'sftp' ? 'sftp' : isFtp ? draft.protocol : 'ftp' })}>
              <option value="sftp">SFTP – SSH File Transfer Protocol</option>
              <option value="ftp">FTP – File Transfer Protocol</option>
            </select>
          </label>
          <div className="field-row">
            {text('host', 'Host')}
            <label className="field port">
              <span>Port</span>
              <input value={draft.port} inputMode="numeric" placeholder={String(DEFAULT_PORTS[draft.protocol])} onChange={(e) => onChange({ port: e.target.value })} />
            </label>
          </div>
          {isFtp ? (
            <label className="field span-2" style={{ minWidth: 0 }}>
              <span>Encryption</span>
              <select value={draft.protocol} onChange={(e) => onChange({ protocol: e.target.value as Protocol })}>
                {FTP_ENCRYPTION.map((m) => (
                  <option key={m.protocol} value={m.protocol}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
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
                aria-describedby={unsaved ? 'site-secret-unsaved' : undefined}
                onChange={(e) => onChange({ secret: e.target.value })}
              />
            </label>
          ) : null}
          {unsaved && (auth === 'password' || auth === 'key') ? (
            <p id="site-secret-unsaved" className="field-warning span-2" role="status">
              {unsaved}
            </p>
          ) : null}
          {draft.hasSecret && (auth === 'password' || auth === 'key') ? (
            <label className="check">
              <input type="checkbox" checked={draft.forgetSecret} onChange={(e) => onChange({ forgetSecret: e.target.checked })} /> Forget the stored secret
            </label>
          ) : null}
          {auth === 'key' ? (
            <div className="field-row span-2" style={{ gridTemplateColumns: '1fr auto' }}>
              {text('keyFile', 'Private key file', { placeholder: '~/.ssh/id_ed25519' })}
              <button type="button" className="button" style={{ alignSelf: 'end' }} onClick={() => setChoosingKey(true)}>
                Browse…
              </button>
            </div>
          ) : null}
          {choosingKey ? (
            <KeyFileChooser
              current={draft.keyFile}
              onCancel={() => setChoosingKey(false)}
              onChoose={(path) => {
                setChoosingKey(false);
                onChange({ keyFile: path });
              }}
            />
          ) : null}
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
