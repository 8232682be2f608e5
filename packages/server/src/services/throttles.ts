import { DomainError } from '@cubby/core';
import { clearThrottle, hitThrottle, refundThrottle, type ThrottleRule } from '@cubby/db';
import { transact, type Services } from './deps.js';

/**
 * Throttles in the database (db's throttles.ts), so every server instance
 * counts the same attempts: an attempt is counted before the work it guards
 * (a password or PIN check), so attempts sent at once cannot slip past the
 * limit together, and given back when it succeeds, so only failures stay counted.
 */
export interface Attempt {
  key: string;
  rule: ThrottleRule;
}

export interface CountedAttempt extends Attempt {
  hits: number;
  windowEndsAt: number;
}

/** Counts one attempt against each key, in one transaction. */
export function countAttempt(services: Services, attempts: Attempt[], now: number): Promise<CountedAttempt[]> {
  return transact(services, async (tx) => {
    const counted: CountedAttempt[] = [];
    for (const a of attempts) counted.push({ ...a, ...(await hitThrottle(tx.db, a.key, a.rule, now)) });
    return counted;
  });
}

/** The attempt went through: it no longer counts against these keys. */
export async function giveBack(services: Services, keys: string[], cleared: string[] = []): Promise<void> {
  await transact(services, async (tx) => {
    for (const key of keys) await refundThrottle(tx.db, key);
    for (const key of cleared) await clearThrottle(tx.db, key);
  });
}

export const isOverLimit = (c: CountedAttempt): boolean => c.hits > c.rule.limit;

/** Whole seconds until the key counts afresh (at least one). */
export const retryAfterSeconds = (c: CountedAttempt, now: number): number =>
  Math.max(1, Math.ceil((c.windowEndsAt - now) / 1000));

/** A rule that counts `limit` failures in a window and then refuses for the rest of a window. */
export const failuresPer = (limit: number, seconds: number): ThrottleRule => ({
  limit,
  windowMs: seconds * 1000,
  blockMs: seconds * 1000,
});

/** The refusal of an attempt over a shared limit (an address, a station, the district). */
export function throttled(c: CountedAttempt, now: number, detail: string): DomainError {
  return new DomainError('throttled', detail, { retryAfter: retryAfterSeconds(c, now) });
}
