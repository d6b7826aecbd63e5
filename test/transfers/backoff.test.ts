import { describe, expect, it } from 'vitest';
import { backoffDelay, RetryBudget } from '../../main/transfers/backoff';

describe('backoffDelay', () => {
  const opts = { baseMs: 100, maxMs: 5000 };
  it('doubles from the base and caps at the maximum', () => {
    const top = (n: number) => backoffDelay(n, opts, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(top)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });
  it('jitters within the upper half of the nominal delay', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(200);
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(3, opts);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('RetryBudget', () => {
  it('allows `retries` failures in a row, then refuses', () => {
    const b = new RetryBudget(3);
    expect([b.fail(false), b.fail(false), b.fail(false), b.fail(false)]).toEqual([true, true, true, false]);
  });
  it('starts over when an attempt made progress', () => {
    const b = new RetryBudget(2);
    expect(b.fail(false)).toBe(true);
    expect(b.fail(false)).toBe(true);
    expect(b.fail(true)).toBe(true);
    expect(b.failures).toBe(1);
    for (let i = 0; i < 100; i++) expect(b.fail(true)).toBe(true);
    expect(b.fail(false)).toBe(true);
    expect(b.fail(false)).toBe(false);
  });
});
