import type { Locator, Page } from 'playwright-core';

/** Fills the quickconnect bar and presses Connect. */
export async function quickconnect(page: Page, opts: { protocol: string; host: string; port: number; user: string; password: string }): Promise<void> {
  await page.getByLabel('Protocol').selectOption(opts.protocol);
  await page.getByLabel('Host').fill(opts.host);
  await page.getByLabel('Port').fill(String(opts.port));
  await page.getByLabel('User').fill(opts.user);
  await page.getByLabel('Password').fill(opts.password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

/** A row of a pane by entry name. */
export function row(page: Page, side: 'local' | 'remote', name: string): Locator {
  return page.locator(`[data-testid="${side}-pane"] [role="row"][data-name="${name}"]`);
}

/** The entry names a pane shows, in order. */
export function rowNames(page: Page, side: 'local' | 'remote'): Promise<string[]> {
  return page.locator(`[data-testid="${side}-pane"] [role="row"][data-name]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
}

/**
 * Drags a row onto the other pane with the mouse, as a user does: Playwright presses the button
 * on the row, moves in steps to the other pane's table body and releases, and Chromium turns that
 * into its own HTML5 drag (dragstart, dragenter, dragover, drop, dragend with a real DataTransfer).
 */
export async function dragRowToPane(page: Page, from: 'local' | 'remote', name: string, to: 'local' | 'remote'): Promise<void> {
  const source = page.locator(`[data-testid="${from}-pane"] [role="row"][data-name="${name}"]`);
  const target = page.locator(`[data-testid="${to}-pane"] .file-table-body`);
  const box = await target.boundingBox();
  if (!box) throw new Error(`the ${to} pane is not visible`);
  // Aim below the last row when there is room, so the drop lands on the folder shown, not on a row.
  await source.dragTo(target, { targetPosition: { x: Math.min(40, box.width / 2), y: box.height - 8 }, steps: 8 });
}

/** Opens a tab of the bottom panel (Queued, Failed, Done, Log). */
export async function openTab(page: Page, name: 'Queued' | 'Failed' | 'Done' | 'Log'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}
