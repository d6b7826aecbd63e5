import { createServer, connect, type Socket, type AddressInfo } from 'node:net';

/** A TCP proxy on 127.0.0.1 that resets each connection once it has carried `resetEveryBytes`. */
export interface ResetProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Connections the proxy reset. */
  readonly resets: () => number;
  /** Bytes relayed in both directions. */
  readonly bytes: () => number;
  setLimit(bytes: number | undefined): void;
  /** Stop relaying on each connection once it has carried `bytes` (held, not reset); undefined lets it go on. */
  setHold(bytes: number | undefined): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:targetPort`. Once a connection has relayed `resetEveryBytes`
 * (both directions counted), both sides are destroyed with a TCP RST, as a flaky NAT or Wi-Fi
 * handover would do. `bytesPerSecond` caps each connection's speed like a real link.
 */
/** Credit a capped link may build up while idle. */
const MAX_BURST_MS = 100;

export async function startResetProxy(targetPort: number, resetEveryBytes: number | undefined, options: { bytesPerSecond?: number } = {}): Promise<ResetProxy> {
  let limit = resetEveryBytes;
  let connections = 0;
  let resets = 0;
  let total = 0;
  let hold: number | undefined;
  const held = new Set<Socket>();
  const open = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    let moved = 0;
    let dead = false;
    /** When the bytes relayed so far are paid for at `bytesPerSecond`. */
    let due = Date.now();
    const kill = (): void => {
      if (dead) return;
      dead = true;
      resets++;
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    };
    const relay = (from: Socket, to: Socket): void => {
      from.on('data', (d: Buffer) => {
        if (dead) return;
        moved += d.length;
        total += d.length;
        to.write(d);
        if (limit !== undefined && moved >= limit) kill();
        if (hold !== undefined && moved >= hold && !dead) {
          from.pause();
          held.add(from);
          return;
        }
        // Bandwidth cap: hold the sender back while ahead of schedule. Idle time (a handshake slow
        // on a busy machine) earns at most MAX_BURST_MS of credit, so it is not followed by a
        // burst far above the rate.
        const rate = options.bytesPerSecond;
        let ahead = 0;
        if (rate) {
          due = Math.max(due, Date.now() - MAX_BURST_MS) + (d.length / rate) * 1000;
          ahead = due - Date.now();
        }
        if (ahead > 5 && !dead) {
          from.pause();
          setTimeout(() => held.has(from) || from.resume(), ahead);
        }
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        open.delete(from);
        to.destroy();
      });
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    resets: () => resets,
    bytes: () => total,
    setLimit: (b) => {
      limit = b;
    },
    setHold: (b) => {
      hold = b;
      if (b !== undefined) return;
      for (const s of held) s.resume();
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
