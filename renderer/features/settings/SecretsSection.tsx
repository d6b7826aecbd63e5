import { useState, type JSX } from 'react';
import { ferry } from '../../ferry-api';
import { useSecretsStatus } from './secrets-status';

/**
 * Where saved site passwords go: the system keyring, a master password (set or unlock it here),
 * or nowhere (asked at each connection). The typed password goes to main and is dropped here.
 */
export function SecretsSection(): JSX.Element {
  const { status, reload: load } = useSecretsStatus();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);

  async function setMaster(): Promise<void> {
    if (password.length < 8) return setMessage({ tone: 'error', text: 'Use at least 8 characters.' });
    if (password !== confirm) return setMessage({ tone: 'error', text: 'The two passwords differ.' });
    const res = await ferry().secretsSetMasterPassword({ password });
    setPassword('');
    setConfirm('');
    setMessage(res.ok ? { tone: 'ok', text: 'Master password set: saved passwords are now stored encrypted.' } : { tone: 'error', text: res.error.message });
    await load();
  }

  async function unlock(): Promise<void> {
    const res = await ferry().secretsUnlock({ password });
    setPassword('');
    setMessage(res.ok ? (res.value.unlocked ? { tone: 'ok', text: 'Unlocked.' } : { tone: 'error', text: 'That is not the master password.' }) : { tone: 'error', text: res.error.message });
    await load();
  }

  if (!status) return <section className="settings-section" aria-label="Saved passwords" />;
  return (
    <section className="settings-section" aria-label="Saved passwords">
      <h3>Saved passwords</h3>
      {status.backend === 'safe-storage' ? <p className="dim">Stored encrypted by the system keyring.</p> : null}
      {status.backend === 'none' ? (
        <>
          <p className="dim">No system keyring is available, so site passwords are asked at each connection. Set a master password to store them encrypted.</p>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void setMaster();
            }}
          >
            <label className="field">
              <span>Master password</span>
              <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <label className="field">
              <span>Repeat</span>
              <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </label>
            <button type="submit" className="button">
              Set master password
            </button>
          </form>
        </>
      ) : null}
      {status.backend === 'master-password' ? (
        status.locked ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void unlock();
            }}
          >
            <label className="field">
              <span>Master password (locked)</span>
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <button type="submit" className="button">
              Unlock
            </button>
          </form>
        ) : (
          <p className="dim">Stored encrypted with your master password (unlocked).</p>
        )
      ) : null}
      {message ? (
        <p className={message.tone === 'error' ? 'field-error' : 'dim'} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
