import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLendable, rankLoaners, type LoanerCandidate } from './loaner-choice.js';

let nextDoor = 1;
function aLoaner(overrides: Partial<LoanerCandidate> = {}): LoanerCandidate {
  const door = overrides.compartmentNumber ?? nextDoor++;
  return {
    deviceId: `loaner-${door}`,
    compartmentNumber: door,
    batteryPercent: 90,
    loanCount: 0,
    lastLoanedAt: null,
    ...overrides,
  };
}

const doorsOf = (ranked: readonly LoanerCandidate[]) => ranked.map((c) => c.compartmentNumber);
const band = (percent: number) => Math.min(9, Math.floor(percent / 10));

/** A station's loaners: one per door, any charge, any wear. */
const aBankOfLoaners = fc
  .uniqueArray(
    fc.record({
      compartmentNumber: fc.integer({ min: 1, max: 60 }),
      batteryPercent: fc.integer({ min: 0, max: 100 }),
      loanCount: fc.integer({ min: 0, max: 5 }),
      lastLoanedAt: fc.option(fc.integer({ min: 0, max: 2_000_000_000_000 }), { nil: null }),
    }),
    { selector: (c) => c.compartmentNumber, maxLength: 24 },
  )
  .map((rows) => rows.map((row) => aLoaner(row)));
const aFloor = fc.integer({ min: 0, max: 100 });

describe('rankLoaners', () => {
  it('the fullest loaner goes first when the charges are in different bands', () => {
    expect(
      doorsOf(
        rankLoaners(
          [aLoaner({ compartmentNumber: 1, batteryPercent: 60 }), aLoaner({ compartmentNumber: 2, batteryPercent: 95 })],
          50,
        ),
      ),
    ).toEqual([2, 1]);
  });

  it('loaners below the charge floor are never handed out, and one exactly at the floor is', () => {
    const ranked = rankLoaners(
      [aLoaner({ compartmentNumber: 1, batteryPercent: 49 }), aLoaner({ compartmentNumber: 2, batteryPercent: 50 })],
      50,
    );
    expect(doorsOf(ranked)).toEqual([2]);
  });

  it('within the same 10 % band the least-lent loaner goes first, even if slightly emptier', () => {
    const worn = aLoaner({ compartmentNumber: 1, batteryPercent: 98, loanCount: 7 });
    const fresh = aLoaner({ compartmentNumber: 2, batteryPercent: 91, loanCount: 1 });
    expect(doorsOf(rankLoaners([worn, fresh], 50))).toEqual([2, 1]);
  });

  it('a full 100 % battery shares the top band with 90 %', () => {
    const full = aLoaner({ compartmentNumber: 1, batteryPercent: 100, loanCount: 3 });
    const ninety = aLoaner({ compartmentNumber: 2, batteryPercent: 90, loanCount: 0 });
    expect(doorsOf(rankLoaners([full, ninety], 0))).toEqual([2, 1]);
  });

  it('between equally lent loaners in a band, the never-lent and then the longest-idle goes first', () => {
    const recent = aLoaner({ compartmentNumber: 1, lastLoanedAt: 2_000 });
    const older = aLoaner({ compartmentNumber: 2, lastLoanedAt: 1_000 });
    const never = aLoaner({ compartmentNumber: 3, lastLoanedAt: null });
    expect(doorsOf(rankLoaners([recent, older, never], 50))).toEqual([3, 2, 1]);
  });

  it('when everything else ties, the fuller loaner and then the lower door goes first', () => {
    const ranked = rankLoaners(
      [
        aLoaner({ compartmentNumber: 3, batteryPercent: 93 }),
        aLoaner({ compartmentNumber: 2, batteryPercent: 95 }),
        aLoaner({ compartmentNumber: 1, batteryPercent: 93 }),
      ],
      50,
    );
    expect(doorsOf(ranked)).toEqual([2, 1, 3]);
  });

  it('an empty station, or one with every loaner too flat, has nothing to hand out', () => {
    expect(rankLoaners([], 50)).toEqual([]);
    expect(rankLoaners([aLoaner({ batteryPercent: 10 }), aLoaner({ batteryPercent: 49 })], 50)).toEqual([]);
  });

  it('never returns a loaner below the floor', () => {
    fc.assert(
      fc.property(aBankOfLoaners, aFloor, (loaners, floor) => {
        for (const c of rankLoaners(loaners, floor)) expect(c.batteryPercent).toBeGreaterThanOrEqual(floor);
      }),
    );
  });

  it('the ranking is a permutation of exactly the loaners at or above the floor', () => {
    fc.assert(
      fc.property(aBankOfLoaners, aFloor, (loaners, floor) => {
        const eligible = loaners.filter((c) => c.batteryPercent >= floor);
        expect(doorsOf(rankLoaners(loaners, floor)).sort((a, b) => a - b)).toEqual(doorsOf(eligible).sort((a, b) => a - b));
      }),
    );
  });

  it('a fuller charge band always comes first, and within a band fewer loans come first', () => {
    fc.assert(
      fc.property(aBankOfLoaners, aFloor, (loaners, floor) => {
        const ranked = rankLoaners(loaners, floor);
        for (let i = 1; i < ranked.length; i++) {
          const [a, b] = [ranked[i - 1]!, ranked[i]!];
          expect(band(a.batteryPercent)).toBeGreaterThanOrEqual(band(b.batteryPercent));
          if (band(a.batteryPercent) === band(b.batteryPercent)) expect(a.loanCount).toBeLessThanOrEqual(b.loanCount);
        }
      }),
    );
  });

  it('the ranking is deterministic: the order the database lists loaners in makes no difference', () => {
    fc.assert(
      fc.property(
        aBankOfLoaners.chain((loaners) =>
          fc.tuple(fc.constant(loaners), fc.shuffledSubarray(loaners, { minLength: loaners.length })),
        ),
        aFloor,
        ([loaners, shuffled], floor) => {
          expect(rankLoaners(shuffled, floor)).toEqual(rankLoaners(loaners, floor));
        },
      ),
    );
  });

  it("ranking leaves the caller's list untouched", () => {
    fc.assert(
      fc.property(aBankOfLoaners, aFloor, (loaners, floor) => {
        const before = structuredClone(loaners);
        rankLoaners(loaners, floor);
        expect(loaners).toEqual(before);
      }),
    );
  });
});

describe('the charge floor', () => {
  it('a loaner exactly at the floor is lendable and one a percent below is not', () => {
    expect(isLendable(50, 50)).toBe(true);
    expect(isLendable(49, 50)).toBe(false);
    expect(isLendable(0, 0)).toBe(true);
  });
});
