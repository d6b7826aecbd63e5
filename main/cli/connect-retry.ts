import { TRANSIENT_ERROR_CODES } from '../../shared/ipc/errors';
import { toFerryError } from '../core/ferry-error';
import { backoffDelay, DEFAULT_BACKOFF, RetryBudget, type BackoffOptions } from '../transfers/backoff';
import type { CliContext } from './cli-context';

/**
 * Retries of a command's first connection when `--retries` is not given: as FileZilla does by
 * default, a couple of tries with backoff, so a mistyped port fails in seconds, not minutes.
 */
export const FIRST_CONNECT_RETRIES = 2;

/**
 * Runs `attempt` (a connection, or a connection and what the command does on it) again after a
 * network failure (refused, reset, timeout, DNS), with exponential backoff and jitter, up to
 * `--retries` times; anything else (auth, trust, no such file) fails at once. The last failure
 * is what the command reports (exit 6 for a network failure after retries).
 */
export async function withConnectRetries<T>(ctx: CliContext, attempt: () => Promise<T>, backoff: BackoffOptions = DEFAULT_BACKOFF): Promise<T> {
  const retries = ctx.options.retries ?? FIRST_CONNECT_RETRIES;
  const budget = new RetryBudget(retries);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const fe = toFerryError(err);
      if (!TRANSIENT_ERROR_CODES.has(fe.code) || !budget.fail(false)) throw fe;
      const delay = backoffDelay(budget.failures, backoff);
      ctx.logger.log('warn', `${fe.message}; retry ${budget.failures} of ${retries} in ${(delay / 1000).toFixed(1)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
