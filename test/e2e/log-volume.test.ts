import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTab } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// The live log under volume: 230,000 lines from the real core's logger reach the panel in
// batches; the ring keeps the newest 200,000, stays virtual, and filters them quickly.
describe('log panel with 200k lines', () => {
  let web: FerryWeb;

  beforeAll(async () => {
    web = await startFerryWeb();
  });

  afterAll(async () => {
    await web?.close();
  });

  it('keeps the newest 200k lines, scrolls to the end and filters by level', async () => {
    const { page, core } = web;
    await openTab(page, 'Log');
    const logger = core.logger.child('ftp bench@volume:21');
    const started = Date.now();
    for (let round = 0; round < 23; round++) {
      for (let i = 0; i < 10_000; i++) {
        const n = round * 10_000 + i;
        logger.log(n % 1000 === 0 ? 'error' : n % 2 ? 'reply' : 'command', n % 2 ? `226 Transfer complete (${n})` : `RETR file-${n}.bin`);
      }
      core.log.flushNow();
      await new Promise((r) => setTimeout(r, 20));
    }
    const count = page.locator('.log-count');
    const countIs = (prefix: string, timeout: number) =>
      page.waitForFunction((p) => document.querySelector('.log-count')?.textContent?.startsWith(p) === true, prefix, { timeout });
    await countIs('200,000 of 200,000', 30_000);
    const shownMs = Date.now() - started;
    const domLines = await page.locator('.log-line').count();
    expect(domLines).toBeGreaterThan(5);
    expect(domLines).toBeLessThan(200);
    // Sticks to the newest line.
    await page.locator('.log-line', { hasText: 'Transfer complete (229999)' }).waitFor({ timeout: 5_000 });
    await web.screenshot('70-log-200k');

    const t0 = Date.now();
    for (const level of ['warn', 'info', 'command', 'reply', 'debug']) await page.getByRole('button', { name: level, exact: true }).click();
    await countIs('200 of 200,000', 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await count.textContent()).toContain('200 of 200,000');
    await web.screenshot('71-log-errors-only');
    console.log(`log volume: 230k lines shown in ${shownMs} ms, filtered in ${Date.now() - t0} ms`);
  });
});
