import { useCallback, useEffect, useState, type JSX } from 'react';
import type { FerryErrorShape } from '../../../shared/ipc/errors';
import type { ChangedTrustEntry } from '../../../shared/ipc/contract';
import type { TrustEntry } from '../../../shared/model/site';
import { Icon } from '../../components/Icon';
import { Dialog } from '../../components/Dialog';
import { ferry } from '../../ferry-api';
import { formatDate, sentence } from '../../lib/format';
import { askConfirm } from '../../stores/dialog-store';
import { CertificateDetails } from './CertificateDetails';

/**
 * The trust center: every SSH host key and TLS certificate the user trusted, as main stores them,
 * with the option to forget one (the next connection then asks again).
 */
export function TrustCenter({ onClose }: { onClose: () => void }): JSX.Element {
  const [entries, setEntries] = useState<readonly TrustEntry[] | null>(null);
  const [changes, setChanges] = useState<readonly ChangedTrustEntry[]>([]);
  const [error, setError] = useState<FerryErrorShape | null>(null);
  const [shown, setShown] = useState<TrustEntry | null>(null);

  const load = useCallback(async () => {
    const [list, changed] = await Promise.all([ferry().trustList({}), ferry().trustChanges({})]);
    if (list.ok) {
      setEntries(list.value);
      setError(null);
    } else setError(list.error);
    if (changed.ok) setChanges(changed.value);
  }, []);

  async function replace(c: ChangedTrustEntry): Promise<void> {
    const what = c.kind === 'host-key' ? 'host key' : 'certificate';
    const ok = await askConfirm({
      title: `Trust the new ${what}?`,
      message: `Only do this if the administrator of ${c.host}:${c.port} confirmed that its ${what} changed to ${c.fingerprint}. Otherwise someone may be intercepting the connection.`,
      danger: true,
      confirmLabel: `Trust the new ${what}`,
    });
    if (!ok) return;
    const res = await ferry().trustReplace({ kind: c.kind, host: c.host, port: c.port, fingerprint: c.fingerprint });
    if (!res.ok) setError(res.error);
    await load();
  }

  useEffect(() => {
    void load();
  }, [load]);

  async function forget(e: TrustEntry): Promise<void> {
    const ok = await askConfirm({
      title: 'Forget trusted key',
      message: `Forget the ${e.kind === 'host-key' ? 'host key' : 'certificate'} of ${e.host}:${e.port}? Ferry will ask again on the next connection.`,
      danger: true,
      confirmLabel: 'Forget',
    });
    if (!ok) return;
    const res = await ferry().trustRemove({ kind: e.kind, host: e.host, port: e.port });
    if (!res.ok) setError(res.error);
    await load();
  }

  // The details open beside the trust center (not inside it), each dialog keeping its own focus trap.
  if (shown) return <CertificateDetails entry={shown} onClose={() => setShown(null)} />;
  return (
    <Dialog
      title="Trust center"
      wide
      onCancel={onClose}
      footer={
        <button type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      }
    >
      <p className="dim">Host keys and certificates you chose to trust. Forget one if a server was reinstalled or you no longer trust it.</p>
      {error ? (
        <p className="field-error" role="alert">
          {sentence(error.message)}
        </p>
      ) : null}
      {changes.length > 0 ? (
        <section className="trust-changes" aria-label="Refused changed keys">
          <h3>
            <Icon name="warning" /> Refused because the key changed
          </h3>
          {changes.map((c) => (
            <div key={`${c.kind}:${c.host}:${c.port}:${c.fingerprint}`} className="trust-change">
              <div>
                <strong>
                  {c.host}:{c.port}
                </strong>{' '}
                <span className="dim">
                  {c.kind === 'host-key' ? 'host key' : 'certificate'} {c.type} · {formatDate(c.seenAt)}
                </span>
                <dl className="facts">
                  <dt>Trusted</dt>
                  <dd className="mono wrap">{c.previousFingerprint}</dd>
                  <dt>Presented</dt>
                  <dd className="mono wrap">{c.fingerprint}</dd>
                </dl>
              </div>
              <button type="button" className="button small danger" onClick={() => void replace(c)}>
                Trust the new key…
              </button>
            </div>
          ))}
        </section>
      ) : null}
      {entries === null ? (
        <p className="dim">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="dim empty-note">Nothing trusted yet.</p>
      ) : (
        <table className="trust-table" aria-label="Trusted keys and certificates">
          <thead>
            <tr>
              <th>Server</th>
              <th>Kind</th>
              <th>Fingerprint</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.kind}:${e.host}:${e.port}`}>
                <td>
                  {e.host}:{e.port}
                </td>
                <td>
                  {e.kind === 'host-key' ? 'Host key' : 'Certificate'}
                  <div className="dim">{e.type}</div>
                </td>
                <td className="mono wrap">{e.fingerprint}</td>
                <td>{formatDate(e.lastUsed)}</td>
                <td className="row-actions">
                  {e.kind === 'certificate' ? (
                    <button type="button" className="button small" aria-label={`Show the certificate of ${e.host}:${e.port}`} onClick={() => setShown(e)}>
                      Details
                    </button>
                  ) : null}
                  <button type="button" className="button small danger" aria-label={`Forget ${e.host}:${e.port}`} onClick={() => void forget(e)}>
                    Forget
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
