import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateCampus, type CampusSimulationSetup } from './campus-simulation.js';
import { erlangB } from './distributions.js';
import { capacityPlan } from './plan.js';

const aCampus = (over: Partial<CampusSimulationSetup> = {}): CampusSimulationSetup => ({
  schoolDays: 60,
  students: 800,
  forgetRate: 0.01,
  breakRate: 0.001,
  repairDays: 4,
  chargeMinutes: 120,
  dayStartMinute: 450,
  dayEndMinute: 930,
  peak: { minute: 480, spreadMinutes: 15, share: 0.7 },
  kioskMinutes: 0.75,
  technicianMinutesPerDoor: 2,
  stations: [{ name: 'Library', loaners: 14, doors: 24 }],
  seed: 1,
  ...over,
});

describe('simulateCampus', () => {
  it('the same seed gives the same term, another seed another', () => {
    expect(simulateCampus(aCampus())).toEqual(simulateCampus(aCampus()));
    expect(simulateCampus(aCampus({ seed: 2 }))).not.toEqual(simulateCampus(aCampus()));
  });

  it('counts every request once and adds up per station and per day', () => {
    const out = simulateCampus(
      aCampus({
        stations: [
          { name: 'Library', loaners: 6, doors: 12 },
          { name: 'Gym', loaners: 4, doors: 8 },
        ],
      }),
    );
    expect(out.stations.reduce((a, s) => a + s.requests, 0)).toBe(out.requests);
    expect(out.days.reduce((a, d) => a + d.requests, 0)).toBe(out.requests);
    const refused = out.stations.reduce((a, s) => a + s.turnedAway.noLoaner + s.turnedAway.noDoor, 0);
    expect(refused).toBe(out.turnedAway);
    expect(out.requests).toBeGreaterThan(400);
  });

  it('with no loaners everyone is turned away; with plenty nobody', () => {
    expect(simulateCampus(aCampus({ stations: [{ name: 'L', loaners: 0, doors: 4 }] })).turnedAwayShare).toBe(1);
    expect(simulateCampus(aCampus({ stations: [{ name: 'L', loaners: 60, doors: 80 }] })).turnedAway).toBe(0);
  });

  it('a station with every door full of loaners cannot take a broken device', () => {
    const out = simulateCampus(aCampus({ forgetRate: 0, breakRate: 0.002, stations: [{ name: 'L', loaners: 10, doors: 10 }] }));
    const [station] = out.stations;
    // Until a swap's loaner is out no door is empty, so every swap is refused for want of a door.
    expect(station!.turnedAway.noDoor).toBe(station!.requests);
  });

  it('the morning peak makes a line at the kiosk; the same requests spread through the day do not', () => {
    const peaked = simulateCampus(
      aCampus({ forgetRate: 0.05, kioskMinutes: 1, peak: { minute: 480, spreadMinutes: 5, share: 1 } }),
    );
    const spread = simulateCampus(
      aCampus({ forgetRate: 0.05, kioskMinutes: 1, peak: { minute: 480, spreadMinutes: 5, share: 0 } }),
    );
    expect(peaked.stations[0]!.waitP95Minutes).toBeGreaterThan(5);
    expect(spread.stations[0]!.waitP95Minutes).toBeLessThan(1);
  });

  it('technicians spend their minutes on the doors they collect', () => {
    const out = simulateCampus(aCampus({ forgetRate: 0, technicianMinutesPerDoor: 3 }));
    const swaps = out.stations[0]!.requests - out.stations[0]!.turnedAway.noLoaner - out.stations[0]!.turnedAway.noDoor;
    expect(out.days.reduce((a, d) => a + d.technicianMinutes, 0)).toBe(swaps * 3);
  });

  // Swap loaners are a loss system: Erlang B at the offered load λ × (repair + charge), whatever the
  // repair time's shape (insensitivity). Tolerance: over 3 seeds of 12,000 swaps, within 0.01 + 10 %.
  it('agrees with Erlang B for swaps through the day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.double({ min: 0.3, max: 1.3, noNaN: true }),
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        (loaners, loadPerLoaner, repairDays, seed) => {
          const away = repairDays + 120 / 480;
          const offered = loaners * loadPerLoaner;
          const perDay = offered / away;
          const schoolDays = Math.ceil(12_000 / perDay);
          let share = 0;
          for (let k = 0; k < 3; k++)
            share +=
              simulateCampus(
                aCampus({
                  schoolDays,
                  students: 10_000,
                  forgetRate: 0,
                  breakRate: perDay / 10_000,
                  repairDays,
                  peak: { minute: 480, spreadMinutes: 15, share: 0 },
                  stations: [{ name: 'L', loaners, doors: loaners + 200 }],
                  seed: seed + k,
                }),
              ).turnedAwayShare / 3;
          const expected = erlangB(loaners, offered);
          expect(Math.abs(share - expected)).toBeLessThanOrEqual(0.01 + 0.1 * expected);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a capacity plan made from a term’s history, fed back into the simulator, meets its service level', () => {
    for (const seed of [11, 12, 13]) {
      const campus = aCampus({
        students: 1200,
        forgetRate: 0.008,
        breakRate: 0.0015,
        peak: { minute: 480, spreadMinutes: 20, share: 0.6 },
      });
      // A term with loaners to spare, so the history shows demand, not what a short pool let through.
      const history = simulateCampus({ ...campus, schoolDays: 90, stations: [{ name: 'L', loaners: 80, doors: 120 }], seed });
      const plan = capacityPlan({
        serviceLevel: 0.99,
        dailyPeaks: history.days.map((d) => d.dayLoans),
        failuresPerDay: history.days.reduce((a, d) => a + d.swaps, 0) / history.days.length,
        turnaroundDays: campus.repairDays + campus.chargeMinutes / (campus.dayEndMinute - campus.dayStartMinute),
        loaners: 0,
      });
      const next = simulateCampus({
        ...campus,
        schoolDays: 180,
        stations: [{ name: 'L', loaners: plan.recommended, doors: plan.recommended + 20 }],
        seed: seed + 100,
      });
      expect(next.turnedAwayShare).toBeLessThanOrEqual(0.01);
      // And the plan is not padding: a third fewer loaners falls short.
      const short = Math.floor((plan.recommended * 2) / 3);
      const less = simulateCampus({
        ...campus,
        schoolDays: 180,
        stations: [{ name: 'L', loaners: short, doors: short + 20 }],
        seed: seed + 100,
      });
      expect(less.turnedAwayShare).toBeGreaterThan(0.01);
    }
  });

  it('refuses a setup that cannot be', () => {
    expect(() => simulateCampus(aCampus({ stations: [] }))).toThrow(RangeError);
    expect(() => simulateCampus(aCampus({ stations: [{ name: 'L', loaners: 5, doors: 4 }] }))).toThrow(RangeError);
    expect(() => simulateCampus(aCampus({ forgetRate: 1.5 }))).toThrow(RangeError);
    expect(() => simulateCampus(aCampus({ dayStartMinute: 900, dayEndMinute: 800 }))).toThrow(RangeError);
  });
});
