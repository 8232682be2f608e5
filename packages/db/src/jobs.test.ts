import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { buryAbandonedJobs, claimDueJobs, claimDueJobsQuery, failJob, finishJob, findJobByKey, releaseJobs } from './jobs.js';
import { compilerOnly } from './sql-testing.js';
import { createTestDb, testDialects, type TestDb } from './testing.js';
import { inTransaction } from './transaction.js';

const lease = 60_000;

describe.each(testDialects)('the job outbox and its claims on %s', (dialect) => {
  it('the claim is one conditional update of due rows; PostgreSQL skips rows another claim holds', () => {
    const { sql } = claimDueJobsQuery(compilerOnly(dialect), dialect, 'w', 1000, lease, 5, 8).compile();
    const flat = sql.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /^update "jobs" set "state" = .+, "attempts" = "attempts" \+ .+ where "id" in \(select "id" from "jobs" where/,
    );
    expect(flat).toContain('"state" = ');
    expect(flat).toContain('"claimed_until" < ');
    expect(flat).toContain('"attempts" < "max_attempts"');
    expect(flat.endsWith('returning "id", "kind", "payload", "attempts", "max_attempts", "created_at"')).toBe(true);
    if (dialect === 'postgres') expect(flat).toContain('for update skip locked');
    else expect(flat).not.toContain('for update');
  });

  let cubby: TestDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect, { poolSize: 8 });
  });
  afterEach(async () => cubby.close());

  const enqueue = (key: string, now = 1000) => inTransaction(cubby, async (tx) => tx.enqueue('test', { key }, { key }), { now });

  it('a job is written with its transaction, or not at all, and one key is one job', async () => {
    await enqueue('a');
    await enqueue('a');
    await expect(
      inTransaction(cubby, async (tx) => {
        tx.enqueue('test', {}, { key: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await cubby.db.selectFrom('jobs').select(['dedupe_key', 'state', 'attempts']).execute();
    expect(rows).toEqual([{ dedupe_key: 'a', state: 'queued', attempts: 0 }]);
  });

  it('a claim takes a due job once; another runner takes it over only after the lease expires', async () => {
    await enqueue('a');
    const [mine] = await claimDueJobs(cubby, { worker: 'A', now: 2000, leaseMs: lease, limit: 10 });
    expect(mine).toMatchObject({ kind: 'test', attempts: 1, payload: { key: 'a' } });
    expect(await claimDueJobs(cubby, { worker: 'B', now: 3000, leaseMs: lease, limit: 10 })).toEqual([]);
    // A was killed: past the lease, B takes it and A's late "done" is refused.
    const [taken] = await claimDueJobs(cubby, { worker: 'B', now: 2000 + lease + 1, leaseMs: lease, limit: 10 });
    expect(taken).toMatchObject({ id: mine!.id, attempts: 2 });
    expect(await finishJob(cubby.db, { id: mine!.id, worker: 'A', attempts: 1 }, {}, 70_000)).toBe(false);
    expect(await finishJob(cubby.db, { id: mine!.id, worker: 'B', attempts: 2 }, { sent: true }, 70_000)).toBe(true);
    expect(await findJobByKey(cubby.db, 'a')).toMatchObject({ state: 'done', result: { sent: true }, finished_at: 70_000 });
    expect(await claimDueJobs(cubby, { worker: 'C', now: 10_000_000, leaseMs: lease, limit: 10 })).toEqual([]);
  });

  it('a failed job waits for its run time; a runner dead after the last attempt leaves it dead', async () => {
    await enqueue('a');
    const [job] = await claimDueJobs(cubby, { worker: 'A', now: 2000, leaseMs: lease, limit: 1, maxAttempts: 2 });
    await failJob(cubby.db, { id: job!.id, worker: 'A', attempts: 1 }, { state: 'failed', error: '451', runAt: 5000 }, 2100);
    expect(await claimDueJobs(cubby, { worker: 'A', now: 4999, leaseMs: lease, limit: 1, maxAttempts: 2 })).toEqual([]);
    const [again] = await claimDueJobs(cubby, { worker: 'A', now: 5000, leaseMs: lease, limit: 1, maxAttempts: 2 });
    expect(again).toMatchObject({ attempts: 2, maxAttempts: 2 });
    expect(await buryAbandonedJobs(cubby.db, 5000 + lease, 2)).toBe(0);
    expect(await buryAbandonedJobs(cubby.db, 5001 + lease, 2)).toBe(1);
    expect(await findJobByKey(cubby.db, 'a')).toMatchObject({ state: 'dead', attempts: 2 });
  });

  it('a runner stopping hands its claims back as they were', async () => {
    await enqueue('a');
    await claimDueJobs(cubby, { worker: 'A', now: 2000, leaseMs: lease, limit: 1 });
    await releaseJobs(cubby.db, 'A', 2500);
    expect(await findJobByKey(cubby.db, 'a')).toMatchObject({ state: 'queued', attempts: 0, claimed_by: null });
  });

  it('runners claiming at once on their own connections each take different jobs, and together take all', async () => {
    for (let i = 0; i < 60; i++) await enqueue(`j${i}`);
    const handles: CubbyDb[] = [cubby, cubby.reconnect(), cubby.reconnect(), cubby.reconnect()];
    try {
      const seen: string[] = [];
      await Promise.all(
        handles.map(async (h, n) => {
          for (;;) {
            const got = await claimDueJobs(h, { worker: `w${n}`, now: 2000, leaseMs: lease, limit: 4 });
            if (got.length === 0) return;
            seen.push(...got.map((j) => j.id));
          }
        }),
      );
      expect(seen).toHaveLength(60);
      expect(new Set(seen).size).toBe(60);
    } finally {
      await Promise.all(handles.slice(1).map((h) => h.close()));
    }
  });
});
