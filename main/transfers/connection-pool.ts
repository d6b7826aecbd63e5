import { TRANSIENT_ERROR_CODES } from '../../shared/ipc/errors';
import type { ConnectionTarget } from '../../shared/model/connection';
import { FerryError, toFerryError } from '../core/ferry-error';
import type { Logger } from '../core/logger';
import type { RemoteFs } from '../protocols/remote-fs';
import { backoffDelay, type BackoffOptions, type RetryBudget } from './backoff';

/** Opens a connected RemoteFs for a target (the GUI reuses a session's credentials by id). */
export type ConnectFn = (target: ConnectionTarget, sessionId?: string) => Promise<RemoteFs>;

/** A connection lent to one transfer; `release` gives it back, `discard` retires it as broken. */
export interface Lease {
  readonly fs: RemoteFs;
  release(): void;
  discard(): void;
}

interface Conn {
  fs: RemoteFs | undefined;
  opening: Promise<RemoteFs> | undefined;
  load: number;
  dead: boolean;
}

/**
 * Units a connection carries at once: one big file, or this many small ones pipelined (each small
 * file is several round trips: open, stat, read, close; 16 in flight hides that latency).
 */
export const CONNECTION_CAPACITY = 16;

/**
 * Connections per site, opened lazily up to `maxConnections`. Each carries up to
 * CONNECTION_CAPACITY units of work at once (RemoteFs calls may overlap), so many small files
 * keep several requests in flight per connection. A broken connection is retired and replaced
 * on the next lease; a permanent connect failure (auth, trust) is remembered until `forget`.
 */
export class ConnectionPool {
  private readonly sites = new Map<string, Conn[]>();
  private readonly refused = new Map<string, FerryError>();
  private closed = false;

  constructor(
    private readonly connect: ConnectFn,
    private readonly maxConnections: (target: ConnectionTarget) => number,
    private readonly logger: Logger,
  ) {}

  /** Lends a connection with room for `weight` units, connecting one if needed. */
  async acquire(key: string, target: ConnectionTarget, sessionId: string | undefined, weight: number): Promise<Lease> {
    if (this.closed) throw new FerryError('cancelled', 'the transfer queue is closed');
    const remembered = this.refused.get(key);
    if (remembered) throw remembered;
    const conns = this.sites.get(key) ?? [];
    this.sites.set(key, conns);
    const live = conns.filter((c) => !c.dead);
    let conn = live.find((c) => c.load + weight <= CONNECTION_CAPACITY && c.fs?.connected !== false);
    if (!conn && live.length < this.maxConnections(target)) {
      conn = { fs: undefined, opening: undefined, load: 0, dead: false };
      conns.push(conn);
    }
    conn ??= live.reduce((a, b) => (b.load < a.load ? b : a));
    conn.load += weight;
    const c = conn;
    try {
      const fs = await this.open(key, c, target, sessionId);
      let done = false;
      return {
        fs,
        release: () => {
          if (done) return;
          done = true;
          c.load -= weight;
        },
        discard: () => {
          if (done) return;
          done = true;
          c.load -= weight;
          this.retire(key, c);
        },
      };
    } catch (err) {
      c.load -= weight;
      this.retire(key, c);
      throw err;
    }
  }

  /** Forgets remembered permanent failures (the user pressed retry). */
  forget(): void {
    this.refused.clear();
  }

  /** Closes every connection; safe twice. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.sites.values()].flat();
    this.sites.clear();
    await Promise.all(all.map((c) => c.fs?.close().catch(() => undefined)));
  }

  private async open(key: string, c: Conn, target: ConnectionTarget, sessionId: string | undefined): Promise<RemoteFs> {
    if (c.fs && c.fs.connected) return c.fs;
    if (c.fs && !c.fs.connected) {
      this.retire(key, c);
      throw new FerryError('connection-lost', 'the connection was lost');
    }
    c.opening ??= (async () => {
      try {
        const fs = await this.connect(target, sessionId);
        if (!fs.connected) await fs.connect();
        if (this.closed || c.dead) {
          await fs.close().catch(() => undefined);
          throw new FerryError('cancelled', 'the transfer queue is closed');
        }
        c.fs = fs;
        return fs;
      } catch (err) {
        const fe = toFerryError(err, `cannot connect to ${target.host}`);
        if (!TRANSIENT_ERROR_CODES.has(fe.code) && fe.code !== 'cancelled') this.refused.set(key, fe);
        throw fe;
      } finally {
        c.opening = undefined;
      }
    })();
    return c.opening;
  }

  private retire(key: string, c: Conn): void {
    if (c.dead) return;
    c.dead = true;
    const conns = this.sites.get(key);
    if (conns) conns.splice(conns.indexOf(c), 1);
    if (c.fs) {
      this.logger.log('debug', 'closing a broken connection; the next transfer opens a new one');
      void c.fs.close().catch(() => undefined);
    }
  }
}

/**
 * Runs one operation on a pooled connection, reconnecting with backoff on transient errors until
 * `budget` runs out; a success resets the budget. Used for listings and folder creation.
 */
export async function withRetries<T>(
  pool: ConnectionPool,
  site: { key: string; target: ConnectionTarget; sessionId: string | undefined },
  budget: RetryBudget,
  backoff: BackoffOptions,
  signal: AbortSignal,
  op: (fs: RemoteFs) => Promise<T>,
): Promise<T> {
  for (;;) {
    if (signal.aborted) throw new FerryError('cancelled', 'cancelled');
    let fe: FerryError;
    let lease: Lease | undefined;
    try {
      lease = await pool.acquire(site.key, site.target, site.sessionId, 1);
      const value = await op(lease.fs);
      lease.release();
      budget.reset();
      return value;
    } catch (err) {
      fe = toFerryError(err);
      if (lease && (fe.code === 'timeout' || !lease.fs.connected)) lease.discard();
      else lease?.release();
    }
    if (!TRANSIENT_ERROR_CODES.has(fe.code) || !budget.fail(false)) throw fe;
    await sleep(backoffDelay(budget.failures, backoff), signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new FerryError('cancelled', 'cancelled'));
      },
      { once: true },
    );
  });
}
