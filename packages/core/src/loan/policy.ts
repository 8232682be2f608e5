import { DomainError } from '../errors.js';

export interface LoanPolicy {
  /** How many loaners one person may hold at once. */
  maxActiveLoans: number;
  /** Loaners below this charge are never handed out. */
  minChargePercent: number;
  /** How long a student's own device may stay in a charging compartment. */
  chargeTimeLimitMinutes: number;
  /** Whether a first-time borrower must accept the loaner agreement. */
  requireAgreement: boolean;
}

export const defaultLoanPolicy: LoanPolicy = {
  maxActiveLoans: 1,
  minChargePercent: 50,
  chargeTimeLimitMinutes: 8 * 60,
  requireAgreement: false,
};

export function parseLoanPolicy(input: Partial<LoanPolicy> | undefined): LoanPolicy {
  const policy = { ...defaultLoanPolicy, ...(input ?? {}) };
  if (!Number.isInteger(policy.maxActiveLoans) || policy.maxActiveLoans < 0 || policy.maxActiveLoans > 10) {
    throw new DomainError('bad_request', 'maxActiveLoans must be an integer from 0 to 10');
  }
  if (!(policy.minChargePercent >= 0 && policy.minChargePercent <= 100)) {
    throw new DomainError('bad_request', 'minChargePercent must be from 0 to 100');
  }
  if (!(policy.chargeTimeLimitMinutes > 0 && policy.chargeTimeLimitMinutes <= 7 * 24 * 60)) {
    throw new DomainError('bad_request', 'chargeTimeLimitMinutes must be between 1 minute and 7 days');
  }
  return policy;
}

/** Refuses a borrow beyond the policy's limit. */
export function checkLoanLimit(openLoans: number, policy: LoanPolicy): DomainError | undefined {
  return openLoans >= policy.maxActiveLoans
    ? new DomainError('loan_limit_reached', undefined, { limit: policy.maxActiveLoans })
    : undefined;
}

export interface SchoolDay {
  /** IANA time zone of the site, e.g. "America/Chicago". */
  timeZone: string;
  /** Local end of the school day, "HH:MM". */
  endOfDay: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are school days. */
  schoolDays?: readonly number[];
}

const weekdays = [1, 2, 3, 4, 5];

/**
 * When a loan taken at `now` is due: the end of the school day at the site, or,
 * if that has passed (or today is not a school day), the end of the next school day.
 */
export function loanDueAt(now: number, day: SchoolDay): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(day.endOfDay);
  if (!match) throw new DomainError('bad_request', `school-day end "${day.endOfDay}" is not HH:MM`);
  const endMinutes = Number(match[1]) * 60 + Number(match[2]);
  const schoolDays = day.schoolDays ?? weekdays;
  const today = localDate(now, day.timeZone);
  // Step through local calendar dates, not 24-hour jumps: across a 23-hour DST
  // day `now + 24h` after 23:00 lands two dates on and would skip a school day.
  for (let offset = 0; offset < 14; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    const due = zonedTime(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), endMinutes, day.timeZone);
    if (schoolDays.includes(isoWeekday) && due > now) return due;
  }
  throw new DomainError('bad_request', 'the site has no school days');
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const weekdayNumbers: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function parts(epochMs: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) out[p.type] = p.value;
  return out;
}

export function localDate(epochMs: number, timeZone: string): LocalDate {
  const p = parts(epochMs, timeZone);
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    isoWeekday: weekdayNumbers[p.weekday ?? ''] ?? 0,
  };
}

/** Epoch ms of a local wall-clock time in a zone (first match across a DST change). */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  // Two passes converge across DST boundaries.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = parts(guess, timeZone);
    const shown = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    guess += asUtc - shown;
  }
  return guess;
}
