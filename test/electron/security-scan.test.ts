import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A source scan for the Electron and TLS anti-patterns security linters (electronegativity and
 * the Electron security checklist) look for. Each risky call is allowed in the one file whose job
 * it is, and nowhere else. Adding a place means adding it here, in review, with the reason.
 */
const ROOT = resolve(import.meta.dirname, '../..');

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** Files (relative to the repo) where the pattern is expected, with why. */
  readonly allowed: Readonly<Record<string, string>>;
}

const NOWHERE = {};
const RULES: readonly Rule[] = [
  { name: 'weakened webPreferences', pattern: /\b(nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|webviewTag|allowRunningInsecureContent|experimentalFeatures)\s*:\s*true\b|\b(contextIsolation|sandbox|webSecurity)\s*:\s*false\b|enableBlinkFeatures|enableRemoteModule/, allowed: NOWHERE },
  { name: 'BrowserWindow creation', pattern: /new\s+BrowserWindow\s*\(/, allowed: { 'main/electron/create-window.ts': 'the one window, with secureWindowOptions' } },
  { name: 'shell.openExternal', pattern: /\bopenExternal\s*\(/, allowed: { 'main/electron/create-window.ts': 'http(s) links from window.open only' } },
  { name: 'shell.openPath', pattern: /\bopenPath\s*\(/, allowed: { 'main/electron/open-local.ts': 'documents only; runnable files are revealed' } },
  { name: 'contextBridge exposure', pattern: /exposeInMainWorld\s*\(/, allowed: { 'main/preload/preload.ts': 'one method per contract channel' } },
  { name: 'raw ipcMain', pattern: /\bipcMain\s*\.\s*(handle|on|once|handleOnce)\s*\(/, allowed: { 'main/ipc/register-ipc.ts': 'sender-validated, schema-validated registration' } },
  { name: 'raw ipcRenderer outside the preload', pattern: /\bipcRenderer\b/, allowed: { 'main/preload/preload.ts': 'wrapped per channel, never exposed' } },
  { name: 'TLS verification off', pattern: /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|ignore-certificate-errors|setCertificateVerifyProc|['"]certificate-error['"]/, allowed: {
    'main/protocols/ftp/ftp-certificates.ts': 'probe connection: the certificate is inspected and pinned before login',
    'main/protocols/ftp/ftp-control.ts': 'pinned control connection: verified against the pinned certificate in the secureConnect handler, refused unless authorized',
  } },
  { name: 'dynamic code', pattern: /(^|[^.\w])eval\s*\(|new\s+Function\s*\(|executeJavaScript\s*\(|unsafe-eval/, allowed: NOWHERE },
  { name: 'raw HTML injection', pattern: /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML\s*\(|document\.write\s*\(/, allowed: NOWHERE },
  { name: 'listening sockets', pattern: /\bcreateServer\s*\(|new\s+WebSocketServer\s*\(|\.listen\s*\(/, allowed: {
      'main/bridge/bridge-server.ts': 'the browser dev bridge (npm run dev:web), not in the packaged app',
      'main/protocols/ftp/active-mode.ts': 'FTP active mode: one data connection per transfer, on the control connection\'s local address, accepting only the server\'s address, closed after it',
    },
  },
];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx|cjs|mjs|js)$/.test(entry.name)) out.push(relative(ROOT, join(entry.parentPath, entry.name)).replace(/\\/g, '/'));
  }
  return out;
}

/** Drops comments so documentation may name the patterns it guards against. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = (await Promise.all(['main', 'renderer', 'shared'].map(sources))).flat();
const texts = new Map(await Promise.all(files.map(async (f) => [f, code(await readFile(join(ROOT, f), 'utf8'))] as const)));

describe('security scan of main/, renderer/ and shared/', () => {
  it('reads the sources', () => {
    expect(files).toContain('main/electron/create-window.ts');
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(RULES.map((r) => [r.name, r] as const))('%s only where allowed', (_name, rule) => {
    const found = [...texts].filter(([, text]) => rule.pattern.test(text)).map(([file]) => file);
    const unexpected = found.filter((f) => !Object.hasOwn(rule.allowed, f));
    expect(unexpected, `add a reviewed entry to test/electron/security-scan.test.ts if this is intended`).toEqual([]);
    // An allowance nothing uses any more is dropped, so the list stays a true map of the risky places.
    expect(Object.keys(rule.allowed).filter((f) => !found.includes(f)), 'stale allowance').toEqual([]);
  });

  it('still finds what it guards against (the patterns are not dead)', () => {
    const probe = (name: string, sample: string) => RULES.find((r) => r.name === name)!.pattern.test(code(sample));
    expect(probe('weakened webPreferences', '{ contextIsolation: false }')).toBe(true);
    expect(probe('weakened webPreferences', '{ nodeIntegration: true }')).toBe(true);
    expect(probe('TLS verification off', 'tls.connect({ rejectUnauthorized: false })')).toBe(true);
    expect(probe('dynamic code', 'const f = new Function("x")')).toBe(true);
    expect(probe('dynamic code', 'x.evaluate(1)')).toBe(false);
    expect(probe('raw HTML injection', 'el.innerHTML = s')).toBe(true);
    expect(probe('listening sockets', 'srv.listen(0)')).toBe(true);
    expect(probe('weakened webPreferences', '// contextIsolation: false is what we never do')).toBe(false);
  });
});
