import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { ConnectionTarget } from '../../shared/model/connection';
import type { RemoteEntry } from '../../shared/model/remote-entry';
import { FerryError } from '../../main/core/ferry-error';
import type { RemoteCapabilities, RemoteFs, TransferOptions } from '../../main/protocols/remote-fs';
import { remoteBasename, remoteDirname } from '../../main/protocols/remote-fs';

interface Node {
  type: 'file' | 'dir' | 'symlink';
  data: Buffer;
  mtime: number;
  mode: number;
  linkTarget?: string;
}

/** Knobs the tests turn on the fake server. */
export interface FakeServerOptions {
  capabilities?: Partial<RemoteCapabilities>;
  /** Drop the connection once this many payload bytes have moved on it. */
  resetEveryBytes?: number;
  /** Bytes per chunk (and per progress callback). */
  chunk?: number;
  /** Delay per chunk, ms (lets tests pause/cancel mid-file). */
  chunkDelayMs?: number;
  /** Rename onto an existing file replaces it (posix-rename); otherwise it fails like SFTP v3. */
  renameReplaces?: boolean;
  /** Delay per listing, ms. */
  listDelayMs?: number;
}

/** An in-memory server shared by every fake connection made to it: tests inspect and fault it. */
export class FakeServer {
  readonly nodes = new Map<string, Node>([['/', { type: 'dir', data: Buffer.alloc(0), mtime: 0, mode: 0o755 }]]);
  connects = 0;
  /** Listings served. */
  lists = 0;
  /** Payload bytes moved by every connection (downloads and uploads). */
  bytesMoved = 0;
  /** Connect attempts left to fail with this error before connects succeed again. */
  failConnects: { count: number; error: FerryError } | null = null;
  /** Paths whose transfer fails with this permanent error. */
  readonly brokenPaths = new Map<string, FerryError>();
  maxConcurrentCalls = 0;
  private calls = 0;
  readonly live = new Set<FakeRemoteFs>();
  /** Replaces the server's hash answer (a wrong digest, or an error to throw). */
  hashOverride: ((path: string) => string | Error) | undefined;
  /** Extra raw entries a listing of that folder returns (hostile names such as '../x'). */
  readonly injected = new Map<string, RemoteEntry[]>();

  constructor(public options: FakeServerOptions = {}) {}

  addFile(path: string, data: Buffer | string, mtime = Date.now(), mode = 0o644): void {
    this.mkdirp(remoteDirname(path));
    this.nodes.set(path, { type: 'file', data: Buffer.from(data), mtime, mode });
  }

  addSymlink(path: string, linkTarget: string): void {
    this.mkdirp(remoteDirname(path));
    this.nodes.set(path, { type: 'symlink', data: Buffer.alloc(0), mtime: 0, mode: 0o777, linkTarget });
  }

  mkdirp(path: string): void {
    if (path === '/' || this.nodes.get(path)?.type === 'dir') return;
    this.mkdirp(remoteDirname(path));
    this.nodes.set(path, { type: 'dir', data: Buffer.alloc(0), mtime: Date.now(), mode: 0o755 });
  }

  file(path: string): Buffer | undefined {
    const n = this.nodes.get(path);
    return n?.type === 'file' ? n.data : undefined;
  }

  /** A connect factory for the engine. */
  factory = async (target: ConnectionTarget): Promise<RemoteFs> => {
    const fs = new FakeRemoteFs(this, target);
    await fs.connect();
    return fs;
  };

  /** Drops every live connection, as a network reset would. */
  dropAll(): void {
    for (const c of this.live) c.drop();
  }

  enter(): void {
    this.calls++;
    this.maxConcurrentCalls = Math.max(this.maxConcurrentCalls, this.calls);
  }

  leave(): void {
    this.calls--;
  }
}

/** An in-memory RemoteFs speaking to a FakeServer; overlapping calls are allowed, as on SFTP. */
export class FakeRemoteFs implements RemoteFs {
  connected = false;
  private moved = 0;

  constructor(
    private readonly server: FakeServer,
    readonly target: ConnectionTarget,
  ) {}

  async connect(): Promise<void> {
    this.server.connects++;
    const f = this.server.failConnects;
    if (f && f.count > 0) {
      f.count--;
      throw f.error;
    }
    this.connected = true;
    this.server.live.add(this);
  }

  async close(): Promise<void> {
    this.connected = false;
    this.server.live.delete(this);
  }

  drop(): void {
    this.connected = false;
    this.server.live.delete(this);
  }

  capabilities(): RemoteCapabilities {
    return { rename: true, resumeUpload: true, resumeDownload: true, hashes: [], ...this.server.options.capabilities };
  }

  async home(): Promise<string> {
    this.check();
    return '/';
  }

  async list(path: string): Promise<RemoteEntry[]> {
    this.check();
    this.server.lists++;
    if (this.server.options.listDelayMs) await new Promise((r) => setTimeout(r, this.server.options.listDelayMs));
    const dir = this.server.nodes.get(path);
    if (!dir) throw new FerryError('no-such-file', `${path}: no such folder`);
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: RemoteEntry[] = [];
    for (const [p, n] of this.server.nodes) {
      if (p === path || !p.startsWith(prefix)) continue;
      const name = p.slice(prefix.length);
      if (name.includes('/')) continue;
      out.push(entry(name, n));
    }
    return [...out, ...(this.server.injected.get(path) ?? [])];
  }

