/**
 * Questions main asks the user and awaits. One mechanism answers them all: the renderer's
 * dialogs, the CLI's TTY questions, or the CLI's flags when nothing is interactive.
 */
export interface HostKeyPrompt {
  readonly kind: 'host-key';
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** `SHA256:...` as OpenSSH prints it. */
  readonly fingerprint: string;
  /** Present when a different key was trusted before: the danger case. */
  readonly previousFingerprint?: string;
}

export interface CertificatePrompt {
  readonly kind: 'certificate';
  readonly host: string;
  readonly port: number;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** SHA-256 of the DER certificate, colon-separated hex. */
  readonly fingerprint: string;
  /** Why the system did not trust it, e.g. "self-signed certificate". */
  readonly reason: string;
  readonly previousFingerprint?: string;
}

export interface PlainFtpPrompt {
  readonly kind: 'plain-ftp';
  readonly host: string;
  readonly port: number;
  /** What the server did, e.g. "the server refused AUTH TLS (502 ...)". */
  readonly reason: string;
}

export interface FileExistsPrompt {
  readonly kind: 'file-exists';
  readonly path: string;
  readonly existing: { readonly size: number; readonly mtime: number | null };
  readonly incoming: { readonly size: number; readonly mtime: number | null };
}

export interface SecretPrompt {
  readonly kind: 'secret';
  readonly purpose: 'password' | 'passphrase' | 'master-password';
  /** What the secret is for, e.g. "alice@example.org" or a key file path. */
  readonly subject: string;
}

export interface KeyboardInteractivePrompt {
  readonly kind: 'keyboard-interactive';
  readonly host: string;
  readonly name: string;
  readonly instructions: string;
  readonly prompts: readonly { readonly prompt: string; readonly echo: boolean }[];
}

export type PromptRequest =
  | HostKeyPrompt
  | CertificatePrompt
  | PlainFtpPrompt
  | FileExistsPrompt
  | SecretPrompt
  | KeyboardInteractivePrompt;

export type PromptKind = PromptRequest['kind'];

export type TrustAnswer = 'trust-once' | 'trust-always' | 'reject';
export type PlainFtpAnswer = 'once' | 'always' | 'cancel';
export type ExistsAction = 'overwrite' | 'newer' | 'resume' | 'rename' | 'skip';

/** The answer type for each prompt kind. `null` always means "cancelled / nobody to ask". */
export interface PromptAnswers {
  'host-key': TrustAnswer;
  certificate: TrustAnswer;
  'plain-ftp': PlainFtpAnswer;
  'file-exists': { readonly action: ExistsAction; readonly applyToAll: boolean };
  secret: { readonly value: string };
  'keyboard-interactive': { readonly responses: readonly string[] };
}

export type PromptRequestOf<K extends PromptKind> = Extract<PromptRequest, { kind: K }>;

/** A prompt as sent to the renderer: the request plus the id its answer must carry. */
export interface PromptEnvelope {
  readonly id: string;
  readonly request: PromptRequest;
}
