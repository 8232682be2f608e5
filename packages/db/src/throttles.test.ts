import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { compilerOnly, expectSql } from './sql-testing.js';
import { createTestDb, testDialects } from './testing.js';
import {
  clearThrottle,
  deleteEndedThrottles,
  hitThrottle,
  hitThrottleQuery,
  refundThrottle,
  refundThrottleQuery,
} from './throttles.js';
import { reserveSignInAttempt, reserveSignInAttemptQuery } from './users.js';
import { insertDistrict } from './districts.js';
import { insertUser } from './users.js';

const rule = { limit: 3, windowMs: 60_000, blockMs: 600_000 };

describe.each(testDialects)('the SQL of a throttle and a sign-in attempt on %s', (dialect) => {
  const db = compilerOnly(dialect);
  it('a hit is one upsert that starts a window, counts within it, and blocks from the attempt that reaches the limit', () => {
    expectSql(
      dialect,
      hitThrottleQuery(db, 'k', rule, 1000).compile(),
      'insert into "throttles" ("key", "hits", "window_ends_at") values (?, ?, ?) on conflict ("key") do update set ' +
        '"hits" = case when throttles.window_ends_at <= ? then 1 else throttles.hits + 1 end, ' +
        '"window_ends_at" = case when throttles.window_ends_at <= ? then ? ' +
        'when throttles.hits + 1 = ? and throttles.window_ends_at < ? then ? else throttles.window_ends_at end ' +
        'returning "hits", "window_ends_at"',
      ['k', 1, 61_000, 1000, 1000, 61_000, 3, 601_000, 601_000],
    );
    expectSql(
      dialect,
      refundThrottleQuery(db, 'k').compile(),
      'update "throttles" set "hits" = hits - 1 where "key" = ? and "hits" > ?',
      ['k', 0],
    );
  });

  it("a sign-in attempt is taken in the account's row, only while it is not locked", () => {
    expectSql(
      dialect,
      reserveSignInAttemptQuery(db, 'u1', 5).compile(),
      'update "users" set "failed_logins" = case when locked_until is null then failed_logins + 1 else 1 end, "locked_until" = ? ' +
        'where "id" = ? and ("locked_until" is null or "locked_until" <= ?) returning "failed_logins"',
      [null, 'u1', 5],
    );
  });
});

describe.each(testDialects)('throttles on %s', (dialect) => {
  let cubby: CubbyDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect, { poolSize: 10 });
  });
  afterEach(async () => cubby?.close());

  it('attempts sent at once are each counted', async () => {
    const counts = await Promise.all(Array.from({ length: 30 }, () => hitThrottle(cubby.db, 'flood', rule, 1000)));
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('the attempt that reaches the limit blocks the key for the block time; then the count starts over', async () => {
    expect(await hitThrottle(cubby.db, 'k', rule, 1000)).toEqual({ hits: 1, windowEndsAt: 61_000 });
    expect(await hitThrottle(cubby.db, 'k', rule, 2000)).toEqual({ hits: 2, windowEndsAt: 61_000 });
    expect(await hitThrottle(cubby.db, 'k', rule, 3000)).toEqual({ hits: 3, windowEndsAt: 603_000 });
    // Past the window but inside the block: still counted, still blocked.
    expect(await hitThrottle(cubby.db, 'k', rule, 70_000)).toEqual({ hits: 4, windowEndsAt: 603_000 });
    expect(await hitThrottle(cubby.db, 'k', rule, 603_000)).toEqual({ hits: 1, windowEndsAt: 663_000 });
  });

  it('a refund gives one attempt back, a clear starts over, and ended windows are swept', async () => {
    await hitThrottle(cubby.db, 'a', rule, 1000);
    await hitThrottle(cubby.db, 'a', rule, 1000);
    await refundThrottle(cubby.db, 'a');
    expect((await hitThrottle(cubby.db, 'a', rule, 1000)).hits).toBe(2);
    await clearThrottle(cubby.db, 'a');
    expect((await hitThrottle(cubby.db, 'a', rule, 1000)).hits).toBe(1);
    await hitThrottle(cubby.db, 'b', rule, 100_000);
    await deleteEndedThrottles(cubby.db, 61_000);
    expect((await cubby.db.selectFrom('throttles').select('key').execute()).map((r) => r.key)).toEqual(['b']);
  });

  it('sign-in attempts sent at once each take their own number; a locked account gives none, until the lock runs out', async () => {
    await insertDistrict(cubby.db, { id: 'd1', name: 'D', now: 1 });
    await insertUser(cubby.db, {
      id: 'u1',
      districtId: 'd1',
      email: 'a@b.test',
      name: 'A',
      role: 'auditor',
      siteIds: null,
      passwordHash: 'x',
      now: 1,
    });
    const attempts = await Promise.all(Array.from({ length: 20 }, () => reserveSignInAttempt(cubby.db, 'u1', 10)));
    expect(attempts.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await cubby.db.updateTable('users').set({ failed_logins: 0, locked_until: 100 }).where('id', '=', 'u1').execute();
    expect(await reserveSignInAttempt(cubby.db, 'u1', 99)).toBeUndefined();
    expect(await reserveSignInAttempt(cubby.db, 'u1', 100)).toBe(1);
  });
});
