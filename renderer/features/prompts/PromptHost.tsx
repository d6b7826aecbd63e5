import type { JSX } from 'react';
import type { PromptAnswers, PromptKind } from '../../../shared/ipc/prompts';
import { usePromptStore } from '../../stores/prompt-store';
import { FileExistsDialog, KeyboardInteractiveDialog, PlainFtpDialog, SecretDialog } from './QuestionDialogs';
import { CertificateDialog, HostKeyDialog } from './TrustDialogs';

/** Shows main's oldest pending question as a modal dialog and sends the answer back. */
export function PromptHost(): JSX.Element | null {
  const current = usePromptStore((s) => s.pending[0]);
  const answer = usePromptStore((s) => s.answer);
  if (!current) return null;
  const { id, request } = current;
  const reply = <K extends PromptKind>(a: PromptAnswers[K] | null): void => void answer<K>(id, a);
  switch (request.kind) {
    case 'host-key':
      return <HostKeyDialog key={id} request={request} onAnswer={reply<'host-key'>} />;
    case 'certificate':
      return <CertificateDialog key={id} request={request} onAnswer={reply<'certificate'>} />;
    case 'plain-ftp':
      return <PlainFtpDialog key={id} request={request} onAnswer={reply<'plain-ftp'>} />;
    case 'file-exists':
      return <FileExistsDialog key={id} request={request} onAnswer={reply<'file-exists'>} />;
    case 'secret':
      return <SecretDialog key={id} request={request} onAnswer={reply<'secret'>} />;
    case 'keyboard-interactive':
      return <KeyboardInteractiveDialog key={id} request={request} onAnswer={reply<'keyboard-interactive'>} />;
  }
}
