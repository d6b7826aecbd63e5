import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { quickconnect, row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

const PASSWORD = 'Pw-e2e-narrow-4k';

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the page lays out, measured in one go: panes, their tables, headers (and whether their text fits), the top bar. */
interface Layout {
  readonly viewport: { width: number; height: number };
  readonly panes: Record<'local' | 'remote', { pane: Box; table: Box; headers: { name: string; box: Box; textFits: boolean }[]; rowsBox: Box }>;
  readonly topBar: Box;
  /** The remote pane's connection badge (the lock at least) and the title area it sits in. */
  readonly badge: Box | null;
  readonly titleArea: Box;
  readonly topBarOverflows: boolean;
  readonly docScroll: { width: number; height: number };
}

function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const side = (s: 'local' | 'remote'): Layout['panes']['local'] => {
      const pane = document.querySelector(`[data-testid="${s}-pane"]`)!;
      const table = pane.querySelector('.file-table')!;
      const headers = [...pane.querySelectorAll('[role="columnheader"]')].map((h) => {
        const button = h.querySelector('button')!;
        return { name: button.textContent ?? '', box: box(h), textFits: button.scrollWidth <= button.clientWidth };
      });
      return { pane: box(pane), table: box(table), headers, rowsBox: box(pane.querySelector('.file-table-body')!) };
    };
    const top = document.querySelector('.top-bar')!;
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      panes: { local: side('local'), remote: side('remote') },
      topBar: box(top),
      badge: document.querySelector('[data-testid="remote-pane"] .conn-badge') ? box(document.querySelector('[data-testid="remote-pane"] .conn-badge')!) : null,
      titleArea: box(document.querySelector('[data-testid="remote-pane"] .pane-title')!),
      topBarOverflows: [...top.querySelectorAll('input, select, button')].some((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
      }),
      docScroll: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
    };
  });
}

