import { Fragment, useEffect, useState, type JSX } from 'react';
import type { FerryErrorShape } from '../../../shared/ipc/errors';
import type { TrustDetails, TrustEntry } from '../../../shared/model/site';
import { Dialog } from '../../components/Dialog';
import { ferry } from '../../ferry-api';
import { sentence } from '../../lib/format';

/**
 * What Ferry recorded when the user trusted a certificate: subject, issuer, validity, SHA-256
 * fingerprint and the certificate itself (PEM, selectable and copyable, to compare with what the
 * server's administrator says it should be).
 */
export function CertificateDetails({ entry, onClose }: { entry: TrustEntry; onClose: () => void }): JSX.Element {
  const [details, setDetails] = useState<TrustDetails | null>(null);
  const [error, setError] = useState<FerryErrorShape | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    void ferry()
      .trustDetails({ kind: entry.kind, host: entry.host, port: entry.port })
      .then((res) => {
        if (!live) return;
        if (res.ok) setDetails(res.value);
        else setError(res.error);
      });
    return () => {
      live = false;
    };
  }, [entry]);

  async function copy(pem: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(pem);
      setCopied(true);
    } catch {
      setError({ code: 'not-supported', message: 'the clipboard is not available here: select the text and copy it' });
    }
  }

  const facts: [string, string | undefined][] = [
    ['Subject', details?.subject],
    ['Issuer', details?.issuer],
    ['Valid from', details?.validFrom],
    ['Valid until', details?.validTo],
  ];
  return (
    <Dialog
      title={`Certificate of ${entry.host}:${entry.port}`}
      wide
      onCancel={onClose}
      footer={
        <>
          {details?.pem ? (
            <button type="button" className="button" onClick={() => void copy(details.pem!)}>
              {copied ? 'Copied' : 'Copy PEM'}
            </button>
          ) : null}
          <button type="button" className="button primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error ? (
        <p className="field-error" role="alert">
          {sentence(error.message)}
        </p>
      ) : null}
      <dl className="facts">
        {facts.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd className="wrap">{value ?? (details ? 'not recorded' : '…')}</dd>
          </Fragment>
        ))}
        <dt>SHA-256</dt>
        <dd className="mono wrap">{entry.fingerprint}</dd>
      </dl>
      {details?.pem ? <textarea className="mono cert-pem" aria-label="Certificate (PEM)" readOnly rows={12} value={details.pem} /> : null}
    </Dialog>
  );
}
