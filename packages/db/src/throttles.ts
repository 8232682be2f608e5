import { sql } from 'kysely';
import type { Executor } from './transaction.js';

/**
 * Attempt counters in the database, shared by every server instance on it: a
 * fixed window per key, counted by one atomic upsert, so attempts sent at
 * once are each counted. The attempt that reaches the limit pushes the window
 * out to the end of a block; attempts beyond the limit are refused until then.
 */
export interface ThrottleRule {
  /** Attempts allowed within the window; the one after is refused. */
  limit: number;
  windowMs: number;
  /** How long the key stays refused, from the attempt that reached the limit. */
  blockMs: number;
}

export interface ThrottleCount {
  hits: number;
  windowEndsAt: number;
}

export function hitThrottleQuery(db: Executor, key: string, rule: ThrottleRule, now: number) {
  const blockEnds = now + rule.blockMs;
  // A limit of one blocks from the first attempt.
  const freshEnds = rule.limit <= 1 ? Math.max(now + rule.windowMs, blockEnds) : now + rule.windowMs;
  return db
    .insertInto('throttles')
    .values({ key, hits: 1, window_ends_at: freshEnds })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when throttles.window_ends_at <= ${now} then 1 else throttles.hits + 1 end`,
        window_ends_at: sql<number>`case
          when throttles.window_ends_at <= ${now} then ${freshEnds}
          when throttles.hits + 1 = ${rule.limit} and throttles.window_ends_at < ${blockEnds} then ${blockEnds}
          else throttles.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at']);
}

/** Counts one attempt against `key` and answers the count so far in this window. */
export async function hitThrottle(db: Executor, key: string, rule: ThrottleRule, now: number): Promise<ThrottleCount> {
  const row = await hitThrottleQuery(db, key, rule, now).executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowEndsAt: Number(row.window_ends_at) };
}

/** Gives an attempt back (it succeeded): only failures stay counted. */
export function refundThrottleQuery(db: Executor, key: string) {
  return db
    .updateTable('throttles')
    .set({ hits: sql<number>`hits - 1` })
    .where('key', '=', key)
    .where('hits', '>', 0);
}

export async function refundThrottle(db: Executor, key: string): Promise<void> {
  await refundThrottleQuery(db, key).execute();
}

/** Starts a key's count over (a student who got their PIN right). */
export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('throttles').where('key', '=', key).execute();
}

/** Windows that have ended count nothing; this only keeps the table small. */
export async function deleteEndedThrottles(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('throttles').where('window_ends_at', '<=', now).execute();
}
