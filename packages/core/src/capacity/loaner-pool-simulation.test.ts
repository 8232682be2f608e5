import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangB } from './distributions.js';
import { seededRandom, simulateLoanerPool } from './loaner-pool-simulation.js';

describe('simulateLoanerPool', () => {
  it('the same seed gives the same run, another seed another', () => {
    const run = { arrivalsPerHour: 3, meanLoanHours: 2, loanTime: 'exponential' as const, loaners: 5, requests: 5_000 };
    expect(simulateLoanerPool({ ...run, seed: 7 })).toEqual(simulateLoanerPool({ ...run, seed: 7 }));
    expect(simulateLoanerPool({ ...run, seed: 7 })).not.toEqual(simulateLoanerPool({ ...run, seed: 8 }));
  });

  it('an empty pool turns everyone away; a huge one nobody', () => {
    const run = { arrivalsPerHour: 2, meanLoanHours: 1, loanTime: 'fixed' as const, requests: 2_000, seed: 1 };
    expect(simulateLoanerPool({ ...run, loaners: 0 }).turnedAwayShare).toBe(1);
    expect(simulateLoanerPool({ ...run, loaners: 50 }).turnedAway).toBe(0);
  });

  // The tolerance the issue asks to state: over 4 seeds of 20,000 requests, the mean share turned
  // away is within 0.01 + 10 % of Erlang B, for memoryless and for fixed loan times alike.
  it('agrees with Erlang B for Poisson arrivals and a fixed pool, whatever the loan-time shape', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.double({ min: 0.2, max: 1.6, noNaN: true }),
        fc.constantFrom('exponential' as const, 'fixed' as const),
        fc.integer({ min: 1, max: 1_000_000 }),
        (loaners, loadPerLoaner, loanTime, seed) => {
          const offered = loaners * loadPerLoaner;
          const meanLoanHours = 1.5;
          let share = 0;
          for (let k = 0; k < 4; k++)
            share +=
              simulateLoanerPool({
                arrivalsPerHour: offered / meanLoanHours,
                meanLoanHours,
                loanTime,
                loaners,
                requests: 20_000,
                seed: seed + k,
              }).turnedAwayShare / 4;
          const expected = erlangB(loaners, offered);
          expect(Math.abs(share - expected)).toBeLessThanOrEqual(0.01 + 0.1 * expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('utilization is the carried load over the pool', () => {
    const offered = 4;
    const out = simulateLoanerPool({
      arrivalsPerHour: offered,
      meanLoanHours: 1,
      loanTime: 'exponential',
      loaners: 6,
      requests: 40_000,
      seed: 3,
    });
    // Carried load = offered × (1 − B).
    expect(out.utilization).toBeCloseTo((offered * (1 - erlangB(6, offered))) / 6, 1);
  });

  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