  async stat(path: string): Promise<RemoteEntry> {
    this.check();
    const n = this.server.nodes.get(path);
    if (!n) throw new FerryError('no-such-file', `${path}: no such file`);
    return entry(remoteBasename(path), n);
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    this.check();
    if (this.server.nodes.has(path)) {
      if (options?.recursive && this.server.nodes.get(path)?.type === 'dir') return;
      throw new FerryError('already-exists', `${path} exists`);
    }
    if (options?.recursive) this.server.mkdirp(path);
    else {
      if (!this.server.nodes.has(remoteDirname(path))) throw new FerryError('no-such-file', `${remoteDirname(path)}: no such folder`);
      this.server.nodes.set(path, { type: 'dir', data: Buffer.alloc(0), mtime: Date.now(), mode: 0o755 });
    }
  }

  async rename(from: string, to: string): Promise<void> {
    this.check();
    if (!this.capabilities().rename) throw new FerryError('not-supported', 'rename is not supported');
    const n = this.server.nodes.get(from);
    if (!n) throw new FerryError('no-such-file', `${from}: no such file`);
    if (this.server.nodes.has(to) && !this.server.options.renameReplaces) throw new FerryError('already-exists', `${to} exists`);
    this.server.nodes.delete(from);
    this.server.nodes.set(to, n);
  }

  async removeFile(path: string): Promise<void> {
    this.check();
    if (this.server.nodes.get(path)?.type === 'dir') throw new FerryError('invalid-request', `${path} is a folder`);
    if (!this.server.nodes.delete(path)) throw new FerryError('no-such-file', `${path}: no such file`);
  }

  async removeDir(path: string): Promise<void> {
    this.check();
    for (const p of [...this.server.nodes.keys()]) if (p === path || p.startsWith(`${path}/`)) this.server.nodes.delete(p);
  }

  async chmod(path: string, mode: number): Promise<void> {
    this.check();
    const n = this.server.nodes.get(path);
    if (n) n.mode = mode;
  }

  async download(remotePath: string, localPath: string, options: TransferOptions = {}): Promise<number> {
    this.check();
    const broken = this.server.brokenPaths.get(remotePath);
    if (broken) throw broken;
    const n = this.server.nodes.get(remotePath);
    if (!n || n.type !== 'file') throw new FerryError('no-such-file', `${remotePath}: no such file`);
    const offset = options.offset ?? 0;
    const fh = await open(localPath, offset > 0 ? 'r+' : 'w');
    this.server.enter();
    try {
      await fh.truncate(offset);
      let pos = offset;
      const chunk = this.server.options.chunk ?? 64 * 1024;
      while (pos < n.data.length) {
        await this.tick(options.signal);
        const len = Math.min(chunk, n.data.length - pos, this.budget());
        await fh.write(n.data, pos, len, pos);
        pos += len;
        this.spend(len);
        options.onProgress?.({ transferred: pos });
      }
      return pos;
    } finally {
      this.server.leave();
      await fh.close();
    }
  }

  async upload(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<number> {
    this.check();
    const broken = this.server.brokenPaths.get(remotePath);
    if (broken) throw broken;
    const offset = options.offset ?? 0;
    const existing = this.server.nodes.get(remotePath);
    if (!this.server.nodes.has(remoteDirname(remotePath))) throw new FerryError('no-such-file', `${remoteDirname(remotePath)}: no such folder`);
    const node: Node = existing?.type === 'file' ? existing : { type: 'file', data: Buffer.alloc(0), mtime: Date.now(), mode: 0o644 };
    node.data = node.data.subarray(0, offset);
    this.server.nodes.set(remotePath, node);
    const size = (await stat(localPath)).size;
    const fh = await open(localPath, 'r');
    this.server.enter();
    try {
      let pos = offset;
      const chunk = this.server.options.chunk ?? 64 * 1024;
      while (pos < size) {
        await this.tick(options.signal);
        const len = Math.min(chunk, size - pos, this.budget());
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, pos);
        node.data = Buffer.concat([node.data, buf]);
        node.mtime = Date.now();
        pos += len;
        this.spend(len);
        options.onProgress?.({ transferred: pos });
      }
      return pos;
    } finally {
      this.server.leave();
      await fh.close();
    }
  }

  async hash(path: string, algorithm: string): Promise<string | undefined> {
    this.check();
    if (!this.capabilities().hashes.includes(algorithm)) return undefined;
    const forced = this.server.hashOverride?.(path);
    if (forced instanceof Error) throw forced;
    if (forced !== undefined) return forced;
    const n = this.server.nodes.get(path);
    if (!n) throw new FerryError('no-such-file', `${path}: no such file`);
    return createHash(algorithm).update(n.data).digest('hex');
  }

  private check(): void {
    if (!this.connected) throw new FerryError('connection-lost', 'the connection was lost');
  }

  private budget(): number {
    const every = this.server.options.resetEveryBytes;
    return every ? Math.max(1, every - this.moved) : Number.MAX_SAFE_INTEGER;
  }

  private spend(len: number): void {
    this.moved += len;
    this.server.bytesMoved += len;
    const every = this.server.options.resetEveryBytes;
    if (every && this.moved >= every) this.drop();
  }

  private async tick(signal?: AbortSignal): Promise<void> {
    const d = this.server.options.chunkDelayMs ?? 0;
    await new Promise((r) => (d > 0 ? setTimeout(r, d) : setImmediate(r)));
    if (signal?.aborted) throw new FerryError('cancelled', 'cancelled');
    this.check();
  }
}

function entry(name: string, n: Node): RemoteEntry {
  const base: RemoteEntry = { name, type: n.type, size: n.type === 'file' ? n.data.length : 0, mtime: n.mtime, mode: n.mode };
  return n.linkTarget ? { ...base, linkTarget: n.linkTarget } : base;
}
