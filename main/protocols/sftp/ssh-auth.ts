import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, NextAuthHandler } from 'ssh2';
import ssh2 from 'ssh2';
import type { AuthMethod } from '../../../shared/model/connection';
import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import type { Prompter } from '../../core/prompter';

/** What authentication may use: the secrets given, the agent, and the prompter for the rest. */
export interface AuthPlanInput {
  readonly username: string;
  readonly host: string;
  readonly auth: AuthMethod | undefined;
  readonly password: string | undefined;
  readonly privateKey: Buffer | undefined;
  /** Where the key came from, named in the passphrase prompt. */
  readonly keyLabel: string;
  readonly passphrase: string | undefined;
  /** ssh-agent socket, when agent auth may be tried. */
  readonly agentSocket: string | undefined;
  readonly prompter: Prompter;
  readonly logger: Logger;
}

type Step = 'publickey' | 'agent' | 'password' | 'keyboard-interactive';

/**
 * Drives ssh2's authentication one method at a time, in the order OpenSSH users expect: the key,
 * the agent, then password / keyboard-interactive (secrets asked through the prompter only when
 * the server offers the method and none was given). A prompt answered with null ends it all:
 * the connection fails with 'auth-failed', no further method is tried.
 */
export class SshAuthenticator {
  /** Set when authentication stopped for a reason better than ssh2's generic message. */
  failure: FerryError | undefined;
  private readonly steps: Step[];
  private password: string | undefined;
  private passwordRejected = false;

  constructor(private readonly input: AuthPlanInput) {
    this.password = input.password;
    this.steps = planSteps(input);
  }

  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
    if (methodsLeft === null || methodsLeft === undefined) {
      next({ type: 'none', username: this.input.username });
      return;
    }
    if (this.failure) {
      stop(next);
      return;
    }
    this.advance(methodsLeft, next).catch((err: unknown) => {
      this.failure = err instanceof FerryError ? err : new FerryError('auth-failed', 'authentication failed', String(err));
      stop(next);
    });
  };

  private async advance(methodsLeft: AuthenticationType[], next: NextAuthHandler): Promise<void> {
    for (;;) {
      const step = this.steps.shift();
      if (step === undefined) return stop(next);
      const offered = methodsLeft.includes(step === 'agent' ? 'publickey' : step);
      if (!offered) continue;
      const method = await this.methodFor(step);
      if (method === undefined) continue;
      if (method === null) {
        this.failure = new FerryError('auth-failed', `authentication to ${this.input.host} was cancelled`);
        return stop(next);
      }
      this.input.logger.log('debug', `trying ${step} authentication`);
      next(method);
      return;
    }
  }

  /** The method to try, undefined to skip it, null when the user declined to give a secret. */
  private async methodFor(step: Step): Promise<AnyAuthMethod | undefined | null> {
    const { username, prompter, host } = this.input;
    switch (step) {
      case 'publickey': {
        const key = this.input.privateKey;
        if (!key) throw new FerryError('auth-failed', 'key authentication was asked for, but no private key was given');
        let passphrase = this.input.passphrase;
        let parsed = ssh2.utils.parseKey(key, passphrase);
        if (parsed instanceof Error && passphrase === undefined && /encrypted|passphrase/i.test(parsed.message)) {
          const answer = await prompter.ask({ kind: 'secret', purpose: 'passphrase', subject: this.input.keyLabel });
          if (answer === null) return null;
          passphrase = answer.value;
          this.input.logger.addSecret(passphrase);
          parsed = ssh2.utils.parseKey(key, passphrase);
        }
        if (parsed instanceof Error) {
          throw new FerryError('auth-failed', `cannot use the key ${this.input.keyLabel}: ${parsed.message}`);
        }
        return { type: 'publickey', username, key, ...(passphrase !== undefined ? { passphrase } : {}) };
      }
      case 'agent':
        return this.input.agentSocket ? { type: 'agent', username, agent: this.input.agentSocket } : undefined;
      case 'password': {
        if (this.password === undefined) {
          const answer = await prompter.ask({ kind: 'secret', purpose: 'password', subject: `${username}@${host}` });
          if (answer === null) return null;
          this.password = answer.value;
          this.input.logger.addSecret(this.password);
        }
        this.passwordRejected = true; // if we are asked for another method, this one failed
        return { type: 'password', username, password: this.password };
      }
      case 'keyboard-interactive':
        return {
          type: 'keyboard-interactive',
          username,
          prompt: (name, instructions, _lang, prompts, finish) => {
            this.answerKeyboard(name, instructions, prompts, finish).catch(() => finish([]));
          },
        };
    }
  }

  private async answerKeyboard(name: string, instructions: string, prompts: { prompt: string; echo?: boolean }[], finish: (answers: string[]) => void): Promise<void> {
    if (prompts.length === 1 && !prompts[0]!.echo && this.password !== undefined && !this.passwordRejected) {
      this.passwordRejected = true;
      finish([this.password]);
      return;
    }
    const answer = await this.input.prompter.ask({
      kind: 'keyboard-interactive',
      host: this.input.host,
      name,
      instructions,
      prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })),
    });
    if (answer === null) {
      this.failure = new FerryError('auth-failed', `authentication to ${this.input.host} was cancelled`);
      finish([]);
      return;
    }
    for (const r of answer.responses) this.input.logger.addSecret(r);
    finish([...answer.responses]);
  }
}

function planSteps(input: AuthPlanInput): Step[] {
  switch (input.auth) {
    case 'key':
      return ['publickey'];
    case 'agent':
      return ['agent'];
    case 'password':
      return ['password', 'keyboard-interactive'];
    case 'keyboard-interactive':
      return ['keyboard-interactive', 'password'];
    default: {
      const steps: Step[] = [];
      if (input.privateKey) steps.push('publickey');
      if (input.agentSocket) steps.push('agent');
      steps.push('password', 'keyboard-interactive');
      return steps;
    }
  }
}

function stop(next: NextAuthHandler): void {
  (next as unknown as (v: false) => void)(false);
}
