import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node options the `ferry` command runs with (its shebang line), so a benchmark that drives
 * Ferry's core in a child process runs it the way a user's `ferry` does.
 */
export function cliNodeFlags(): string[] {
  const shebang = readFileSync(join(import.meta.dirname, '../main/cli/ferry-bin.js'), 'utf8').split('\n')[0] ?? '';
  const m = /^#!\/usr\/bin\/env(?:\s+-S)?\s+node\b(.*)$/.exec(shebang);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}
