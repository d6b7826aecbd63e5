/**
 * Development and E2E only: when the page is served by `npm run dev:web` (vite mode "bridge"),
 * installs `window.ferry` speaking to the real core over a WebSocket. In the app, the preload has
 * already set `window.ferry` and this module's bridge code is not even in the bundle.
 */
export async function installBridgeIfNeeded(): Promise<void> {
  if (import.meta.env.MODE !== 'bridge' || window.ferry) return;
  const { connectBridge } = await import('./ws-ferry-api');
  window.ferry = await connectBridge();
}
