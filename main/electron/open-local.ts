import { stat } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import { shell } from 'electron';
import { FerryError } from '../core/ferry-error';

/**
 * File types that run code when "opened" (double-clicked) on some desktop. A file just downloaded
 * from a server is never launched: Ferry shows it in the file manager instead.
 */
const RUNNABLE = new Set([
  '.exe', '.com', '.bat', '.cmd', '.msi', '.msp', '.scr', '.pif', '.cpl', '.lnk', '.url', '.hta', '.ps1', '.psm1', '.vbs', '.vbe',
  '.js', '.jse', '.wsf', '.wsh', '.reg', '.jar', '.app', '.command', '.tool', '.pkg', '.dmg', '.sh', '.bash', '.zsh', '.csh',
  '.desktop', '.appimage', '.run', '.bin', '.py', '.pl', '.rb', '.deb', '.rpm', '.scpt', '.workflow', '.terminal', '.iso', '.img',
  '.library-ms', '.settingcontent-ms', '.application', '.appref-ms', '.gadget', '.xbap', '.mht', '.chm',
]);

/** How to hand a local file to the OS: open it with its app, or only show it in its folder. */
export type OpenAction = 'open' | 'reveal';

/** Decides how to open a local path: folders and documents open; runnable or executable files are only revealed. */
export function openActionFor(path: string, info: { isDirectory: boolean; mode: number }, platform: NodeJS.Platform = process.platform): OpenAction {
  if (info.isDirectory) return 'open';
  if (RUNNABLE.has(extname(path).toLowerCase())) return 'reveal';
  if (platform !== 'win32' && (info.mode & 0o111) !== 0) return 'reveal';
  return 'open';
}

/**
 * "Open local file" from the UI: checks the path (absolute, exists), then opens it with the OS or,
 * for anything that could run code, reveals it in the file manager. Returns what it did.
 */
export async function openLocalPath(path: string): Promise<OpenAction> {
  if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0')) throw new FerryError('invalid-request', 'only an absolute local path can be opened');
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new FerryError('no-such-file', `${path} does not exist`);
  }
  const action = openActionFor(path, { isDirectory: info.isDirectory(), mode: info.mode });
  if (action === 'reveal') {
    shell.showItemInFolder(path);
    return action;
  }
  const error = await shell.openPath(path);
  if (error) throw new FerryError('not-supported', `the system could not open ${path}`, error);
  return action;
}
