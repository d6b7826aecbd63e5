import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { installDataFastPath } from '../../../main/protocols/sftp/sftp-data-fast-path';
import { ReadRing } from '../../../main/protocols/sftp/ssh-read-ring';
import { adapterFor, makeDirs, randomFile } from './helpers/sftp-fixture';
import { startTestServer } from './helpers/test-ssh-server';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

// ---- sftp-data-fast-path: framing ----------------------------------------------------------

type Req = { buffer?: Buffer; cb?: (err: Error | undefined, data: Buffer, nb: number) => void };
type Pushable = { push: (d: Buffer | null) => unknown };

/** What the SSH layer does with channel data: calls the SFTP object's push(). */
const feed = (sftp: SFTPWrapper, d: Buffer | null): unknown => (sftp as unknown as Pushable).push(d);

/** A stand-in for ssh2's SFTP object: records the packets its own push() receives. */
function fakeSftp(): { sftp: SFTPWrapper; pushed: Buffer[]; requests: Record<number, Req | undefined> } {
  const pushed: Buffer[] = [];
  const requests: Record<number, Req | undefined> = {};
  const obj = {
    _requests: requests,
    _maxInPktLen: 256 * 1024,
    push(data: Buffer | null) {
      if (data) pushed.push(data);
      return undefined;
    },
  };
  return { sftp: obj as unknown as SFTPWrapper, pushed, requests };
}

function packet(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, body]);
}

function dataPacket(reqId: number, data: Buffer): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(reqId, 0);
  b.writeUInt32BE(data.length, 4);
  return packet(103, Buffer.concat([b, data]));
}

/** Splits `stream` into chunks of random sizes (1 byte up to `max`). */
function chop(stream: Buffer, max: number, seed: number): Buffer[] {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % max) + 1;
  const out: Buffer[] = [];
  for (let p = 0; p < stream.length; ) {
    const n = Math.min(rnd(), stream.length - p);
    out.push(stream.subarray(p, p + n));
    p += n;
  }
  return out;
}

describe('SFTP DATA fast path', () => {
  for (const [max, seed] of [
    [1, 1],
    [7, 2],
    [300, 3],
    [40_000, 4],
    [1 << 20, 5],
  ] as const) {
    it(`delivers READ data into the request's buffer and every other packet whole, in chunks of up to ${max} bytes`, () => {
      const { sftp, pushed, requests } = fakeSftp();
      installDataFastPath(sftp);
      const others = [
        packet(2, Buffer.from([0, 0, 0, 3])), // VERSION: 9 bytes in all, shorter than a DATA header
        packet(102, Buffer.from('\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0004hndl', 'latin1')), // HANDLE
        packet(101, randomBytes(40)), // STATUS
        packet(104, randomBytes(70_000)), // a big NAME
        dataPacket(77, randomBytes(500)), // DATA for a request nobody made
        dataPacket(78, randomBytes(600)), // DATA longer than its request's buffer
      ];
      const datas = [randomBytes(0), randomBytes(1), randomBytes(32_000), randomBytes(261_000), randomBytes(5)];
      const got: { id: number; data: Buffer; nb: number }[] = [];
      datas.forEach((_, i) => {
        requests[i] = { buffer: Buffer.alloc(261_120), cb: (err, data, nb) => got.push({ id: i, data: Buffer.from(data.subarray(0, nb)), nb }) };
      });
      requests[78] = { buffer: Buffer.alloc(100), cb: () => got.push({ id: 78, data: Buffer.alloc(0), nb: -1 }) };
      const stream = Buffer.concat([others[0]!, dataPacket(0, datas[0]!), others[1]!, dataPacket(1, datas[1]!), others[2]!, dataPacket(2, datas[2]!), others[3]!, dataPacket(3, datas[3]!), others[4]!, others[5]!, dataPacket(4, datas[4]!)]);
      const chunks = chop(Buffer.from(stream), max, seed);
      for (const c of chunks) feed(sftp, c);
      // Every other packet reached ssh2 intact, in order, in buffers of its own.
      expect(pushed.map((b) => b.toString('hex'))).toEqual(others.map((b) => b.toString('hex')));
      for (const b of pushed) expect(chunks.some((c) => c.buffer === b.buffer)).toBe(false);
      // DATA answers went to their requests, which are settled (and so removed).
      expect(got.map((g) => g.id)).toEqual([0, 1, 2, 3, 4]);
      got.forEach((g) => expect(g.data.equals(datas[g.id]!)).toBe(true));
      expect(Object.keys(requests).map(Number).sort((a, b) => a - b)).toEqual([78]);
    });
  }

  it('keeps a READ registered until its data is all in, so a channel dying meanwhile fails it once', () => {
    const { sftp, requests } = fakeSftp();
    installDataFastPath(sftp);
    const calls: string[] = [];
    requests[5] = { buffer: Buffer.alloc(1000), cb: (err) => calls.push(err ? 'error' : 'data') };
    const whole = dataPacket(5, randomBytes(1000));
    feed(sftp, whole.subarray(0, 500));
    expect(requests[5]).toBeDefined();
    // What ssh2 does to every open request when the channel closes.
    for (const id of Object.keys(requests)) {
      const r = requests[Number(id)]!;
      delete requests[Number(id)];
      r.cb!(new Error('channel closed'), Buffer.alloc(0), 0);
    }
    feed(sftp, whole.subarray(500));
    expect(calls).toEqual(['error']);
  });

  it('hands a bad packet length to ssh2 so it fails the session as before', () => {
    const { sftp, pushed } = fakeSftp();
    installDataFastPath(sftp);
    feed(sftp, Buffer.from([0, 0, 0, 0, 1, 2, 3]));
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.toString('hex')).toBe('00000000010203');
    const second = fakeSftp();
    installDataFastPath(second.sftp);
    feed(second.sftp, Buffer.from([0, 0x10, 0, 0, 103]));
    expect(second.pushed[0]!.readUInt32BE(0)).toBe(0x100000);
  });

  it('passes the end of the stream on', () => {
    const { sftp, pushed } = fakeSftp();
    let ended = false;
    (sftp as unknown as Pushable).push = (d) => {
      if (d === null) ended = true;
      else pushed.push(d);
      return undefined;
    };
    installDataFastPath(sftp);
    feed(sftp, null);
    expect(ended).toBe(true);
  });
});

