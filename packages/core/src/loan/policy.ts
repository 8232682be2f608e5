import { Temporal } from 'temporal-polyfill';
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
  /**
   * A technician's "Collect flagged devices" unlocks every door holding one at
   * once (a cart at the bank), rather than one after the other (the default).
   */
  collectAllDoorsAtOnce: boolean;
}

export const defaultLoanPolicy: LoanPolicy = {
  maxActiveLoans: 1,
  minChargePercent: 50,
  chargeTimeLimitMinutes: 8 * 60,
  requireAgreement: false,
  collectAllDoorsAtOnce: false,
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
  for (const key of ['requireAgreement', 'collectAllDoorsAtOnce'] as const)
    if (typeof policy[key] !== 'boolean') throw new DomainError('bad_request', `${key} must be true or false`);
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
  const endOfDay = new Temporal.PlainTime(Number(match[1]), Number(match[2]));
  const schoolDays = day.schoolDays ?? weekdays;
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(day.timeZone).toPlainDate();
  // Step through local calendar dates, not 24-hour jumps: across a 23-hour DST
  // day `now + 24h` after 23:00 lands two dates on and would skip a school day.
  for (let offset = 0; offset < 14; offset++) {
    const date = today.add({ days: offset });
    const due = atLocalTime(date.toPlainDateTime(endOfDay), day.timeZone);
    if (schoolDays.includes(date.dayOfWeek) && due > now) return due;
  }
  throw new DomainError('bad_request', 'the site has no school days');
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
  isoWeekday: number;
}

/** The calendar date (and ISO weekday) at a site when it is `epochMs` in UTC. */
export function localDate(epochMs: number, timeZone: string): LocalDate {
  const local = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return { year: local.year, month: local.month, day: local.day, isoWeekday: local.dayOfWeek };
}

/** Epoch ms of a local wall-clock time in a zone (see atLocalTime for DST changes). */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wallClock = new Temporal.PlainDateTime(year, month, day, Math.floor(minutes / 60), minutes % 60);
  return atLocalTime(wallClock, timeZone);
}

/**
 * A wall-clock time that a DST change repeats is taken at its first occurrence;
 * one that the change skips is read with the offset before the change (so 02:30
 * on a spring-forward night is 03:30 local).
 */
function atLocalTime(wallClock: Temporal.PlainDateTime, timeZone: string): number {
  return wallClock.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}
