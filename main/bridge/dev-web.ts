import { resolve } from 'node:path';
import { build } from 'vite';
import { FanOutSink } from '../app/event-sink';
import { FerryCore } from '../app/ferry-core';
import { defaultStateDir } from '../core/state-dir';
import { createHandlers } from '../ipc/handlers';
import { startBridge, type BridgeServer } from './bridge-server';

const projectRoot = resolve(import.meta.dirname, '../..');

/** Builds the renderer in "bridge" mode into out/web (development and E2E only). */
export async function buildWebRenderer(): Promise<string> {
  await build({ configFile: resolve(projectRoot, 'vite.web.config.ts'), mode: 'bridge', logLevel: 'warn' });
  return resolve(projectRoot, 'out/web');
}

/** A real core behind the dev bridge: what `npm run dev:web` and the E2E harness run. */
export async function startFerryWeb(options: { stateDir: string; home?: string; port?: number; staticDir?: string }): Promise<{ core: FerryCore; bridge: BridgeServer; close(): Promise<void> }> {
  const events = new FanOutSink();
  const core = new FerryCore({ stateDir: options.stateDir, events, ...(options.home ? { home: options.home } : {}) });
  await core.start();
  const staticDir = options.staticDir ?? (await buildWebRenderer());
  const bridge = await startBridge({ handlers: createHandlers(core), events, staticDir, ...(options.port !== undefined ? { port: options.port } : {}) });
  return {
    core,
    bridge,
    async close() {
      await bridge.close();
      await core.close();
    },
  };
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isEntry) {
  const port = process.env.FERRY_WEB_PORT ? Number(process.env.FERRY_WEB_PORT) : 0;
  const web = await startFerryWeb({ stateDir: defaultStateDir(), port });
  process.stdout.write(`Ferry dev bridge (127.0.0.1 only). Open:\n  ${web.bridge.url}\n`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
