import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FerryCore } from '../../../main/app/ferry-core';
import { buildWebRenderer, startFerryWeb as startCoreAndBridge } from '../../../main/bridge/dev-web';

/** Where E2E screenshots go (look at them). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../test-output/e2e');

let built: Promise<string> | undefined;

/** Builds the renderer in bridge mode once per test process. */
export function webRendererDir(): Promise<string> {
  built ??= buildWebRenderer();
  return built;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface FerryWeb {
  readonly url: string;
  readonly page: Page;
  readonly browser: Browser;
  readonly core: FerryCore;
  /** The temporary state dir (trust, consents, journal) of this run. */
  readonly stateDir: string;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real core behind the dev bridge, the renderer built in bridge mode, and headless Debian
 * chromium on the page. Everything on 127.0.0.1; `close()` stops all of it and removes the state dir.
 */
export async function startFerryWeb(options: { home?: string; viewport?: { width: number; height: number } } = {}): Promise<FerryWeb> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ferry-e2e-state-'));
  const staticDir = await webRendererDir();
  const web = await startCoreAndBridge({ stateDir, staticDir, ...(options.home ? { home: options.home } : {}) });
  const browser = await chromium.launch({ executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 60_000 });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(web.bridge.url);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    url: web.bridge.url,
    page,
    browser,
    core: web.core,
    stateDir,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await web.close();
      await rm(stateDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
}
