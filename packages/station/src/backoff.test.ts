import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles each attempt, with half of each step random, and never leaves [min, max]', () => {
    const options = { minMs: 100, maxMs: 10_000 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(100);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(400);
    expect(backoffDelay(3, { ...options, random: () => 0.999999 })).toBe(800);
    expect(backoffDelay(60, { ...options, random: () => 0.999999 })).toBe(10_000);
    expect(backoffDelay(5_000, options)).toBeLessThanOrEqual(10_000);
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = backoffDelay(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(10_000);
    }
  });
});
