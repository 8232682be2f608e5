import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { checkLoanLimit, defaultLoanPolicy, loanDueAt, parseLoanPolicy, type LoanPolicy } from './policy.js';

const hour = 3_600_000;
const day = 24 * hour;

/** The site's wall clock, read with Intl independently of the code under test. */
function wallClock(epochMs: number, timeZone: string): { time: string; second: string; isoWeekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(epochMs);
  const p = Object.fromEntries(parts.map(({ type, value }) => [type, value]));
  const isoWeekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday ?? '') + 1;
  return { time: `${p.hour}:${p.minute}`, second: p.second ?? '', isoWeekday };
}

/** The site's calendar date, "YYYY-MM-DD", read with Intl independently of the code under test. */
function calendarDate(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochMs);
}

/** The calendar date `days` after a "YYYY-MM-DD" date. */
function nextDate(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00Z`) + days * day).toISOString().slice(0, 10);
}

/** DST changes in 2024 for each zone (none in Kolkata), to bias `now` towards the awkward nights. */
const transitions: Record<string, number[]> = {
  'America/New_York': [Date.UTC(2024, 2, 10, 7), Date.UTC(2024, 10, 3, 6)],
  'Europe/London': [Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 1)],
  'Pacific/Auckland': [Date.UTC(2024, 3, 6, 14), Date.UTC(2024, 8, 28, 14)],
  'Asia/Kolkata': [Date.UTC(2024, 5, 1)],
};
const zones = Object.keys(transitions);

const aSite = fc.oneof(
  fc.record({
    timeZone: fc.constantFrom(...zones),
    now: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 11, 31) }),
  }),
  fc.constantFrom(...zones).chain((timeZone) =>
    fc.record({
      timeZone: fc.constant(timeZone),
      now: fc
        .tuple(fc.constantFrom(...transitions[timeZone]!), fc.integer({ min: -4 * day, max: 4 * day }))
        .map(([t, d]) => t + d),
    }),
  ),
);
// School days end well clear of the small-hours DST gaps, where a wall-clock time may not exist.
const anEndOfDay = fc
  .tuple(fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const someSchoolDays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });

function expectBadRequest(run: () => unknown): void {
  expect(run).toThrow(DomainError);
  try {
    run();
  } catch (error) {
    expect((error as DomainError).code).toBe('bad_request');
  }
}

describe('loanDueAt', () => {
  /** The due time, as a UTC ISO string, for a loan taken at `nowIso`. */
  function dueIn(timeZone: string, nowIso: string, endOfDay = '15:00', schoolDays?: readonly number[]): string {
    return new Date(loanDueAt(Date.parse(nowIso), { timeZone, endOfDay, schoolDays })).toISOString();
  }

  it('before school ends, the loan is due at the end of today', () => {
    expect(dueIn('America/New_York', '2024-03-12T13:00Z')).toBe('2024-03-12T19:00:00.000Z');
  });

  it('at the very minute school ends, the loan is due the next school day', () => {
    expect(dueIn('America/New_York', '2024-03-12T19:00Z')).toBe('2024-03-13T19:00:00.000Z');
  });

  it('Friday after school in New York, over the March change, it is due Monday', () => {
    expect(dueIn('America/New_York', '2024-03-08T21:00Z')).toBe('2024-03-11T19:00:00.000Z');
  });

  it('Friday after school in New York, over the November change, it is due Monday', () => {
    expect(dueIn('America/New_York', '2024-11-01T20:00Z')).toBe('2024-11-04T20:00:00.000Z');
  });

  it('Friday after school in London, over the March change, it is due Monday', () => {
    expect(dueIn('Europe/London', '2024-03-29T16:00Z')).toBe('2024-04-01T14:00:00.000Z');
  });

  it('Friday after school in London, over the October change, it is due Monday', () => {
    expect(dueIn('Europe/London', '2024-10-25T15:00Z')).toBe('2024-10-28T15:00:00.000Z');
  });

  it('Friday after school in Auckland, over the April change, it is due Monday', () => {
    expect(dueIn('Pacific/Auckland', '2024-04-05T03:00Z')).toBe('2024-04-08T03:00:00.000Z');
  });

  it('Friday after school in Auckland, over the September change, it is due Monday', () => {
    expect(dueIn('Pacific/Auckland', '2024-09-27T04:00Z')).toBe('2024-09-30T02:00:00.000Z');
  });

  it('in Kolkata a half-hour offset still lands on the end of the day', () => {
    expect(dueIn('Asia/Kolkata', '2024-03-07T04:30Z', '15:30')).toBe('2024-03-07T10:00:00.000Z');
  });

  it('in Kolkata after school on Thursday it is due Friday', () => {
    expect(dueIn('Asia/Kolkata', '2024-03-07T10:30Z', '15:30')).toBe('2024-03-08T10:00:00.000Z');
  });

  it('on a Saturday the loan is due at the end of Monday', () => {
    expect(dueIn('Europe/London', '2024-06-08T10:00Z')).toBe('2024-06-10T14:00:00.000Z');
  });

  // A 23-hour day must not be skipped by a borrow late the night before it.
  it('late on the night before a weekday DST change, the loan is due that day', () => {
    expect(dueIn('Asia/Jerusalem', '2024-03-28T21:30Z')).toBe('2024-03-29T12:00:00.000Z');
  });

  it('late on Saturday before the London spring change, a seven-day site has it due on Sunday', () => {
    expect(dueIn('Europe/London', '2024-03-30T23:30Z', '15:00', [1, 2, 3, 4, 5, 6, 7])).toBe('2024-03-31T14:00:00.000Z');
  });

  it('late on Saturday before the New York spring change, a Sunday-only site has it due that Sunday', () => {
    expect(dueIn('America/New_York', '2024-03-10T04:30Z', '15:00', [7])).toBe('2024-03-10T19:00:00.000Z');
  });

  it('the due time is after now, on a weekday, at exactly the local end of day, and at most three days and a DST hour away', () => {
    fc.assert(
      fc.property(aSite, anEndOfDay, ({ timeZone, now }, endOfDay) => {
        const due = loanDueAt(now, { timeZone, endOfDay });
        const local = wallClock(due, timeZone);
        expect(due).toBeGreaterThan(now);
        expect(local).toEqual({ time: endOfDay, second: '00', isoWeekday: local.isoWeekday });
        expect(due % 60_000).toBe(0);
        expect(local.isoWeekday).toBeLessThanOrEqual(5);
        expect(due - now).toBeLessThanOrEqual(3 * day + hour);
      }),
      { numRuns: 1000 },
    );
  });

  it('for any set of school days the loan is due at the first school-day end after now, never a later one', () => {
    fc.assert(
      fc.property(aSite, anEndOfDay, someSchoolDays, ({ timeZone, now }, endOfDay, schoolDays) => {
        const due = loanDueAt(now, { timeZone, endOfDay, schoolDays });
        const local = wallClock(due, timeZone);
        expect(due).toBeGreaterThan(now);
        expect(local.time).toBe(endOfDay);
        expect(schoolDays).toContain(local.isoWeekday);
        expect(due - now).toBeLessThanOrEqual(7 * day + hour);
        // Every earlier end of a local day sits a whole number of days (± a DST hour) before `due`.
        for (let k = 1; k <= 8; k++) {
          for (const shift of [-hour, 0, hour]) {
            const earlier = due - k * day + shift;
            if (earlier <= now) continue;
            const clock = wallClock(earlier, timeZone);
            expect(clock.time === endOfDay && schoolDays.includes(clock.isoWeekday)).toBe(false);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('on a school day every day, the loan is due at the local end of day of the borrow date or the next date, never before now', () => {
    const everyDay = [1, 2, 3, 4, 5, 6, 7];
    fc.assert(
      fc.property(aSite, anEndOfDay, ({ timeZone, now }, endOfDay) => {
        const due = loanDueAt(now, { timeZone, endOfDay, schoolDays: everyDay });
        expect(due).toBeGreaterThan(now);
        expect(wallClock(due, timeZone)).toMatchObject({ time: endOfDay, second: '00' });
        const borrowDate = calendarDate(now, timeZone);
        const dueDate = calendarDate(due, timeZone);
        expect(dueDate === borrowDate || dueDate === nextDate(borrowDate)).toBe(true);
        // Due the same date exactly when that date's end of day is still ahead.
        expect(dueDate === borrowDate).toBe(wallClock(now, timeZone).time < endOfDay);
      }),
      { numRuns: 1000 },
    );
  });

  it.each<[string, string, string]>([
    ['America/New_York', '2024-03-10', '2024-03-09'],
    ['America/New_York', '2024-11-03', '2024-11-02'],
    ['Europe/London', '2024-03-31', '2024-03-30'],
    ['Europe/London', '2024-10-27', '2024-10-26'],
  ])(
    "in %s, any borrow on the day before or of the change on %s is due at that Sunday's local end of day",
    (timeZone, change, saturday) => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.parse(`${saturday}T00:00Z`) - 6 * hour, max: Date.parse(`${change}T21:00Z`) }),
          (now) => {
            const borrowDate = calendarDate(now, timeZone);
            fc.pre(borrowDate === saturday || (borrowDate === change && wallClock(now, timeZone).time < '15:00'));
            const due = loanDueAt(now, { timeZone, endOfDay: '15:00', schoolDays: [7] });
            expect(calendarDate(due, timeZone)).toBe(change);
            expect(wallClock(due, timeZone)).toEqual({ time: '15:00', second: '00', isoWeekday: 7 });
            expect(due).toBeGreaterThan(now);
          },
        ),
        { numRuns: 500 },
      );
    },
  );

  it('an end of day that a DST change skips is read with the offset before it; one it repeats is its first occurrence', () => {
    // New York springs forward at 02:00 on 10 March 2024 and falls back at 02:00 on 3 November.
    expect(dueIn('America/New_York', '2024-03-10T05:00Z', '02:30', [7])).toBe('2024-03-10T07:30:00.000Z');
    expect(dueIn('America/New_York', '2024-11-03T04:00Z', '01:30', [7])).toBe('2024-11-03T05:30:00.000Z');
  });

  it.each(['3pm', '15:0', '7:30', '24:00', '15:60', '1500', '', ' 15:00', '15:00 ', '15.00', '15:00:00'])(
    'a school-day end of %j is refused as malformed',
    (endOfDay) => {
      expectBadRequest(() => loanDueAt(Date.UTC(2024, 2, 12), { timeZone: 'Europe/London', endOfDay }));
    },
  );

  it('a site with no school days is refused rather than given a due time', () => {
    expectBadRequest(() => loanDueAt(Date.UTC(2024, 2, 12), { timeZone: 'Europe/London', endOfDay: '15:00', schoolDays: [] }));
  });
});

describe('parseLoanPolicy', () => {
  it('no settings at all give the default policy of one loaner, 50 % charge and eight hours of charging', () => {
    expect(parseLoanPolicy(undefined)).toEqual(defaultLoanPolicy);
    expect(defaultLoanPolicy).toEqual({
      maxActiveLoans: 1,
      minChargePercent: 50,
      chargeTimeLimitMinutes: 480,
      requireAgreement: false,
      collectAllDoorsAtOnce: false,
    });
  });

  it('settings override only the fields they name', () => {
    expect(parseLoanPolicy({ maxActiveLoans: 2, requireAgreement: true })).toEqual({
      ...defaultLoanPolicy,
      maxActiveLoans: 2,
      requireAgreement: true,
    });
  });

  it('the edges of every range are accepted', () => {
    for (const input of [
      { maxActiveLoans: 0 },
      { maxActiveLoans: 10 },
      { minChargePercent: 0 },
      { minChargePercent: 100 },
      { chargeTimeLimitMinutes: 7 * 24 * 60 },
    ]) {
      expect(parseLoanPolicy(input)).toMatchObject(input);
    }
  });

  it.each<[string, Partial<LoanPolicy>]>([
    ['a negative loan limit', { maxActiveLoans: -1 }],
    ['a loan limit above ten', { maxActiveLoans: 11 }],
    ['a fractional loan limit', { maxActiveLoans: 1.5 }],
    ['a loan limit that is not a number', { maxActiveLoans: Number.NaN }],
    ['a negative charge floor', { minChargePercent: -1 }],
    ['a charge floor above 100 %', { minChargePercent: 101 }],
    ['a charge floor that is not a number', { minChargePercent: Number.NaN }],
    ['a zero charging time', { chargeTimeLimitMinutes: 0 }],
    ['a negative charging time', { chargeTimeLimitMinutes: -5 }],
    ['a charging time over a week', { chargeTimeLimitMinutes: 7 * 24 * 60 + 1 }],
    ['a charging time that is not a number', { chargeTimeLimitMinutes: Number.NaN }],
    ['an agreement switch that is not a boolean', { requireAgreement: 'yes' as unknown as boolean }],
    ['a collection switch that is not a boolean', { collectAllDoorsAtOnce: 1 as unknown as boolean }],
  ])('%s is refused as a bad request', (_, input) => {
    expectBadRequest(() => parseLoanPolicy(input));
  });

  it('any policy inside the documented ranges is accepted unchanged', () => {
    fc.assert(
      fc.property(
        fc.record({
          maxActiveLoans: fc.integer({ min: 0, max: 10 }),
          minChargePercent: fc.double({ min: 0, max: 100, noNaN: true }),
          chargeTimeLimitMinutes: fc.integer({ min: 1, max: 7 * 24 * 60 }),
          requireAgreement: fc.boolean(),
          collectAllDoorsAtOnce: fc.boolean(),
        }),
        (policy) => {
          expect(parseLoanPolicy(policy)).toEqual(policy);
        },
      ),
    );
  });
});

describe('checkLoanLimit', () => {
  it('under the default policy a first loan is allowed and a second refused', () => {
    expect(checkLoanLimit(0, defaultLoanPolicy)).toBeUndefined();
    expect(checkLoanLimit(1, defaultLoanPolicy)).toMatchObject({ code: 'loan_limit_reached', details: { limit: 1 } });
  });

  it('a policy with a limit of zero refuses everyone', () => {
    expect(checkLoanLimit(0, { ...defaultLoanPolicy, maxActiveLoans: 0 })?.code).toBe('loan_limit_reached');
  });

  it('a borrow is refused exactly when the person already holds the limit or more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 }), (limit, open) => {
        const refusal = checkLoanLimit(open, { ...defaultLoanPolicy, maxActiveLoans: limit });
        expect(refusal !== undefined).toBe(open >= limit);
        if (refusal) expect(refusal.status).toBe(409);
      }),
    );
  });
});
