import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Fast checks of electron-builder.yml (part of `npm test`); the real pack is `npm run test:packaging`.
const ROOT = resolve(import.meta.dirname, '../..');

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string };
  win: { target: string };
}

// js-yaml ships with electron-builder (no type declarations): loaded untyped, the result is checked below.
const yaml = (await import('js-yaml' as string)) as { load(text: string): unknown };
const config = yaml.load(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app and builds the four installers', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Ferry');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('packs only the built app and package.json', () => {
    const included = config.files.filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
  });

  it('packs what the built main entry points to', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toMatch(/^out\/main\//);
  });

  it("keeps ssh2's native crypto outside the archive and rebuilds it for Electron", () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/ssh2/lib/protocol/crypto/build/Release/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('turns off the Electron features an attacker could use to run code through the app', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});
