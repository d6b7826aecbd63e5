import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceRequests } from '../../../main/protocols/sftp/request-coalescer';
import { adapterFor, makeDirs, randomFile } from './helpers/sftp-fixture';
import { startResetProxy } from '../../transfers/reset-proxy';
import { startTestServer } from './helpers/test-ssh-server';

const MiB = 1024 * 1024;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** ssh2's transport class: its prototype's channelData is what the coalescer stands in front of. */
type ChannelData = (chan: number, data: Buffer) => void;
class FakeProtocol {
  sent: Array<[number, string]> = [];
}
(FakeProtocol.prototype as unknown as { channelData: ChannelData }).channelData = function (this: FakeProtocol, chan: number, data: Buffer) {
  this.sent.push([chan, data.toString()]);
};

function fakeChannel(packetSize: number): { sftp: SFTPWrapper; proto: FakeProtocol & { channelData: ChannelData } } {
  const proto = new FakeProtocol() as FakeProtocol & { channelData: ChannelData };
  const sftp = { _protocol: proto, outgoing: { id: 3, packetSize } } as unknown as SFTPWrapper;
  return { sftp, proto };
}

describe('SFTP request coalescing', () => {
  it('sends small requests of one burst in shared packets, in order, within the packet size', () => {
    const { sftp, proto } = fakeChannel(10);
    coalesceRequests(sftp, () => {
      for (const s of ['aaa', 'bbb', 'ccc', 'dd', 'eeee']) proto.channelData(3, Buffer.from(s));
    });
    expect(proto.sent).toEqual([
      [3, 'aaabbbccc'],
      [3, 'ddeeee'],
    ]);
    expect(Object.prototype.hasOwnProperty.call(proto, 'channelData')).toBe(false);
  });

  it('keeps the order of messages on other channels and passes full-size packets through', () => {
    const { sftp, proto } = fakeChannel(8);
    coalesceRequests(sftp, () => {
      proto.channelData(3, Buffer.from('ab'));
      proto.channelData(7, Buffer.from('other'));
      proto.channelData(3, Buffer.from('cd'));
      proto.channelData(3, Buffer.from('12345678'));
      proto.channelData(3, Buffer.from('ef'));
    });
    expect(proto.sent).toEqual([
      [3, 'ab'],
      [7, 'other'],
      [3, 'cd'],
      [3, '12345678'],
      [3, 'ef'],
    ]);
  });

  it('still sends what was gathered and restores ssh2 when the burst throws', () => {
    const { sftp, proto } = fakeChannel(100);
    expect(() =>
      coalesceRequests(sftp, () => {
        proto.channelData(3, Buffer.from('x'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(proto.sent).toEqual([[3, 'x']]);
    expect(Object.prototype.hasOwnProperty.call(proto, 'channelData')).toBe(false);
  });

  it('runs the burst unchanged on an object without ssh2 internals', () => {
    let ran = false;
    coalesceRequests({} as SFTPWrapper, () => (ran = true));
    expect(ran).toBe(true);
  });

  it('a real download sends its READs in batches: far fewer SSH packets than requests, byte-exact', async () => {
    const dirs = await makeDirs();
    cleanup.push(() => dirs.cleanup());
    const server = await startTestServer({ root: dirs.root, users: { alice: { password: 'secret' } } });
    cleanup.push(() => server.close());
    // Through a link of 16 MiB/s the answers trickle in one by one: refilling the pipeline at
    // every answer would send one READ per packet.
    const proxy = await startResetProxy(server.port, undefined, { bytesPerSecond: 16 * MiB });
    cleanup.push(() => proxy.close());
    const data = await randomFile(join(dirs.root, 'big.bin'), 8 * MiB + 777);
    // Count the small SSH packets of channel data at ssh2's transport (the in-process server's
    // DATA answers are 32 KiB each; the client's READs are ~30 bytes each).
    const Protocol = createRequire(import.meta.url)('ssh2/lib/protocol/Protocol.js') as { prototype: { channelData: ChannelData } };
    const original = Protocol.prototype.channelData;
    let packets = 0;
    let bytes = 0;
    Protocol.prototype.channelData = function (this: unknown, chan: number, d: Buffer) {
      if (d.length < 4096) {
        packets++;
        bytes += d.length;
      }
      return original.call(this, chan, d);
    };
    cleanup.push(async () => (Protocol.prototype.channelData = original));
    const fs = adapterFor(proxy.port, dirs, {}, { maxInFlightBytes: 2 * MiB, chunkSize: 32 * 1024 });
    await fs.connect();
    cleanup.push(() => fs.close());
    packets = 0;
    bytes = 0;
    expect(await fs.download('/big.bin', join(dirs.local, 'big.bin'))).toBe(data.length);
    expect((await readFile(join(dirs.local, 'big.bin'))).equals(data)).toBe(true);
    const reads = Math.ceil(data.length / (32 * 1024));
    // Every READ is at least 25 bytes of payload; they went out in a few dozen packets.
    expect(bytes).toBeGreaterThan(reads * 25);
    expect(packets).toBeLessThan(reads / 4);
  });
});