// ---- ssh-read-ring ---------------------------------------------------------------------------

async function byteServer(onConn: (s: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer(onConn);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise((r) => server.close(r)));
  return { port: (server.address() as AddressInfo).port, server };
}

describe('SSH read ring', () => {
  it('hands reads over as copies until shared, then in place in reused buffers', async () => {
    let peer: Socket | undefined;
    const { port } = await byteServer((s) => (peer = s));
    const ring = new ReadRing('127.0.0.1', port);
    cleanup.push(async () => ring.socket.destroy());
    const chunks: Buffer[] = [];
    ring.socket.on('data', (d: Buffer) => chunks.push(d));
    await once(ring.socket, 'connect');
    const next = async (fill: number): Promise<Buffer> => {
      const before = chunks.length;
      peer!.write(Buffer.alloc(1000, fill));
      while (chunks.length === before) await new Promise((r) => setTimeout(r, 2));
      return chunks[chunks.length - 1]!;
    };
    const early = await next(1);
    for (let i = 2; i < 12; i++) await next(i);
    expect(early.every((b) => b === 1)).toBe(true); // a copy: later reads left it alone
    ring.share(0);
    const shared = await next(50);
    for (let i = 51; i < 62; i++) await next(i);
    expect(shared.every((b) => b === 50)).toBe(false); // in place: a later read reused its buffer
  });

  it('copies every payload ssh2 may keep once shared, but not the SFTP channel data', () => {
    const ring = new ReadRing('127.0.0.1', 9); // never used for I/O here
    ring.socket.on('error', () => undefined);
    ring.socket.destroy();
    const forChannel = (id: number): Buffer => Buffer.from([94, 0, 0, 0, id, 1, 2, 3]);
    const kexinit = Buffer.from([20, 1, 2, 3]);
    expect(ring.own(kexinit)).toBe(kexinit); // before share: reads are copies already
    ring.share(3);
    const mine = forChannel(3);
    expect(ring.own(mine)).toBe(mine);
    for (const p of [kexinit, forChannel(4), Buffer.from([95, 0, 0, 0, 3, 9])]) {
      const before = Buffer.from(p);
      const owned = ring.own(p);
      p.fill(0); // the read buffer gets reused
      expect(owned.equals(before)).toBe(true);
    }
  });
});

// ---- both, end to end -----------------------------------------------------------------------

/** A proxy that passes the server's bytes on in random small pieces, so packets straddle reads. */
async function choppingProxy(targetPort: number): Promise<number> {
  const open = new Set<Socket>();
  const { port, server } = await byteServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client).add(upstream);
    client.pipe(upstream);
    let seed = 9;
    upstream.on('data', (d: Buffer) => {
      upstream.pause();
      const pieces = chop(d, 3000, seed++);
      let i = 0;
      const step = (): void => {
        if (client.destroyed) return;
        // A few pieces at a time, with a pause between groups, so the client reads them apart.
        for (let k = 0; k < 4 && i < pieces.length; k++) client.write(pieces[i++]!);
        if (i < pieces.length) setImmediate(step);
        else upstream.resume();
      };
      step();
    });
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  cleanup.push(async () => {
    for (const s of open) s.destroy();
  });
  void server;
  return port;
}

describe('SFTP read path end to end', () => {
  it('stays byte-exact through re-keys, listings, a hash on a second channel and packets torn across reads', async () => {
    const dirs = await makeDirs();
    cleanup.push(() => dirs.cleanup());
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } }, rekeyEveryBytes: 200 * 1024, sftp: { checkFile: { announce: 'sha256' } } });
    cleanup.push(() => server.close());
    const big = await randomFile(join(dirs.root, 'big.bin'), 3 * 1024 * 1024 + 4321);
    for (let i = 0; i < 30; i++) await randomFile(join(dirs.root, `f${i}.bin`), 100 + i);
    for (const port of [server.port, await choppingProxy(server.port)]) {
      const fs = adapterFor(port, dirs, {}, { maxInFlightBytes: 1024 * 1024 });
      await fs.connect();
      cleanup.push(() => fs.close());
      const [list, hash] = await Promise.all([fs.list('/'), fs.hash('/big.bin', 'sha256'), fs.download('/big.bin', join(dirs.local, `big-${port}.bin`))]);
      expect(list.filter((e) => /^f\d+\.bin$/.test(e.name))).toHaveLength(30);
      expect(hash).toBe(createHash('sha256').update(big).digest('hex'));
      expect((await readFile(join(dirs.local, `big-${port}.bin`))).equals(big)).toBe(true);
      // A handle opened before many reads (and re-keys) still works: ssh2 kept a copy of it.
      await fs.upload(join(dirs.local, `big-${port}.bin`), `/up-${port}.bin`);
      expect((await readFile(join(dirs.root, `up-${port}.bin`))).equals(big)).toBe(true);
      expect((await fs.stat('/f7.bin')).size).toBe(107);
      await fs.close();
    }
    expect(server.rekeys()).toBeGreaterThanOrEqual(10);
  });
});
