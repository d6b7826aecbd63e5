import type { JSX } from 'react';
import type { CertificatePrompt, HostKeyPrompt, TrustAnswer } from '../../../shared/ipc/prompts';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';

/**
 * Cancel / once / always for a new key or certificate, with "Trust once" the default (Enter): the
 * least-committing answer that still connects; pinning it for good takes a deliberate click.
 * A changed one offers only Disconnect (the default) and accepting it for this connection: a pin
 * is replaced in the trust center alone.
 */
function TrustButtons({ changed, noun, onAnswer }: { changed: boolean; noun: 'key' | 'certificate'; onAnswer: (a: TrustAnswer | null) => void }): JSX.Element {
  if (changed) {
    return (
      <>
        <button type="button" className="button primary" data-autofocus onClick={() => onAnswer('reject')}>
          Disconnect
        </button>
        <button type="button" className="button danger" onClick={() => onAnswer('trust-once')}>
          Accept this {noun} once
        </button>
      </>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={() => onAnswer('reject')}>
        Cancel
      </button>
      <button type="button" className="button primary" data-autofocus onClick={() => onAnswer('trust-once')}>
        Trust once
      </button>
      <button type="button" className="button" onClick={() => onAnswer('trust-always')}>
        Trust always
      </button>
    </>
  );
}

/** The line under a changed key or certificate: where the pin can be replaced. */
function ReplaceHint({ noun }: { noun: 'key' | 'certificate' }): JSX.Element {
  return <p className="dim">To trust the new {noun} from now on, check it with the server’s administrator, then replace it in the Trust Center.</p>;
}

/** Unknown or changed SSH host key. A changed key is shown as a possible attack, with Disconnect as the default. */
export function HostKeyDialog({ request, onAnswer }: { request: HostKeyPrompt; onAnswer: (a: TrustAnswer | null) => void }): JSX.Element {
  const changed = request.previousFingerprint !== undefined;
  return (
    <Dialog
      title={changed ? 'The server’s host key has CHANGED' : 'Unknown host key'}
      tone={changed ? 'danger' : 'normal'}
      icon={<Icon name={changed ? 'warning' : 'key'} className="dialog-icon" />}
      onCancel={() => onAnswer('reject')}
      footer={<TrustButtons changed={changed} noun="key" onAnswer={onAnswer} />}
    >
      {changed ? (
        <p className="danger-text">
          The key {request.host}:{request.port} presents is not the one you trusted before. Someone may be intercepting the connection
          (a man-in-the-middle attack), or the server was reinstalled. Continue only if its administrator confirmed the new key.
        </p>
      ) : (
        <p>
          Ferry has not connected to <strong>{request.host}:{request.port}</strong> before. Check that the fingerprint below matches the one
          its administrator gave you before trusting it.
        </p>
      )}
      <dl className="facts">
        <dt>Server</dt>
        <dd>
          {request.host}:{request.port}
        </dd>
        <dt>Key type</dt>
        <dd>{request.keyType}</dd>
        <dt>{changed ? 'New fingerprint' : 'Fingerprint'}</dt>
        <dd className="mono">{request.fingerprint}</dd>
        {changed ? (
          <>
            <dt>Trusted before</dt>
            <dd className="mono">{request.previousFingerprint}</dd>
          </>
        ) : null}
      </dl>
      {changed ? <ReplaceHint noun="key" /> : null}
    </Dialog>
  );
}

/** A TLS certificate the system does not trust (self-signed, expired, changed). */
export function CertificateDialog({ request, onAnswer }: { request: CertificatePrompt; onAnswer: (a: TrustAnswer | null) => void }): JSX.Element {
  const changed = request.previousFingerprint !== undefined;
  return (
    <Dialog
      title={changed ? 'The server’s certificate has CHANGED' : 'Untrusted certificate'}
      tone={changed ? 'danger' : 'warning'}
      icon={<Icon name={changed ? 'warning' : 'lock'} className="dialog-icon" />}
      onCancel={() => onAnswer('reject')}
      wide
      footer={<TrustButtons changed={changed} noun="certificate" onAnswer={onAnswer} />}
    >
      <p className={changed ? 'danger-text' : undefined}>
        {changed
          ? `The certificate of ${request.host}:${request.port} differs from the one you trusted before. Someone may be intercepting the connection.`
          : `The certificate of ${request.host}:${request.port} is not trusted by this system: ${request.reason}.`}
      </p>
      <dl className="facts">
        <dt>Subject</dt>
        <dd>{request.subject}</dd>
        <dt>Issuer</dt>
        <dd>{request.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {request.validFrom} – {request.validTo}
        </dd>
        <dt>Reason</dt>
        <dd>{request.reason}</dd>
        <dt>SHA-256</dt>
        <dd className="mono wrap">{request.fingerprint}</dd>
        {changed ? (
          <>
            <dt>Trusted before</dt>
            <dd className="mono wrap">{request.previousFingerprint}</dd>
          </>
        ) : null}
      </dl>
      {changed ? <ReplaceHint noun="certificate" /> : null}
    </Dialog>
  );
}
