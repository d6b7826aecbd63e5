import type { FerryErrorShape, Result } from '../../shared/ipc/errors';

/** A failed invoke as a thrown value inside the renderer, carrying the contract's error shape. */
export class UiError extends Error {
  constructor(readonly shape: FerryErrorShape) {
    super(shape.message);
  }
}

/** Awaits an invoke and returns its value, or throws a UiError with main's error. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new UiError(result.error);
  return result.value;
}

/** Any thrown value as the contract's error shape, for display. */
export function errorShape(err: unknown): FerryErrorShape {
  if (err instanceof UiError) return err.shape;
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * "<what>: <reason>" for a failed action, saying the failure once: main's messages lead with
 * their own "cannot <verb> <path>:", which only repeats a `what` of "Could not <verb> ...".
 */
export function failureText(what: string, message: string): string {
  const own = /^cannot (\S+) .*?: (.+)$/is.exec(message);
  const reason = own && what.toLowerCase().startsWith(`could not ${own[1]!.toLowerCase()}`) ? own[2]! : message;
  return `${what}: ${reason}`;
}
