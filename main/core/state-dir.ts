import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder Ferry keeps its state in (known hosts, trusted certificates, consents, queue journal,
 * profiles), shared by the GUI and the CLI. Matches Electron's `app.getPath('userData')` for "Ferry".
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FERRY_STATE_DIR) return env.FERRY_STATE_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Ferry');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Ferry');
}
