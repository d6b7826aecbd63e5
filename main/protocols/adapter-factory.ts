import type { ConnectOptions, RemoteFs } from './remote-fs';

/**
 * The one place that knows which adapter serves which protocol. Everything else speaks RemoteFs.
 * Adapters register here as they land.
 */
export async function createRemoteFs(options: ConnectOptions): Promise<RemoteFs> {
  const protocol = options.target.protocol;
  switch (protocol) {
    case 'sftp': {
      const { SftpRemoteFs } = await import('./sftp/sftp-adapter');
      return new SftpRemoteFs(options);
    }
    case 'ftp':
    case 'ftpes':
    case 'ftps': {
      const { FtpRemoteFs } = await import('./ftp/ftp-adapter');
      return new FtpRemoteFs(options, options.connections === undefined ? {} : { transferConnections: options.connections - 1 });
    }
  }
}

/** Creates an adapter and connects it; a failed connect leaves nothing open behind it. */
export async function connectRemoteFs(options: ConnectOptions, create: (options: ConnectOptions) => Promise<RemoteFs> = createRemoteFs): Promise<RemoteFs> {
  const fs = await create(options);
  try {
    await fs.connect();
  } catch (err) {
    await fs.close().catch(() => undefined);
    throw err;
  }
  return fs;
}
