import { FerryError } from '../../core/ferry-error';
import type { ErrorCode } from '../../../shared/ipc/errors';

/** What to do and say when a phase runs out of time. */
export interface DeadlineSpec {
  readonly ms: number;
  /** e.g. "the greeting from 127.0.0.1:21" */
  readonly phase: string;
  readonly code?: ErrorCode;
  /** Called on expiry before the promise rejects: closes the connection so nothing stays pending. */
  readonly onExpire: () => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
}

/**
 * Runs `work` against a deadline measured from now, not an idle timer: a server that drips a
 * byte now and then cannot stretch it. On expiry the connection is closed (onExpire) and the
 * promise rejects with a FerryError naming the phase. An abort signal rejects with 'cancelled'.
 */
export function withDeadline<T>(spec: DeadlineSpec, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(spec.ms / 100) / 10;
      const err = new FerryError(spec.code ?? 'timeout', `${spec.phase} did not complete within ${seconds} s`);
      finish(() => {
        try {
          spec.onExpire();
        } finally {
          reject(err);
        }
      });
    }, spec.ms);
    const onAbort = (): void =>
      finish(() => {
        try {
          (spec.onAbort ?? spec.onExpire)();
        } finally {
          reject(new FerryError('cancelled', 'cancelled'));
        }
      });
    if (spec.signal?.aborted) {
      onAbort();
      return;
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    let p: Promise<T>;
    try {
      p = work();
    } catch (err) {
      finish(() => reject(err));
      return;
    }
    p.then(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}
