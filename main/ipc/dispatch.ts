import { INVOKE_CHANNELS, type InvokeChannel } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/errors';
import { validateRequest } from '../../shared/ipc/request-schemas';
import { toFerryError } from '../core/ferry-error';
import type { Handlers } from './handlers';

/** Checks that a payload names a real channel and has an object shape before any handler runs. */
export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

/**
 * Runs one invoke: unknown channels and malformed payloads become `invalid-request`, thrown
 * errors become `{ code, message, detail }`. Never throws; never lets a stack cross the boundary.
 */
export async function dispatchInvoke(handlers: Handlers, channel: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return { ok: false, error: { code: 'invalid-request', message: 'unknown channel' } };
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, error: { code: 'invalid-request', message: `${channel} expects an object` } };
  }
  const check = validateRequest(channel, payload);
  if (!check.ok) return { ok: false, error: { code: 'invalid-request', message: check.message } };
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(payload) };
  } catch (err) {
    return { ok: false, error: toFerryError(err).toShape() };
  }
}
