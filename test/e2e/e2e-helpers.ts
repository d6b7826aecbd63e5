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
 * Drags a row onto the other pane with real HTML5 drag events built in the page (a DataTransfer
 * carried from dragstart to drop), the way a user's drag reaches the app.
 */
export async function dragRowToPane(page: Page, from: 'local' | 'remote', name: string, to: 'local' | 'remote'): Promise<void> {
  await page.evaluate(
    (args) => {
      const source = document.querySelector(`[data-testid="${args.from}-pane"] [role="row"][data-name="${CSS.escape(args.name)}"]`);
      const target = document.querySelector(`[data-testid="${args.to}-pane"] .file-table-body`);
      if (!source || !target) throw new Error('drag source or target missing');
      const dataTransfer = new DataTransfer();
      const fire = (el: Element, type: string): boolean => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
      fire(source, 'dragstart');
      fire(target, 'dragenter');
      fire(target, 'dragover');
      fire(target, 'drop');
      fire(source, 'dragend');
    },
    { from, name, to },
  );
}

/** Opens a tab of the bottom panel (Queued, Failed, Done, Log). */
export async function openTab(page: Page, name: 'Queued' | 'Failed' | 'Done' | 'Log'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}
