import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { endKioskSession, startKioskSession } from './stations.js';
import { createTestDb, testDialects, type TestDb } from './testing.js';

async function aStation(cubby: TestDb): Promise<string> {
  const now = Date.now();
  await cubby.db.insertInto('districts').values({ id: 'd1', name: 'District', settings: '{}', created_at: now }).execute();
  await cubby.db
    .insertInto('sites')
    .values({
      id: 's1',
      district_id: 'd1',
      name: 'Campus',
      time_zone: 'America/Chicago',
      school_day_end: '15:30',
      created_at: now,
    })
    .execute();
  await cubby.db
    .insertInto('stations')
    .values({ id: 'st1', site_id: 's1', name: 'Library', token_hash: null, connected: 0, last_seen_at: null, created_at: now })
    .execute();
  return 'st1';
}

const sessionOf = (cubby: TestDb, stationId: string) =>
  cubby.db.selectFrom('stations').select('kiosk_session_id').where('id', '=', stationId).executeTakeFirstOrThrow();

describe.each(testDialects)('kiosk sessions on %s', (dialect) => {
  let cubby: TestDb;
  afterEach(async () => cubby?.close());

  it('a sign-in replaces the live session and a sign-out ends only its own', async () => {
    cubby = await createTestDb(dialect, { poolSize: 1 });
    const station = await aStation(cubby);
    await startKioskSession(cubby, station, 'a');
    await startKioskSession(cubby, station, 'b');
    expect((await sessionOf(cubby, station)).kiosk_session_id).toBe('b');
    expect(await endKioskSession(cubby, station, 'a')).toBe(false);
    expect((await sessionOf(cubby, station)).kiosk_session_id).toBe('b');
    expect(await endKioskSession(cubby, station, 'b')).toBe(true);
    expect((await sessionOf(cubby, station)).kiosk_session_id).toBeNull();
  });

  it('is written outside any transaction, so its commit alone skips the flush wait', async () => {
    cubby = await createTestDb(dialect, { poolSize: 1 });
    const station = await aStation(cubby);
    await expect(cubby.db.transaction().execute((trx) => startKioskSession({ db: trx, dialect }, station, 'a'))).rejects.toThrow(
      /outside any transaction/,
    );
  });
});

describe('a kiosk session write on PostgreSQL', () => {
  let cubby: TestDb;
  afterEach(async () => cubby?.close());

  it('commits without waiting for the WAL flush, and only that statement does', async () => {
    const sent: string[] = [];
    cubby = await createTestDb('postgres', { poolSize: 1, log: (e) => void sent.push(e.query.sql) });
    const station = await aStation(cubby);
    // The test cluster runs with synchronous_commit off; this one connection runs durable, as production does.
    await sql`set synchronous_commit = on`.execute(cubby.db);
    sent.length = 0;
    await startKioskSession(cubby, station, 'a');
    await endKioskSession(cubby, station, 'a');
    expect(sent).toEqual([
      `update "stations" set "kiosk_session_id" = $1 where set_config('synchronous_commit', 'off', true) = 'off' and "id" = $2`,
      `update "stations" set "kiosk_session_id" = $1 where set_config('synchronous_commit', 'off', true) = 'off' and "id" = $2 and "kiosk_session_id" = $3`,
    ]);
    // The setting was local to the write's own implicit transaction: the pooled connection's
    // next transactions (the kiosk's steps) still wait for their flush.
    const after = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(cubby.db);
    expect(after.rows[0]!.synchronous_commit).toBe('on');
  });
});
