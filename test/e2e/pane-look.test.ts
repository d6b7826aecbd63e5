import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

const name = (i: number): string => `item-${String(i).padStart(3, '0')}.txt`;

// How the file table looks in Chromium with the real CSS: stripes that stay with their rows while
// scrolling, a selection that stays visible (and distinct) when the pane loses focus, focus rings
// for keyboard users, and focus back on the table after a context menu.
describe('file table look and focus', () => {
  let home: string;
  let web: FerryWeb;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-e2e-look-'));
    for (let i = 0; i < 120; i++) await writeFile(join(home, name(i)), 'x'.repeat(i));
    web = await startFerryWeb({ home, viewport: { width: 1200, height: 700 } });
  });

  afterAll(async () => {
    await web?.close();
    await rm(home, { recursive: true, force: true });
  });

  /** Index and computed background of each row in the DOM (selected rows left out). */
  const rowColours = (): Promise<{ index: number; bg: string }[]> =>
    web.page.locator('[data-testid="local-pane"] [role="row"][data-name]:not(.selected)').evaluateAll((rows) =>
      rows.map((r) => ({ index: Number(r.getAttribute('aria-rowindex')) - 2, bg: getComputedStyle(r).backgroundColor })),
    );

  it('stripes by row index, so the stripes stay put while scrolling', async () => {
    const { page } = web;
    await row(page, 'local', name(0)).waitFor({ timeout: 15_000 });
    // Away from the rows, so no row shows the hover colour.
    await page.mouse.move(5, 5);
    const top = await rowColours();
    const even = top.find((r) => r.index === 0)!.bg;
    const odd = top.find((r) => r.index === 1)!.bg;
    expect(even).not.toBe(odd);
    for (const scroll of [22 * 7, 22 * 20]) {
      await page.locator('[data-testid="local-pane"] .file-table-body').evaluate((el, y) => (el.scrollTop = y), scroll);
      await page.waitForFunction(
        (min) => Number(document.querySelector('[data-testid="local-pane"] [role="row"][data-name]')?.getAttribute('aria-rowindex')) - 2 >= min,
        scroll / 22 - 12,
      );
      const rows = await rowColours();
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) expect({ index: r.index, bg: r.bg }).toEqual({ index: r.index, bg: r.index % 2 === 1 ? odd : even });
    }
    await web.screenshot('40-pane-stripes-scrolled');
    await page.locator('[data-testid="local-pane"] .file-table-body').evaluate((el) => (el.scrollTop = 0));
  });

  it('keeps the selection clearly visible, and distinct, when the pane loses focus', async () => {
    const { page } = web;
    await row(page, 'local', name(2)).click();
    await row(page, 'local', name(4)).click({ modifiers: ['Shift'] });
    const selectedBg = (): Promise<string> => row(page, 'local', name(3)).evaluate((r) => getComputedStyle(r).backgroundColor);
    const rgb = (c: string): number[] => c.match(/\d+/g)!.slice(0, 3).map(Number);
    const apart = (a: string, b: string): number => Math.max(...rgb(a).map((v, i) => Math.abs(v - rgb(b)[i]!)));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = scheme === 'dark' ? '-dark' : '';
      await row(page, 'local', name(3)).click({ modifiers: ['Control'] });
      await row(page, 'local', name(3)).click({ modifiers: ['Control'] });
      const active = await selectedBg();
      await web.screenshot(`41-pane-selection-active${suffix}`);
      await page.getByLabel('Host').focus();
      const inactive = await selectedBg();
      const shadow = await row(page, 'local', name(3)).evaluate((r) => getComputedStyle(r).boxShadow);
      const { even, odd } = await row(page, 'local', name(0)).evaluate((r) => ({
        even: getComputedStyle(r).backgroundColor,
        odd: getComputedStyle(r.parentElement!.querySelector('[aria-rowindex="3"]')!).backgroundColor,
      }));
      await web.screenshot(`42-pane-selection-inactive${suffix}`);
      expect(new Set([active, inactive, even, odd]).size, scheme).toBe(4);
      // Well apart from both stripes: at least 20 of 255 on the darkest channel difference.
      expect(apart(inactive, even), scheme).toBeGreaterThanOrEqual(20);
      expect(apart(inactive, odd), scheme).toBeGreaterThanOrEqual(20);
      expect(shadow, scheme).toContain('inset');
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows a focus ring on the table and on a resize edge reached with the keyboard', async () => {
    const { page } = web;
    await page.getByLabel('Filter local files').focus();
    // Tab from the filter box lands on the table (the next Tab stop).
    await page.keyboard.press('Tab');
    const grid = page.getByRole('grid', { name: 'Local files' });
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await grid.evaluate((el) => getComputedStyle(el, '::after').borderTopStyle)).toBe('solid');
    await web.screenshot('43-pane-table-focus-ring');
    // Tab: Name, Size, the one stop of the resize edges, Modified; then out of the table.
    const stops: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => (document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').replace(/[▲▼]/g, '')));
      if (i === 2) {
        expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
        await web.screenshot('44-pane-resize-edge-focus');
      }
    }
    expect(stops.slice(0, 4)).toEqual(['Name', 'Size', 'Resize the Size column', 'Modified']);
    expect(stops[4]).not.toMatch(/Resize the/);
  });

  it('gives focus back to the table after Escape in its context menu', async () => {
    const { page } = web;
    const grid = page.getByRole('grid', { name: 'Local files' });
    await row(page, 'local', name(5)).click();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);
    await row(page, 'local', name(5)).click({ button: 'right' });
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await row(page, 'local', name(6)).getAttribute('aria-selected')).toBe('true');
  });
});
