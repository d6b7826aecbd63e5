import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import { makeKeyPair } from '../protocols/sftp/helpers/test-ssh-server';

const { STATUS_CODE } = ssh2.utils.sftp;

/** A file the hostile server serves: its listing name may be anything a server can send. */
export interface HostileEntry {
  readonly name: string;
  readonly data: string;
}

/**
 * An SFTP server (ssh2's in-process Server, 127.0.0.1) whose listing of `/h` holds whatever names
 * the test gives it, including ones that climb out ('../x', '/abs/x'). Any file, whatever path
 * the client asks for, is served by the name's last segment, so a client that followed a hostile
 * name would get its bytes (and the test would find them where they must not be).
 */
export async function startHostileServer(entries: readonly HostileEntry[]): Promise<{ port: number; opened: string[]; close(): Promise<void> }> {
  const hostKey = makeKeyPair().privateKey;
  const opened: string[] = [];
  const conns = new Set<Connection>();
  const attrs = (size: number, dir = false) => ({ mode: (dir ? 0o040755 : 0o100644) | 0, uid: 0, gid: 0, size, atime: 0, mtime: 1_700_000_000 });
  const byPath = (p: string): HostileEntry | undefined => entries.find((e) => `/h/${e.name}` === p);
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (conn) => {
    conns.add(conn);
    conn.on('error', () => undefined);
    conn.on('close', () => conns.delete(conn));
    conn.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'secret' ? ctx.accept() : ctx.reject(['password'])));
    conn.on('ready', () =>
      conn.on('session', (accept) =>
        accept().on('sftp', (acc) => {
          const sftp = acc();
          const files = new Map<number, HostileEntry>();
          const dirs = new Map<number, boolean>();
          let next = 1;
          const handle = (n: number) => {
            const b = Buffer.alloc(4);
            b.writeUInt32BE(n);
            return b;
          };
          sftp.on('REALPATH', (id, p) => sftp.name(id, [{ filename: p === '.' ? '/' : p, longname: p, attrs: attrs(0, true) }]));
          const statLike = (id: number, p: string) => {
            if (p === '/h' || p === '/') return sftp.attrs(id, attrs(0, true));
            const e = byPath(p);
            return e ? sftp.attrs(id, attrs(e.data.length)) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          };
          sftp.on('STAT', statLike);
          sftp.on('LSTAT', statLike);
          sftp.on('OPENDIR', (id, p) => {
            if (p !== '/h') return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            const n = next++;
            dirs.set(n, false);
            sftp.handle(id, handle(n));
          });
          sftp.on('READDIR', (id, h) => {
            const n = h.readUInt32BE(0);
            if (dirs.get(n)) return sftp.status(id, STATUS_CODE.EOF);
            dirs.set(n, true);
            sftp.name(id, entries.map((e) => ({ filename: e.name, longname: `-rw-r--r-- 1 u g ${e.data.length} Jan 1 00:00 ${e.name}`, attrs: attrs(e.data.length) })));
          });
          sftp.on('OPEN', (id, p) => {
            opened.push(p);
            const e = byPath(p) ?? entries.find((x) => p.endsWith(`/${x.name.split(/[\\/]/).pop()}`));
            if (!e) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            const n = next++;
            files.set(n, e);
            sftp.handle(id, handle(n));
          });
          sftp.on('FSTAT', (id, h) => {
            const e = files.get(h.readUInt32BE(0));
            return e ? sftp.attrs(id, attrs(e.data.length)) : sftp.status(id, STATUS_CODE.FAILURE);
          });
          sftp.on('READ', (id, h, offset, length) => {
            const e = files.get(h.readUInt32BE(0));
            if (!e) return sftp.status(id, STATUS_CODE.FAILURE);
            const buf = Buffer.from(e.data).subarray(offset, offset + length);
            return buf.length === 0 ? sftp.status(id, STATUS_CODE.EOF) : sftp.data(id, buf);
          });
          sftp.on('CLOSE', (id, h) => {
            files.delete(h.readUInt32BE(0));
            dirs.delete(h.readUInt32BE(0));
            sftp.status(id, STATUS_CODE.OK);
          });
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
      }),
  };
}
