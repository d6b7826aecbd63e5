import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

const COUNT = 100_000;
const name = (i: number): string => `file-${String(i).padStart(6, '0')}.dat`;

// A 100,000-entry folder listed by the real core: the table stays virtual (a few dozen rows in the
// DOM), paints the first rows quickly once the listing arrives, and reaches the last entry.
describe('100k-entry listing', () => {
  let base: string;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-100k-'));
    const big = join(base, 'big');
    await mkdir(big);
    for (let b = 0; b < COUNT / 1000; b++) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => writeFile(join(big, name(b * 1000 + i)), '')));
    }
    web = await startFerryWeb({ home: base });
  }, 120_000);

  afterAll(async () => {
    await web?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('renders, scrolls to the end and filters without putting 100k rows in the DOM', async () => {
    const { page } = web;
    await row(page, 'local', 'big').waitFor();
    const started = Date.now();
    await row(page, 'local', 'big').dblclick();
    await row(page, 'local', name(0)).waitFor({ timeout: 60_000 });
    const listedMs = Date.now() - started;
    const status = page.locator('[data-testid="local-status"]');
    expect(await status.textContent()).toContain(`${COUNT.toLocaleString('en-US')} files`);
    const domRows = await page.locator('[data-testid="local-pane"] [role="row"][data-name]').count();
    expect(domRows).toBeGreaterThan(10);
    expect(domRows).toBeLessThan(200);
    await web.screenshot('30-local-100k');

    // Keyboard to the last entry: the virtualizer brings it into view.
    await page.getByRole('grid', { name: 'Local files' }).focus();
    const t0 = Date.now();
    await page.keyboard.press('End');
    await row(page, 'local', name(COUNT - 1)).waitFor({ timeout: 5_000 });
    const endMs = Date.now() - t0;
    expect(endMs).toBeLessThan(2_000);
    await web.screenshot('31-local-100k-end');

    // Filtering 100k names as you type.
    const t1 = Date.now();
    await page.getByLabel('Filter local files').fill('099999');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="local-pane"] [role="row"][data-name]').length === 1);
    expect(Date.now() - t1).toBeLessThan(3_000);
    console.log(`100k listing: folder open to first row ${listedMs} ms (listing in main included), End ${endMs} ms`);
  });
});
