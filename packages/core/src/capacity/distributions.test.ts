import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cdfAt,
  erlangB,
  fitCounts,
  negativeBinomial,
  poisson,
  quantile,
  sampleQuantile,
  serversForBlocking,
  sumOf,
  tailAbove,
} from './distributions.js';

/** Erlang B straight from its definition, (a^S/S!) / Σ a^k/k!, for small S. */
function erlangBByDefinition(servers: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= servers; k++) {
    term *= a / k;
    sum += term;
  }
  return term / sum;
}

describe('Erlang B', () => {
  it('matches the published table values', () => {
    // Classic traffic-table entries: 1 % blocking at 5 lines carries 1.36 erlangs, at 10 lines 4.46.
    expect(erlangB(5, 1.36)).toBeCloseTo(0.01, 3);
    expect(erlangB(10, 4.46)).toBeCloseTo(0.01, 3);
    expect(erlangB(1, 1)).toBe(0.5);
    expect(erlangB(0, 3)).toBe(1);
    expect(erlangB(4, 0)).toBe(0);
  });

  it('the recursion agrees with the definition, and more servers never block more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 30, noNaN: true }), (s, a) => {
        expect(erlangB(s, a)).toBeCloseTo(erlangBByDefinition(s, a), 10);
        expect(erlangB(s + 1, a)).toBeLessThanOrEqual(erlangB(s, a));
      }),
    );
  });

  it('serversForBlocking is the fewest servers that meet the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (a, target) => {
          const s = serversForBlocking(a, target);
          expect(erlangB(s, a)).toBeLessThanOrEqual(target);
          if (s > 0) expect(erlangB(s - 1, a)).toBeGreaterThan(target);
        },
      ),
    );
  });

  it('refuses nonsense', () => {
    expect(() => erlangB(-1, 2)).toThrow(RangeError);
    expect(() => erlangB(2.5, 2)).toThrow(RangeError);
    expect(() => erlangB(2, Number.NaN)).toThrow(RangeError);
    expect(() => serversForBlocking(2, 0)).toThrow(RangeError);
    expect(() => serversForBlocking(2, 1)).toThrow(RangeError);
  });
});

describe('count distributions', () => {
  it('a Poisson sums to 1 and has its mean, even for large means', () => {
    for (const mean of [0, 0.3, 4, 25, 900]) {
      const d = poisson(mean);
      const total = d.pmf.reduce((a, b) => a + b, 0);
      const m = d.pmf.reduce((a, p, k) => a + p * k, 0);
      expect(total).toBeCloseTo(1, 9);
      expect(m).toBeCloseTo(mean, 6);
    }
    expect(poisson(2).pmf[0]).toBeCloseTo(Math.exp(-2), 12);
  });

  it('a negative binomial sums to 1 with the mean and variance it was given', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        fc.double({ min: 1.05, max: 6, noNaN: true }),
        (mean, spread) => {
          const d = negativeBinomial(mean, mean * spread);
          const total = d.pmf.reduce((a, b) => a + b, 0);
          const m = d.pmf.reduce((a, p, k) => a + p * k, 0);
          const v = d.pmf.reduce((a, p, k) => a + p * (k - m) ** 2, 0);
          expect(total).toBeCloseTo(1, 8);
          expect(m / mean).toBeCloseTo(1, 5);
          expect(v / (mean * spread)).toBeCloseTo(1, 4);
        },
      ),
      { numRuns: 50 },
    );
    expect(() => negativeBinomial(3, 3)).toThrow(RangeError);
  });

  it('fits a Poisson to steady peaks and a negative binomial to bursty ones', () => {
    expect(fitCounts([4, 5, 4, 6, 5, 4, 5]).kind).toBe('poisson');
    const bursty = fitCounts([2, 3, 2, 14, 3, 2, 18, 2]);
    expect(bursty.kind).toBe('negative_binomial');
    expect(bursty.mean).toBe(5.75);
    expect(fitCounts([]).pmf).toEqual([1]);
    expect(() => fitCounts([1, -2])).toThrow(RangeError);
  });

  it('quantile is the smallest count reaching the level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 80, noNaN: true }),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        (mean, level) => {
          const d = poisson(mean);
          const q = quantile(d, level);
          expect(cdfAt(d, q)).toBeGreaterThanOrEqual(level - 1e-9);
          if (q > 0) expect(cdfAt(d, q - 1)).toBeLessThan(level);
        },
      ),
    );
  });

  it('the sum of two Poissons is the Poisson of the summed means', () => {
    const sum = sumOf(poisson(3), poisson(4.5));
    const direct = poisson(7.5);
    for (const k of [0, 3, 7, 12, 20]) expect(cdfAt(sum, k)).toBeCloseTo(cdfAt(direct, k), 10);
    expect(tailAbove(sum, 7)).toBeCloseTo(1 - cdfAt(direct, 7), 10);
  });

  it('sampleQuantile is the nearest rank', () => {
    expect(sampleQuantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(sampleQuantile([5, 1, 3, 2, 4], 0.99)).toBe(5);
    expect(sampleQuantile([], 0.9)).toBe(0);
  });
});
