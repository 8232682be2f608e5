import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { dailyPeakLoans, type LoanSpan } from './daily-peaks.js';

const zone = 'America/Chicago';
const at = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(zone).epochMilliseconds;
const hours = (n: number) => n * 3_600_000;

describe('dailyPeakLoans', () => {
  it('counts the loans out together at the busiest quarter hour of each school day', () => {
    const loans: LoanSpan[] = [
      { start: at('2026-11-02T08:00'), end: at('2026-11-02T11:00') },
      { start: at('2026-11-02T08:20'), end: at('2026-11-02T09:00') },
      // Back at 10:05, out again at 10:10: the same loaner cannot serve both in one quarter hour.
      { start: at('2026-11-02T09:30'), end: at('2026-11-02T10:05') },
      { start: at('2026-11-02T10:10'), end: at('2026-11-02T12:00') },
      { start: at('2026-11-03T13:00'), end: at('2026-11-03T13:40') },
    ];
    const peaks = dailyPeakLoans(loans, { timeZone: zone, from: at('2026-11-02T00:00'), to: at('2026-11-09T00:00') });
    expect(peaks).toEqual([
      { date: '2026-11-02', peak: 3 },
      { date: '2026-11-03', peak: 1 },
      { date: '2026-11-04', peak: 0 },
      { date: '2026-11-05', peak: 0 },
      { date: '2026-11-06', peak: 0 },
    ]);
  });

  it('an overnight loan counts on both days; a loan still out counts to the end', () => {
    const loans: LoanSpan[] = [
      { start: at('2026-11-02T15:00'), end: at('2026-11-03T08:00') },
      { start: at('2026-11-03T07:00'), end: null },
    ];
    const peaks = dailyPeakLoans(loans, { timeZone: zone, from: at('2026-11-02T00:00'), to: at('2026-11-04T00:00') });
    expect(peaks).toEqual([
      { date: '2026-11-02', peak: 1 },
      { date: '2026-11-03', peak: 2 },
    ]);
  });

  it('days are the campus’s local days, across the change from daylight saving time', () => {
    // 2026-11-01 is the fall-back Sunday in Chicago: a 25-hour day; Monday's 00:30 loan is Monday's.
    const loans: LoanSpan[] = [{ start: at('2026-11-02T00:30'), end: at('2026-11-02T00:40') }];
    const peaks = dailyPeakLoans(loans, {
      timeZone: zone,
      from: at('2026-10-31T00:00'),
      to: at('2026-11-03T00:00'),
      isSchoolDay: () => true,
    });
    expect(peaks).toEqual([
      { date: '2026-10-31', peak: 0 },
      { date: '2026-11-01', peak: 0 },
      { date: '2026-11-02', peak: 1 },
    ]);
  });

  it('no day’s peak is above the loans that day, nor below the most out at one instant', () => {
    const day = at('2026-11-02T00:00');
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: fc.integer({ min: 0, max: hours(23) }), length: fc.integer({ min: 0, max: hours(4) }) }), {
          maxLength: 40,
        }),
        (spans) => {
          const loans = spans.map((s) => ({
            start: day + s.start,
            end: Math.min(day + s.start + s.length, day + hours(24) - 1),
          }));
          const [monday] = dailyPeakLoans(loans, { timeZone: zone, from: day, to: day + hours(24) });
          expect(monday!.peak).toBeLessThanOrEqual(loans.length);
          const instantMax = Math.max(0, ...loans.map((l) => loans.filter((o) => o.start <= l.start && l.start <= o.end).length));
          expect(monday!.peak).toBeGreaterThanOrEqual(instantMax);
        },
      ),
    );
  });

  it('refuses an empty history', () => {
    expect(() => dailyPeakLoans([], { timeZone: zone, from: 10, to: 10 })).toThrow(RangeError);
  });
});
