import { useState, type JSX } from 'react';
import type { ExistsAction, FileExistsPrompt, KeyboardInteractivePrompt, PlainFtpAnswer, PlainFtpPrompt, PromptAnswers, SecretPrompt } from '../../../shared/ipc/prompts';
import { Dialog } from '../../components/Dialog';
import { FormFooter } from '../../components/FormFooter';
import { Icon } from '../../components/Icon';
import { formatDate, formatSize } from '../../lib/format';

/** Consent to continue an FTP session without encryption, with the server's reason. */
export function PlainFtpDialog({ request, onAnswer }: { request: PlainFtpPrompt; onAnswer: (a: PlainFtpAnswer | null) => void }): JSX.Element {
  return (
    <Dialog
      title="Continue without encryption?"
      tone="warning"
      icon={<Icon name="warning" className="dialog-icon" />}
      onCancel={() => onAnswer('cancel')}
      footer={
        <>
          <button type="button" className="button primary" data-autofocus onClick={() => onAnswer('cancel')}>
            Cancel
          </button>
          <button type="button" className="button" onClick={() => onAnswer('once')}>
            Continue once
          </button>
          <button type="button" className="button" onClick={() => onAnswer('always')}>
            Always for this site
          </button>
        </>
      }
    >
      <p>
        <strong>
          {request.host}:{request.port}
        </strong>{' '}
        does not offer TLS. If you continue, your password and files cross the network in plain text.
      </p>
      <dl className="facts">
        <dt>Server said</dt>
        <dd className="mono wrap">{request.reason}</dd>
      </dl>
    </Dialog>
  );
}

const EXISTS_ACTIONS: readonly { action: ExistsAction; label: string }[] = [
  { action: 'overwrite', label: 'Overwrite' },
  { action: 'newer', label: 'Overwrite if newer' },
  { action: 'resume', label: 'Resume' },
  { action: 'rename', label: 'Rename' },
  { action: 'skip', label: 'Skip' },
];

function describe(side: { size: number; mtime: number | null }): string {
  return `${formatSize(side.size)}${side.mtime !== null ? `, modified ${formatDate(side.mtime)}` : ''}`;
}

/** The target file exists: the five choices and "apply to all". */
export function FileExistsDialog({ request, onAnswer }: { request: FileExistsPrompt; onAnswer: (a: PromptAnswers['file-exists'] | null) => void }): JSX.Element {
  const [applyToAll, setApplyToAll] = useState(false);
  const canResume = request.incoming.size > request.existing.size;
  return (
    <Dialog
      title="The file already exists"
      onCancel={() => onAnswer(null)}
      wide
      footer={
        <>
          <label className="check">
            <input type="checkbox" checked={applyToAll} onChange={(e) => setApplyToAll(e.target.checked)} /> Apply to all
          </label>
          <span className="spacer" />
          {EXISTS_ACTIONS.map(({ action, label }) => (
            <button
              key={action}
              type="button"
              className={`button${action === 'overwrite' ? ' primary' : ''}`}
              data-autofocus={action === 'overwrite' ? true : undefined}
              disabled={action === 'resume' && !canResume}
              onClick={() => onAnswer({ action, applyToAll })}
            >
              {label}
            </button>
          ))}
        </>
      }
    >
      <p className="mono wrap">{request.path}</p>
      <dl className="facts">
        <dt>Existing</dt>
        <dd>{describe(request.existing)}</dd>
        <dt>Incoming</dt>
        <dd>{describe(request.incoming)}</dd>
      </dl>
    </Dialog>
  );
}

const SECRET_TITLES: Record<SecretPrompt['purpose'], string> = {
  password: 'Password required',
  passphrase: 'Key passphrase required',
  'master-password': 'Master password',
};

/** A password, key passphrase or master password; the value goes straight to main. */
export function SecretDialog({ request, onAnswer }: { request: SecretPrompt; onAnswer: (a: PromptAnswers['secret'] | null) => void }): JSX.Element {
  const [value, setValue] = useState('');
  return (
    <Dialog
      title={SECRET_TITLES[request.purpose]}
      icon={<Icon name="lock" className="dialog-icon" />}
      onCancel={() => onAnswer(null)}
      footer={<FormFooter formId="secret-form" onCancel={() => onAnswer(null)} />}
    >
      <form
        id="secret-form"
        onSubmit={(e) => {
          e.preventDefault();
          onAnswer({ value });
        }}
      >
        <label className="field">
          <span>
            {request.purpose === 'passphrase' ? 'Passphrase for' : 'Password for'} {request.subject}
          </span>
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
      </form>
    </Dialog>
  );
}

/** SSH keyboard-interactive: the server's instructions (marked as the server's) and one field per question. */
export function KeyboardInteractiveDialog({ request, onAnswer }: { request: KeyboardInteractivePrompt; onAnswer: (a: PromptAnswers['keyboard-interactive'] | null) => void }): JSX.Element {
  const [values, setValues] = useState<string[]>(() => request.prompts.map(() => ''));
  return (
    <Dialog
      title={`Login to ${request.host}`}
      icon={<Icon name="lock" className="dialog-icon" />}
      onCancel={() => onAnswer(null)}
      footer={<FormFooter formId="ki-form" onCancel={() => onAnswer(null)} />}
    >
      {/* The server's own words, shown as such: they must not pass for Ferry's questions. */}
      {request.name || request.instructions ? (
        <blockquote className="server-text" aria-label="The server says">
          {request.name ? <strong>{request.name}</strong> : null}
          {request.instructions ? <p className="pre-wrap">{request.instructions}</p> : null}
        </blockquote>
      ) : null}
      <form
        id="ki-form"
        onSubmit={(e) => {
          e.preventDefault();
          onAnswer({ responses: values });
        }}
      >
        {request.prompts.map((p, i) => (
          <label key={i} className="field">
            <span>{p.prompt}</span>
            <input
              type={p.echo ? 'text' : 'password'}
              autoComplete="off"
              value={values[i] ?? ''}
              onChange={(e) => setValues((v) => v.map((old, j) => (j === i ? e.target.value : old)))}
            />
          </label>
        ))}
      </form>
    </Dialog>
  );
}
