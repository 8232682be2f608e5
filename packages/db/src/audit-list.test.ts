import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from './audit.js';
import type { CubbyDb } from './connect.js';
import { newId } from './transaction.js';
import { createTestDb, testDialects } from './testing.js';

/**
 * The audit log within a time range goes by (at, seq), not by seq alone: an
 * event can be sealed after a later one (a station's journal replayed with its
 * own times), and several can share a millisecond.
 */
describe.each(testDialects)('the audit log within a time range on %s', (dialect) => {
  let cubby: CubbyDb;
  // seq → at: out of time order at 3 and 6, ties at 1000 and 3000.
  const ats = [1000, 1000, 2500, 2000, 3000, 3000, 1500, 4000, 1000, 5000];
  const event = (seq: number, at: number) => ({
    id: newId(),
    seq,
    at,
    actor_type: 'system' as const,
    actor_id: null,
    action: 'test.event',
    entity_type: 'thing',
    entity_id: `t${seq}`,
    station_id: null,
    transaction_id: null,
    data: '{}',
    prev_hash: null,
    hash: null,
  });

  beforeAll(async () => {
    cubby = await createTestDb(dialect);
    await cubby.db
      .insertInto('audit_events')
      .values(ats.map((at, i) => event(i + 1, at)))
      .execute();
  });
  afterAll(async () => cubby?.close());

  async function everyPage(args: { from?: number; to?: number; order: 'asc' | 'desc' }, limit: number) {
    const seqs: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await listAuditEvents(cubby.db, { ...args, limit, cursor });
      seqs.push(...page.items.map((e) => e.seq));
      if (!page.nextCursor) return seqs;
      cursor = page.nextCursor;
    }
    throw new Error('the cursor never ran out');
  }

  const expected = (from: number, to: number, order: 'asc' | 'desc') => {
    const inRange = ats.map((at, i) => ({ at, seq: i + 1 })).filter((e) => e.at >= from && e.at < to);
    inRange.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return (order === 'asc' ? inRange : inRange.reverse()).map((e) => e.seq);
  };

  it.each([
    [0, 10_000, 'asc'],
    [0, 10_000, 'desc'],
    [1000, 3001, 'asc'],
    [1500, 4000, 'desc'],
  ] as const)('from %i to %i, %s: pages of two hold every event once, by time then sequence number', async (from, to, order) => {
    for (const limit of [1, 2, 3]) expect(await everyPage({ from, to, order }, limit)).toEqual(expected(from, to, order));
  });

  it('from alone, or to alone, is a range too', async () => {
    expect(await everyPage({ from: 2000, order: 'asc' }, 2)).toEqual(expected(2000, Infinity, 'asc'));
    expect(await everyPage({ to: 2000, order: 'desc' }, 2)).toEqual(expected(0, 2000, 'desc'));
  });

  it('without a range the log stays in sequence order, and the two kinds of cursor do not mix', async () => {
    expect(await everyPage({ order: 'asc' }, 3)).toEqual(ats.map((_, i) => i + 1));
    const ranged = await listAuditEvents(cubby.db, { from: 0, order: 'asc', limit: 2 });
    expect(ranged.nextCursor).toBe('1000-2');
    await expect(listAuditEvents(cubby.db, { order: 'asc', limit: 2, cursor: ranged.nextCursor! })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(listAuditEvents(cubby.db, { from: 0, order: 'asc', limit: 2, cursor: '2' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
