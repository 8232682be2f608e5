import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateCharge } from './charge-estimate.js';
import {
  batteryWear,
  defaultBatteryWearSettings,
  latestBatteryReading,
  parseBatteryWearSettings,
  type BatteryReport,
} from './battery-report.js';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 11, 2, 13, 0);
const report = (r: Partial<BatteryReport>): BatteryReport => ({
  samples: [],
  fullChargeCapacity: 4000,
  designCapacity: 4000,
  cycleCount: 100,
  health: 'BATTERY_HEALTH_NORMAL',
  ...r,
});

describe('a telemetry battery reading', () => {
  it('is the latest sample’s remaining capacity over the full-charge capacity, at the sample’s time', () => {
    const r = report({
      fullChargeCapacity: 3800,
      samples: [
        { at: t0 - 2 * hour, remainingCapacity: 3800 },
        { at: t0 - hour, remainingCapacity: 2850 },
        { at: t0 - 3 * hour, remainingCapacity: 1000 },
      ],
    });
    expect(latestBatteryReading(r)).toEqual({ percent: 75, at: t0 - hour });
  });

  it('is none without samples or without a full-charge capacity', () => {
    expect(latestBatteryReading(report({ samples: [] }))).toBeNull();
    expect(latestBatteryReading(report({ fullChargeCapacity: null, samples: [{ at: t0, remainingCapacity: 10 }] }))).toBeNull();
  });

  it('is a whole percent from 0 to 100 whatever the capacities (a cell may read above its full charge)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(
          fc.record({ at: fc.integer({ min: 0, max: 2 ** 45 }), remainingCapacity: fc.integer({ min: 0, max: 20_000 }) }),
          { minLength: 1 },
        ),
        (full, samples) => {
          const reading = latestBatteryReading(report({ fullChargeCapacity: full, samples }))!;
          expect(Number.isInteger(reading.percent)).toBe(true);
          expect(reading.percent).toBeGreaterThanOrEqual(0);
          expect(reading.percent).toBeLessThanOrEqual(100);
          expect(reading.at).toBe(Math.max(...samples.map((s) => s.at)));
        },
      ),
    );
  });

  it('is used by the estimate with its age, and ages out once stale (the device may have drained since)', () => {
    const reading = latestBatteryReading(report({ samples: [{ at: t0, remainingCapacity: 3000 }] }))!;
    expect(estimateCharge({ reported: reading }, t0 + hour)).toEqual({ percent: 75, source: 'reported', ageMs: hour });
    expect(estimateCharge({ reported: reading }, t0 + 5 * hour)).toEqual({ percent: 20, source: 'estimated' });
  });
});

describe('battery wear: a battery that no longer lasts a school day', () => {
  it('with the defaults (7-hour day, 10 rated hours) a battery under 70 % of its design capacity is worn', () => {
    expect(batteryWear(report({ fullChargeCapacity: 2700 }))).toEqual({ worn: true, reason: 'capacity', hoursLeft: 6.75 });
    expect(batteryWear(report({ fullChargeCapacity: 2800 }))).toMatchObject({ worn: false, reason: null });
  });

  it('Google’s "replace now" and a cycle count past the rated cycles are worn too; "replace soon" alone is not', () => {
    expect(batteryWear(report({ health: 'BATTERY_REPLACE_NOW' }))).toMatchObject({ worn: true, reason: 'replace_now' });
    expect(batteryWear(report({ cycleCount: 1001 }))).toMatchObject({ worn: true, reason: 'cycles' });
    expect(batteryWear(report({ health: 'BATTERY_REPLACE_SOON' }))).toMatchObject({ worn: false });
  });

  it('without capacities it judges by health and cycles only', () => {
    expect(batteryWear(report({ fullChargeCapacity: null, designCapacity: null }))).toEqual({
      worn: false,
      reason: null,
      hoursLeft: null,
    });
  });

  it('the threshold is the district’s: a longer day flags more batteries', () => {
    const long = parseBatteryWearSettings({ schoolDayHours: 8.5 });
    expect(batteryWear(report({ fullChargeCapacity: 3200 }), long)).toMatchObject({ worn: true, reason: 'capacity' });
    expect(() => parseBatteryWearSettings({ schoolDayHours: 0 })).toThrow(/schoolDayHours/);
    expect(() => parseBatteryWearSettings({ maxCycleCount: 1.5 })).toThrow(/maxCycleCount/);
  });

  it('less capacity is never less worn, and a longer school day never flags fewer (monotone)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.double({ min: 1, max: 12, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (design, a, b, day, more) => {
          const [less, most] = a <= b ? [a, b] : [b, a];
          const s = { ...defaultBatteryWearSettings, schoolDayHours: day };
          if (batteryWear(report({ designCapacity: design, fullChargeCapacity: most }), s).worn) {
            expect(batteryWear(report({ designCapacity: design, fullChargeCapacity: less }), s).worn).toBe(true);
          }
          if (batteryWear(report({ designCapacity: design, fullChargeCapacity: a }), s).worn) {
            expect(
              batteryWear(report({ designCapacity: design, fullChargeCapacity: a }), {
                ...s,
                schoolDayHours: Math.min(24, day + more),
              }).worn,
            ).toBe(true);
          }
        },
      ),
    );
  });
});
