import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLendable } from '../loan/loaner-choice.js';
import { chromebookChargeCurve, levelAfter, minutesToReach } from './charge-curve.js';
import { defaultChargeSettings, estimateCharge, lendableAt, parseChargeSettings, type ChargeFacts } from './charge-estimate.js';

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.UTC(2026, 11, 2, 13, 0);
const stale = defaultChargeSettings.reportedStaleMinutes * minute;

const aPercent = fc.integer({ min: 0, max: 100 });
const aFacts: fc.Arbitrary<ChargeFacts> = fc.record({
  model: fc.constantFrom(null, 'Chromebook 11', 'Tablet'),
  reported: fc.option(fc.record({ percent: aPercent, at: fc.integer({ min: t0 - 12 * hour, max: t0 + 12 * hour }) })),
  poweredSince: fc.option(fc.integer({ min: t0 - 12 * hour, max: t0 + 12 * hour })),
  sensed: fc.option(
    fc.record({
      state: fc.constantFrom('charging' as const, 'charged' as const),
      at: fc.integer({ min: t0 - 12 * hour, max: t0 + 12 * hour }),
    }),
  ),
});
const aTime = fc.integer({ min: t0 - 12 * hour, max: t0 + 36 * hour });
const tabletSettings = parseChargeSettings({ curves: { Tablet: { fastUntilPercent: 70, fastMinutes: 120, slowMinutes: 90 } } });

describe('the charge curve', () => {
  it('a Chromebook reaches about 80 % in 90 minutes from empty and is full an hour later', () => {
    expect(levelAfter(chromebookChargeCurve, 0, 90)).toBe(80);
    expect(levelAfter(chromebookChargeCurve, 0, 120)).toBe(90);
    expect(levelAfter(chromebookChargeCurve, 0, 150)).toBe(100);
    expect(levelAfter(chromebookChargeCurve, 50, 1000)).toBe(100);
  });

  it('the time to a level and the level after a time are inverses', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (from, to) => {
        fc.pre(to >= from);
        const minutes = minutesToReach(chromebookChargeCurve, to) - minutesToReach(chromebookChargeCurve, from);
        expect(levelAfter(chromebookChargeCurve, from, minutes)).toBeCloseTo(to, 6);
      }),
    );
  });
});

