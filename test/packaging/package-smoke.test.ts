import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { listPackage, extractFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The offline packaging smoke test: `npm run test:packaging` (slow: builds and packs; not part of `npm test`).
// electron-builder packs against a stub "electron" executable, so no Electron download is needed.
const RUN = process.env.FERRY_PACKAGING === '1';
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Electron's fuse sentinel, then wire version 1 and 8 fuses in their stock Electron states. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const STOCK_FUSES = '10110001';

let dir: string;
let appDir: string;
let files: string[];

describe.skipIf(!RUN || process.platform !== 'linux')('electron-builder --dir (offline, stub Electron)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-packaging-'));
    const stub = join(dir, 'electron-dist');
    await mkdir(stub);
    const wire = Buffer.concat([Buffer.from(`#!/bin/sh\nexit 0\n# ${SENTINEL}`), Buffer.from([1, STOCK_FUSES.length]), Buffer.from(STOCK_FUSES), Buffer.from('\n')]);
    await writeFile(join(stub, 'electron'), wire);
    await chmod(join(stub, 'electron'), 0o755);

    await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });

    const { build, Platform } = await import('electron-builder');
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      // Merged over electron-builder.yml: only where to find Electron, where to write, and no native rebuild (offline).
      config: { electronDist: stub, npmRebuild: false, directories: { output: join(dir, 'dist') } },
    });
    appDir = join(dir, 'dist', 'linux-unpacked');
    files = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('packs the built main, preload and renderer and package.json', () => {
    expect(files).toContain('/package.json');
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/preload.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.some((f) => /^\/out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    const pkg = JSON.parse(extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { main: string };
    expect(files).toContain(`/${pkg.main}`);
  });

  it("packs the runtime dependencies, with ssh2's native crypto unpacked beside the archive", async () => {
    for (const dep of ['ssh2', 'basic-ftp', 'electron-store', 'conf']) expect(files).toContain(`/node_modules/${dep}/package.json`);
    const native = 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node';
    expect(files).toContain(`/${native}`);
    expect((await stat(join(appDir, 'resources', 'app.asar.unpacked', native))).size).toBeGreaterThan(1000);
  });

  it('leaves out tests, benchmarks, sources, the browser dev build and renderer-only libraries', () => {
    const forbidden = files.filter((f) =>
      /^\/(test|bench|main|shared|renderer|\.ci|out\/web)\//.test(f) ||
      /^\/node_modules\/(react|react-dom|zustand|@tanstack|ws|electron|electron-builder|vitest|typescript)\//.test(f) ||
      /^\/[^/]+\.(ts|yml|md)$/.test(f) ||
      f.endsWith('.map'));
    expect(forbidden).toEqual([]);
  });

  it('opens no local port but FTP active mode\'s data port: no server, no dev bridge', () => {
    const archive = join(appDir, 'resources', 'app.asar');
    const mainFiles = files.filter((f) => f.startsWith('/out/main/') && f.endsWith('.js'));
    expect(mainFiles.length).toBeGreaterThan(0);
    // The one listener: a per-transfer data port for FTP active mode (main/protocols/ftp/active-mode.ts,
    // reviewed in test/electron/security-scan.test.ts), bound to the control connection's local address.
    const activeMode = [/createServer\(\{\s*pauseOnConnect:\s*(?:true|!0)\s*\}\)/g, /\bserver\.listen\(0,\s*host,/g];
    let activeModeListeners = 0;
    for (const file of mainFiles) {
      let code = extractFile(archive, file.slice(1)).toString('utf8');
      for (const re of activeMode) {
        activeModeListeners += (code.match(re) ?? []).length;
        code = code.replace(re, '');
      }
      expect(code, file).not.toMatch(/\bcreateServer\s*\(|\.listen\s*\(|WebSocketServer|from ["']ws["']|require\(["']ws["']\)/);
    }
    expect(activeModeListeners).toBe(2);
  });

  it('flips the Electron fuses from the config (no run-as-node, no NODE_OPTIONS, app only from asar)', async () => {
    const binary = await readFile(join(appDir, 'ferry'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    expect(binary[at]).toBe(1);
    expect(binary.subarray(at + 2, at + 2 + 6).toString()).toBe('010011');
  });
});
