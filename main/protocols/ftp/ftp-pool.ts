import { FerryError } from '../../core/ferry-error';
import type { Logger } from '../../core/logger';
import { sendCommand } from './ftp-control';
import type { FtpSession } from './ftp-session';

/** Browsing (list, stat, mkdir, ...) has its own connection so the UI stays responsive during transfers. */
export type Lane = 'browse' | 'transfer';

/** A session lent to one operation; give it back with release() exactly once. */
export interface Lease {
  readonly session: FtpSession;
  release(): void;
}

interface Slot {
  session: FtpSession | undefined;
  busy: boolean;
  keepalive: NodeJS.Timeout | undefined;
}

interface Waiter {
  readonly lane: Lane;
  readonly grant: (slot: Slot) => void;
  readonly fail: (err: Error) => void;
}

/** How the pool makes sessions and keeps them alive. */
export interface PoolOptions {
  /** Opens a new, logged-in session following the settled plan. */
  readonly open: () => Promise<FtpSession>;
  /**
   * Transfer connections at most (1-16); browsing has one more of its own. 0: transfers share
   * the browsing connection, so the pool holds one control connection in all.
   */
  readonly transferSlots: number;
  /** NOOP after this long idle; 0 = never. */
  readonly keepaliveMs: number;
  readonly commandMs: number;
  readonly logger: Logger;
}

/**
 * basic-ftp runs one command at a time per client, but RemoteFs calls may overlap: this pool
 * lends each operation a session of its own, opens more up to the limit, and queues the rest in
 * order. A session that broke (timeout, cancel, lost connection) is replaced on its next use.
 * Idle sessions get a NOOP now and then (never one that is busy).
 */
export class FtpPool {
  private readonly options: PoolOptions;
  private readonly browse: Slot = { session: undefined, busy: false, keepalive: undefined };
  private readonly transfers: Slot[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = { ...options, transferSlots: Math.max(0, Math.min(16, Math.floor(options.transferSlots))) };
  }

  /** Takes over an already opened session (the one negotiation produced) as the browsing session. */
  adopt(session: FtpSession): void {
    this.browse.session = session;
    this.scheduleKeepalive(this.browse);
  }

  /** Waits for a free session of this lane, opening one when needed. */
  async acquire(lane: Lane, signal?: AbortSignal): Promise<Lease> {
    const slot = await this.takeSlot(lane, signal);
    try {
      if (!slot.session || slot.session.closed) {
        slot.session?.close();
        slot.session = undefined;
        slot.session = await this.options.open();
      }
    } catch (err) {
      this.giveBack(slot);
      throw err;
    }
    if (this.closed) {
      slot.session.close();
      throw new FerryError('cancelled', 'the connection was closed');
    }
    const session = slot.session;
    let released = false;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        this.giveBack(slot);
      },
    };
  }

  /** Closes every session; queued operations fail. Safe to call twice. */
  close(): void {
    this.closed = true;
    for (const slot of [this.browse, ...this.transfers]) {
      if (slot.keepalive) clearTimeout(slot.keepalive);
      slot.session?.close();
    }
    for (const w of this.waiters.splice(0)) w.fail(new FerryError('cancelled', 'the connection was closed'));
  }

  private takeSlot(lane: Lane, signal?: AbortSignal): Promise<Slot> {
    if (this.closed) return Promise.reject(new FerryError('cancelled', 'the connection was closed'));
    if (signal?.aborted) return Promise.reject(new FerryError('cancelled', 'cancelled'));
    const free = this.freeSlot(lane);
    if (free) {
      this.occupy(free);
      return Promise.resolve(free);
    }
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new FerryError('cancelled', 'cancelled'));
      };
      const waiter: Waiter = {
        lane,
        grant: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** True when every operation shares the browsing connection. */
  private get shared(): boolean {
    return this.options.transferSlots === 0;
  }

  private freeSlot(lane: Lane): Slot | undefined {
    if (lane === 'browse' || this.shared) return this.browse.busy ? undefined : this.browse;
    const idle = this.transfers.find((s) => !s.busy && s.session && !s.session.closed) ?? this.transfers.find((s) => !s.busy);
    if (idle) return idle;
    if (this.transfers.length < this.options.transferSlots) {
      const slot: Slot = { session: undefined, busy: false, keepalive: undefined };
      this.transfers.push(slot);
      return slot;
    }
    return undefined;
  }

  private occupy(slot: Slot): void {
    slot.busy = true;
    if (slot.keepalive) clearTimeout(slot.keepalive);
    slot.keepalive = undefined;
  }

  private giveBack(slot: Slot): void {
    slot.busy = false;
    if (this.closed) return;
    const lane: Lane = slot === this.browse ? 'browse' : 'transfer';
    const i = this.shared ? 0 : this.waiters.findIndex((w) => w.lane === lane);
    if (i >= 0 && i < this.waiters.length) {
      const [waiter] = this.waiters.splice(i, 1);
      this.occupy(slot);
      waiter!.grant(slot);
      return;
    }
    this.scheduleKeepalive(slot);
  }

  private scheduleKeepalive(slot: Slot): void {
    if (this.options.keepaliveMs <= 0 || !slot.session || slot.session.closed) return;
    slot.keepalive = setTimeout(() => {
      slot.keepalive = undefined;
      const session = slot.session;
      if (slot.busy || this.closed || !session || session.closed) return;
      this.occupy(slot);
      sendCommand(session.client, 'NOOP', this.options.commandMs)
        .catch((err: Error) => {
          this.options.logger.log('debug', `keepalive failed, will reconnect on next use: ${err.message}`);
          session.close();
        })
        .finally(() => this.giveBack(slot));
    }, this.options.keepaliveMs);
    slot.keepalive.unref();
  }
}