/** Both panes on screen and usable; each header whole, inside its table and clear of its neighbours. */
function expectUsable(layout: Layout, label: string): void {
  const { viewport } = layout;
  expect(layout.docScroll, `${label}: the page itself must not scroll`).toEqual(viewport);
  expect(layout.topBarOverflows, `${label}: a top bar control runs off the window`).toBe(false);
  if (layout.badge) {
    expect(layout.badge.width, `${label}: the connection badge is squeezed`).toBeGreaterThanOrEqual(24);
    expect(layout.badge.x + layout.badge.width, `${label}: the connection badge is cut off`).toBeLessThanOrEqual(layout.titleArea.x + layout.titleArea.width + 0.5);
  }
  for (const side of ['local', 'remote'] as const) {
    const { pane, table, headers, rowsBox } = layout.panes[side];
    const where = `${label}, ${side} pane`;
    expect(pane.x, `${where}: left edge`).toBeGreaterThanOrEqual(0);
    expect(pane.x + pane.width, `${where}: right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
    expect(pane.width, `${where}: width`).toBeGreaterThanOrEqual(280);
    // Room for a few rows at least.
    expect(rowsBox.height, `${where}: rows area height`).toBeGreaterThanOrEqual(4 * 22);
    expect(headers.length, `${where}: headers shown`).toBeGreaterThanOrEqual(2);
    expect(headers[0]!.name).toMatch(/^Name/);
    headers.forEach((h, i) => {
      expect(h.box.width, `${where}: "${h.name}" has a width`).toBeGreaterThan(30);
      expect(h.box.x, `${where}: "${h.name}" starts inside the table`).toBeGreaterThanOrEqual(table.x - 0.5);
      expect(h.box.x + h.box.width, `${where}: "${h.name}" ends inside the table`).toBeLessThanOrEqual(table.x + table.width + 0.5);
      expect(h.textFits, `${where}: "${h.name}" text is cut`).toBe(true);
      const next = headers[i + 1];
      if (next) expect(h.box.x + h.box.width, `${where}: "${h.name}" overlaps "${next.name}"`).toBeLessThanOrEqual(next.box.x + 0.5);
    });
  }
}

// The window at the sizes people use on small screens, and at the app's minimum (800x500): both
// panes stay on screen and usable, every column header shown is whole, the top bar stays inside.
describe('layout in a small window', () => {
  let base: string;
  let server: TestServer;
  let locked: TestServer;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-narrow-'));
    const root = join(base, 'root');
    const home = join(base, 'home');
    await mkdir(join(root, 'home', 'projects'), { recursive: true });
    await writeFile(join(root, 'home', 'a-remote-file-with-a-rather-long-name.tar.gz'), Buffer.alloc(12_345));
    await mkdir(home);
    await writeFile(join(home, 'notes.txt'), 'hello\n');
    server = await startTestServer({ root, users: { alice: { password: PASSWORD } }, methods: ['password'] });
    // A server that logs in but lists no folder at all.
    locked = await startTestServer({ root, users: { alice: { password: PASSWORD } }, methods: ['password'], sftp: { denied: ['/'] } });
    web = await startFerryWeb({ home, viewport: { width: 1024, height: 700 } });
    await row(web.page, 'local', 'notes.txt').waitFor({ timeout: 15_000 });
    await quickconnect(web.page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'alice', password: PASSWORD });
    const dialog = web.page.getByRole('dialog', { name: 'Unknown host key' });
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Trust once' }).click();
    await row(web.page, 'remote', 'projects').waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await locked?.close();
    await rm(base, { recursive: true, force: true });
  });

  for (const [width, height] of [
    [1024, 700],
    [800, 500],
  ] as const) {
    it(`keeps both panes and every header whole at ${width}x${height}`, async () => {
      const { page } = web;
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      await web.screenshot(`70-window-${width}x${height}`);
      expectUsable(await measure(page), `${width}x${height}`);
    });
  }

  it('keeps both panes usable when the split was dragged to one side', async () => {
    const { page } = web;
    await page.setViewportSize({ width: 800, height: 500 });
    const handle = page.getByRole('separator', { name: 'Resize the panes' });
    await handle.focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(200);
    await web.screenshot('71-window-800x500-split-right');
    expectUsable(await measure(page), '800x500, split far right');
    for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(200);
    expectUsable(await measure(page), '800x500, split far left');
  });

  it('shows a server that lists nothing as an error with a path field and Retry, fitting the minimum window', async () => {
    const { page } = web;
    await page.setViewportSize({ width: 800, height: 500 });
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: locked.port, user: 'alice', password: PASSWORD });
    // Still connected to the first server: quickconnect asks before replacing that session.
    const replace = page.getByRole('dialog', { name: 'Break the current connection?' });
    expect(await replace.textContent()).toContain(`closes the connection to sftp://alice@127.0.0.1:${server.port}`);
    await replace.getByRole('button', { name: 'Disconnect and connect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Trust once' }).click();
    const pane = page.locator('[data-testid="remote-pane"]');
    const alert = pane.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/home.*permission denied/i);
    expect(await pane.getByText('Loading…').count()).toBe(0);
    const field = pane.getByLabel('Remote folder to open');
    expect(await field.inputValue()).toBe('/home');
    await web.screenshot('72-window-800x500-remote-unlistable');
    // The field and both buttons are on screen inside the pane.
    const paneBox = (await pane.boundingBox())!;
    for (const el of [field, pane.getByRole('button', { name: 'Open' }), pane.getByRole('button', { name: 'Retry' })]) {
      const b = (await el.boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(paneBox.x);
      expect(b.x + b.width).toBeLessThanOrEqual(paneBox.x + paneBox.width);
      expect(b.y + b.height).toBeLessThanOrEqual(paneBox.y + paneBox.height);
    }
    await field.fill('/srv');
    await page.keyboard.press('Enter');
    await expect.poll(() => alert.textContent()).toMatch(/srv.*permission denied/i);
  });
});
