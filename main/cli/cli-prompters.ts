import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { PromptAnswers, PromptKind, PromptRequest, PromptRequestOf } from '../../shared/ipc/prompts';
import type { Prompter } from '../core/prompter';
import type { CliOptions } from './cli-args';

/**
 * Answers prompts from the command-line flags alone: --accept-new, --allow-plain, --on-exists.
 * A changed host key or certificate is always refused. Anything else gets null ("no one to ask").
 */
export function flagPrompter(options: CliOptions): Prompter {
  return {
    async ask<K extends PromptKind>(request: PromptRequestOf<K>): Promise<PromptAnswers[K] | null> {
      return flagAnswer(request, options) as PromptAnswers[K] | null;
    },
  };
}

function flagAnswer(request: PromptRequest, options: CliOptions): PromptAnswers[PromptKind] | null {
  switch (request.kind) {
    case 'host-key':
    case 'certificate':
      if (request.previousFingerprint) return 'reject';
      return options.acceptNew ? 'trust-always' : null;
    case 'plain-ftp':
      return options.allowPlain ? 'once' : null;
    case 'file-exists':
      return options.onExists ? { action: options.onExists, applyToAll: true } : null;
    default:
      return null;
  }
}

/** Streams a TTY prompter talks through: stdin and stderr by default (stdout stays for data). */
export interface TtyStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/**
 * Asks on the terminal what the flags do not answer. Changed keys are still refused here:
 * only the app's trust center may replace a trusted key.
 */
export function ttyPrompter(options: CliOptions, streams: TtyStreams): Prompter {
  const flags = flagPrompter(options);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    ask<K extends PromptKind>(request: PromptRequestOf<K>): Promise<PromptAnswers[K] | null> {
      const run = async (): Promise<PromptAnswers[K] | null> => {
        const fromFlags = await flags.ask(request);
        if (fromFlags !== null) return fromFlags;
        if (request.kind === 'file-exists' && options.onExists === undefined) {
          // Asked below.
        } else if ((request.kind === 'host-key' || request.kind === 'certificate') && (request as PromptRequest & { previousFingerprint?: string }).previousFingerprint) {
          return 'reject' as PromptAnswers[K];
        }
        return (await askOnTty(request, streams)) as PromptAnswers[K] | null;
      };
      const next = chain.then(run, run);
      chain = next.catch(() => undefined);
      return next;
    },
  };
}

async function askOnTty(request: PromptRequest, streams: TtyStreams): Promise<PromptAnswers[PromptKind] | null> {
  const out = streams.output;
  const question = async (text: string, hidden = false): Promise<string> => {
    // For hidden input, readline writes into a muted stream: the typed characters never echo.
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    if (hidden) out.write(text);
    const rl = createInterface({ input: streams.input, output: hidden ? muted : out, terminal: true });
    try {
      const answer = await rl.question(hidden ? '' : text);
      if (hidden) out.write('\n');
      return answer.trim();
    } finally {
      rl.close();
    }
  };
  switch (request.kind) {
    case 'host-key': {
      out.write(`The host key of ${request.host}:${request.port} is not known.\n  ${request.keyType} key fingerprint ${request.fingerprint}\n`);
      const a = (await question('Trust it and continue? [y = always / o = once / N] ')).toLowerCase();
      return a === 'y' || a === 'yes' ? 'trust-always' : a === 'o' ? 'trust-once' : 'reject';
    }
    case 'certificate': {
      out.write(
        `The TLS certificate of ${request.host}:${request.port} is not trusted (${request.reason}).\n` +
          `  subject ${request.subject}\n  issuer  ${request.issuer}\n  valid   ${request.validFrom} to ${request.validTo}\n  SHA-256 ${request.fingerprint}\n`,
      );
      const a = (await question('Trust it and continue? [y = always / o = once / N] ')).toLowerCase();
      return a === 'y' || a === 'yes' ? 'trust-always' : a === 'o' ? 'trust-once' : 'reject';
    }
    case 'plain-ftp': {
      out.write(`Encryption is not available on ${request.host}:${request.port}: ${request.reason}.\nContinuing sends your password and files in clear text.\n`);
      const a = (await question('Continue without encryption? [o = once / a = always for this site / N] ')).toLowerCase();
      return a === 'o' || a === 'y' ? 'once' : a === 'a' ? 'always' : 'cancel';
    }
    case 'file-exists': {
      out.write(`${request.path} exists (${request.existing.size} bytes; incoming ${request.incoming.size} bytes).\n`);
      const a = (await question('[o]verwrite, overwrite if [n]ewer, [r]esume, re[n]ame as copy = [c], [s]kip; add ! for all: ')).toLowerCase();
      const all = a.endsWith('!');
      const key = a.replace('!', '');
      const action = key === 'o' ? 'overwrite' : key === 'n' ? 'newer' : key === 'r' ? 'resume' : key === 'c' ? 'rename' : 'skip';
      return { action, applyToAll: all };
    }
    case 'secret': {
      const label = request.purpose === 'passphrase' ? `Passphrase for ${request.subject}: ` : `Password for ${request.subject}: `;
      const value = await question(label, true);
      return value === '' ? null : { value };
    }
    case 'keyboard-interactive': {
      if (request.instructions) out.write(`${request.instructions}\n`);
      const responses: string[] = [];
      for (const p of request.prompts) responses.push(await question(p.prompt, !p.echo));
      return { responses };
    }
  }
}
