import type { RemoteEntry } from '../../../shared/model/remote-entry';
import { createRemoteFs } from '../../protocols/adapter-factory';
import type { CliContext } from '../cli-context';
import { connectOptionsFor, parseUrlArg } from '../cli-context';
import { withConnectRetries } from '../connect-retry';

/** `ferry ls <url> [--json]`: lists a remote folder (or shows one file). */
export async function lsCommand(ctx: CliContext, url: string, deps: { createRemoteFs: typeof createRemoteFs } = { createRemoteFs }): Promise<number> {
  const parsed = parseUrlArg(url);
  const options = await connectOptionsFor(ctx, parsed);
  // Connecting and listing are retried together: a reset mid-listing starts the listing over.
  const entries = await withConnectRetries(ctx, async () => {
    const fs = await deps.createRemoteFs(options);
    try {
      await fs.connect();
      const st = await fs.stat(parsed.path);
      return st.type === 'dir' ? await fs.list(parsed.path) : [{ ...st, name: parsed.path.slice(parsed.path.lastIndexOf('/') + 1) }];
    } finally {
      await fs.close();
    }
  });
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (ctx.options.json) ctx.io.stdout.write(`${JSON.stringify(sorted)}\n`);
  else for (const e of sorted) ctx.io.stdout.write(`${formatEntry(e)}\n`);
  return 0;
}

/** One line like `ls -l`: type+mode, size, ISO time, name (and link target). */
export function formatEntry(e: RemoteEntry): string {
  const t = e.type === 'dir' ? 'd' : e.type === 'symlink' ? 'l' : e.type === 'file' ? '-' : '?';
  const mode = e.mode === null ? '?????????' : rwx(e.mode);
  const time = e.mtime === null ? '-'.padEnd(19) : new Date(e.mtime).toISOString().slice(0, 19).replace('T', ' ');
  const link = e.type === 'symlink' && e.linkTarget ? ` -> ${printable(e.linkTarget)}` : '';
  return `${t}${mode} ${String(e.size).padStart(12)} ${time} ${printable(e.name)}${link}`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\\]/g;

/**
 * A server's name made safe for a terminal: control characters (escape sequences could rewrite
 * the screen or the title) shown as \xNN, as `ls -b` does. `--json` output is escaped by JSON.
 */
export function printable(name: string): string {
  return name.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function rwx(mode: number): string {
  const bits = 'rwxrwxrwx';
  let s = '';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}
