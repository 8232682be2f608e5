import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangB, fitCounts, poisson, tailAbove } from './distributions.js';
import { simulateLoanerPool } from './loaner-pool-simulation.js';
import { capacityPlan, type CapacityInput } from './plan.js';

const aCampus = (over: Partial<CapacityInput> = {}): CapacityInput => ({
  serviceLevel: 0.99,
  dailyPeaks: [6, 8, 7, 9, 6, 7, 8, 10, 7, 6],
  failuresPerDay: 0.8,
  turnaroundDays: 5,
  loaners: 12,
  ...over,
});

describe('capacityPlan', () => {
  it('adds day loaners from the peaks to swap loaners from the repair model', () => {
    const plan = capacityPlan(aCampus());
    expect(plan.dayLoans.model).toBe('poisson');
    expect(plan.dayLoans.meanPeak).toBeCloseTo(7.4, 10);
    // Poisson(7.4) reaches 99 % at 14.
    expect(plan.dayLoans.needed).toBe(14);
    expect(plan.dayLoans.sampleQuantile).toBe(10);
    // 0.8 failures a day × 5 days away = 4 devices away; Erlang B is at most 1 % from 10 loaners.
    expect(plan.swapLoans.awayAtRepair).toBe(4);
    expect(plan.swapLoans.needed).toBe(10);
    expect(plan.swapLoans.turnedAwayAtNeeded).toBeLessThanOrEqual(0.01);
    expect(erlangB(9, 4)).toBeGreaterThan(0.01);
    expect(plan.recommended).toBe(24);
    expect(plan.surplus).toBe(-12);
    // Both parts Poisson here, so together Poisson(7.4 + 4): a third of days short at 12 loaners.
    expect(plan.shortDayChance.current).toBeCloseTo(tailAbove(poisson(11.4), 12), 10);
    expect(plan.shortDayChance.current).toBeGreaterThan(0.3);
    expect(plan.shortDayChance.recommended).toBeLessThan(0.01);
  });

  it('a faster repair turnaround needs fewer swap loaners', () => {
    const slow = capacityPlan(aCampus({ turnaroundDays: 10 }));
    const fast = capacityPlan(aCampus({ turnaroundDays: 2 }));
    expect(fast.swapLoans.needed).toBeLessThan(slow.swapLoans.needed);
  });

  it('a campus with no history and no repairs needs nothing and has every loaner spare', () => {
    const plan = capacityPlan(aCampus({ dailyPeaks: [], failuresPerDay: 0, loaners: 5 }));
    expect(plan.recommended).toBe(0);
    expect(plan.surplus).toBe(5);
    expect(plan.shortDayChance.current).toBe(0);
  });

  it('more loaners never raise the chance of a short day, and a higher level never recommends fewer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 15, noNaN: true }),
        fc.integer({ min: 0, max: 80 }),
        (dailyPeaks, failuresPerDay, turnaroundDays, loaners) => {
          const at = (level: number, n: number) =>
            capacityPlan({ serviceLevel: level, dailyPeaks, failuresPerDay, turnaroundDays, loaners: n });
          expect(at(0.99, loaners + 1).shortDayChance.current).toBeLessThanOrEqual(
            at(0.99, loaners).shortDayChance.current + 1e-12,
          );
          expect(at(0.99, loaners).recommended).toBeGreaterThanOrEqual(at(0.9, loaners).recommended);
          // Each part alone is sized to the level; together they are short at most when either part is (union bound).
          const plan = at(0.95, loaners);
          const eitherShort =
            tailAbove(fitCounts(dailyPeaks), plan.dayLoans.needed) +
            tailAbove(poisson(plan.swapLoans.awayAtRepair), plan.swapLoans.needed);
          expect(plan.shortDayChance.recommended).toBeLessThanOrEqual(eitherShort + 1e-9);
          expect(tailAbove(fitCounts(dailyPeaks), plan.dayLoans.needed)).toBeLessThanOrEqual(0.05 + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses an impossible service level or pool', () => {
    expect(() => capacityPlan(aCampus({ serviceLevel: 1 }))).toThrow(RangeError);
    expect(() => capacityPlan(aCampus({ loaners: -1 }))).toThrow(RangeError);
    expect(() => capacityPlan(aCampus({ turnaroundDays: Number.POSITIVE_INFINITY }))).toThrow(RangeError);
  });

  it('the swap loaners it recommends, fed back into the simulator, meet the service level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (failuresPerDay, turnaroundDays, seed) => {
          const plan = capacityPlan(aCampus({ serviceLevel: 0.95, dailyPeaks: [0], failuresPerDay, turnaroundDays }));
          const run = simulateLoanerPool({
            arrivalsPerHour: failuresPerDay / 24,
            meanLoanHours: turnaroundDays * 24,
            loanTime: 'exponential',
            loaners: plan.swapLoans.needed,
            requests: 20_000,
            seed,
          });
          // 5 % allowed; the simulation's own noise at 20,000 requests is well under one point.
          expect(run.turnedAwayShare).toBeLessThanOrEqual(0.05 + 0.015);
        },
      ),
      { numRuns: 20 },
    );
  });
});