describe('estimateCharge', () => {
  it('is a whole percent from 0 to 100 for any facts at any time', () => {
    fc.assert(
      fc.property(aFacts, aTime, (facts, now) => {
        const { percent } = estimateCharge(facts, now, tabletSettings);
        expect(Number.isInteger(percent)).toBe(true);
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('never falls while the device stays on a powered charger', () => {
    fc.assert(
      fc.property(aFacts, aTime, fc.integer({ min: 0, max: 24 * hour }), (facts, now, later) => {
        fc.pre(facts.poweredSince != null);
        const before = estimateCharge(facts, now, tabletSettings).percent;
        expect(estimateCharge(facts, now + later, tabletSettings).percent).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('a device not on a charger and not measured recently reads the conservative default, as an estimate', () => {
    expect(estimateCharge({}, t0)).toEqual({ percent: 20, source: 'estimated' });
    expect(estimateCharge({ reported: { percent: 95, at: t0 - stale - 1 } }, t0)).toEqual({ percent: 20, source: 'estimated' });
    expect(estimateCharge({}, t0, parseChargeSettings({ defaultPercent: 35 }))).toEqual({ percent: 35, source: 'estimated' });
  });

  it('a reported reading younger than the stale limit wins over the estimate and says its age', () => {
    fc.assert(
      fc.property(aPercent, fc.integer({ min: 0, max: stale }), (percent, age) => {
        expect(estimateCharge({ reported: { percent, at: t0 - age } }, t0)).toEqual({ percent, source: 'reported', ageMs: age });
      }),
    );
  });

  it('a reported reading older than the stale limit ages out to the default when the device was off the charger', () => {
    fc.assert(
      fc.property(aPercent, fc.integer({ min: stale + 1, max: 10 * stale }), (percent, age) => {
        expect(estimateCharge({ reported: { percent, at: t0 - age } }, t0)).toEqual({ percent: 20, source: 'estimated' });
      }),
    );
  });

  it('a reading taken before charging began counts only if it was fresh when the device went on the charger', () => {
    const poweredSince = t0;
    const fresh = estimateCharge({ reported: { percent: 60, at: t0 - hour }, poweredSince }, t0 + 10 * hour);
    expect(fresh.percent).toBe(100);
    const tooOld = estimateCharge({ reported: { percent: 60, at: t0 - stale - 1 }, poweredSince }, t0 + 30 * minute);
    expect(tooOld).toEqual({ percent: Math.floor(levelAfter(chromebookChargeCurve, 20, 30)), source: 'estimated' });
  });

  it('carries the default forward along the curve for the time on the charger', () => {
    expect(estimateCharge({ poweredSince: t0 }, t0 + 45 * minute)).toEqual({ percent: 60, source: 'estimated' });
    expect(estimateCharge({ poweredSince: t0 }, t0 + 3 * hour)).toEqual({ percent: 100, source: 'estimated' });
  });

  it('uses the curve of the device model', () => {
    const tablet = estimateCharge({ model: 'Tablet', poweredSince: t0 }, t0 + 60 * minute, tabletSettings);
    const chromebook = estimateCharge({ model: 'Chromebook 11', poweredSince: t0 }, t0 + 60 * minute, tabletSettings);
    expect(tablet.percent).toBeLessThan(chromebook.percent);
  });

  it('a current-sensing board saying "charged" overrides the estimate as a reported 100 %', () => {
    fc.assert(
      fc.property(aFacts, fc.integer({ min: 0, max: 12 * hour }), (facts, after) => {
        const poweredSince = t0;
        const reading = estimateCharge(
          { ...facts, poweredSince, sensed: { state: 'charged', at: t0 + after } },
          t0 + after + minute,
        );
        expect(reading).toEqual({ percent: 100, source: 'reported', ageMs: minute });
      }),
    );
  });

  it('current still flowing keeps the estimate below full; a sensed state from before this charge is ignored', () => {
    expect(estimateCharge({ poweredSince: t0, sensed: { state: 'charging', at: t0 } }, t0 + 10 * hour).percent).toBe(99);
    expect(estimateCharge({ poweredSince: t0, sensed: { state: 'charged', at: t0 - 1 } }, t0)).toEqual({
      percent: 20,
      source: 'estimated',
    });
  });
});

describe('lendableAt', () => {
  it('is now for a device already at the floor, null for one not on a charger, else when the curve crosses the floor', () => {
    expect(lendableAt({ reported: { percent: 70, at: t0 } }, t0, 50)).toBe(t0);
    expect(lendableAt({ reported: { percent: 30, at: t0 } }, t0, 50)).toBeNull();
    // From the default 20 %, 50 % is 30 points of fast charging away: 33¾ minutes.
    expect(lendableAt({ poweredSince: t0 }, t0, 50)).toBe(t0 + 33.75 * minute);
  });

  it('agrees with the estimate where the curve meets the floor only up to floating-point error', () => {
    // fast-check found it: 5 % → 47 % on a 70 %-in-120-minutes curve is 72 minutes, and the curve's level there is 46.999…
    const facts = { model: 'Tablet', reported: { percent: 5, at: t0 }, poweredSince: t0, sensed: null };
    const at = lendableAt(facts, t0, 47, tabletSettings)!;
    expect(at).toBe(t0 + 72 * minute);
    expect(estimateCharge(facts, at, tabletSettings).percent).toBe(47);
  });

  it('the estimate at the predicted time is at or above the floor (the same rule the kiosk uses)', () => {
    fc.assert(
      fc.property(aFacts, aTime, fc.integer({ min: 1, max: 100 }), (facts, now, floor) => {
        const at = lendableAt(facts, now, floor, tabletSettings);
        if (at === null) return;
        expect(at).toBeGreaterThanOrEqual(now);
        const percent = estimateCharge(facts, at, tabletSettings).percent;
        // A port still drawing current stays at 99 until the board says "charged".
        if (!(floor === 100 && facts.sensed?.state === 'charging')) expect(isLendable(percent, floor)).toBe(true);
      }),
    );
  });
});

describe('parseChargeSettings', () => {
  it('refuses a default outside 0–100 and a curve without a fast phase', () => {
    expect(() => parseChargeSettings({ defaultPercent: 120 })).toThrow(/defaultPercent/);
    expect(() => parseChargeSettings({ curves: { X: { fastUntilPercent: 100, fastMinutes: 1, slowMinutes: 1 } } })).toThrow(
      /X curve/,
    );
  });
});
