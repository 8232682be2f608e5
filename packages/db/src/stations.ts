import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import type { Database, Dialect } from './schema.js';
import type { Executor } from './transaction.js';

/** Everything a kiosk transaction needs to know about where it happens. */
/** What a station's requests need of it, its campus and its district (see findKioskRequest too). */
export const stationContextColumns = [
  'stations.id as stationId',
  'stations.name as stationName',
  'sites.id as siteId',
  'sites.name as siteName',
  'sites.time_zone as timeZone',
  'sites.school_day_end as schoolDayEnd',
  'districts.id as districtId',
  'districts.settings as districtSettings',
] as const;

export async function findStationContext(db: Executor, stationId: string) {
  return db
    .selectFrom('stations')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .innerJoin('districts', 'districts.id', 'sites.district_id')
    .select(stationContextColumns)
    .where('stations.id', '=', stationId)
    .executeTakeFirst();
}

export type StationContext = NonNullable<Awaited<ReturnType<typeof findStationContext>>>;

export function findStationByTokenHash(db: Executor, tokenHash: string) {
  return db.selectFrom('stations').select(['id', 'name', 'site_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function setStationConnected(db: Executor, stationId: string, connected: boolean, now: number) {
  await db
    .updateTable('stations')
    .set({ connected: connected ? 1 : 0, last_seen_at: now })
    .where('id', '=', stationId)
    .execute();
}

/** Records a station offline; false (and nothing written) when it was not recorded online. */
export async function setStationOffline(db: Executor, stationId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('stations')
    .set({ connected: 0, last_seen_at: now })
    .where('id', '=', stationId)
    .where('connected', '=', 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The highest offline journal sequence the station reported holding (see journalBacklog). */
export async function setStationJournalSeq(db: Executor, stationId: string, journalSeq: number) {
  await db.updateTable('stations').set({ journal_seq: journalSeq }).where('id', '=', stationId).execute();
}

export async function setStationTokenHash(db: Executor, stationId: string, tokenHash: string | null) {
  const r = await db.updateTable('stations').set({ token_hash: tokenHash }).where('id', '=', stationId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A station's live kiosk session is written by a statement of its own, outside
 * any transaction, on every sign-in and sign-out. On PostgreSQL its commit does
 * not wait for the WAL flush (`synchronous_commit = off` for that one implicit
 * transaction: `set_config(…, true)` lasts until its commit). Losing it in a
 * crash is safe: the previous session would live on until its token expires
 * (minutes), and any request accepted under the new one is durable only with
 * it, because a durable commit flushes the WAL up to itself, this write
 * included. SQLite in WAL mode with synchronous=NORMAL never waits for a flush.
 */
function kioskSessionUpdate(cubby: KioskSessionDb) {
  if (cubby.db.isTransaction) throw new Error('a kiosk session is written outside any transaction');
  const q = cubby.db.updateTable('stations');
  return cubby.dialect === 'postgres' ? q.where(sql<boolean>`set_config('synchronous_commit', 'off', true) = 'off'`) : q;
}

type KioskSessionDb = { db: Kysely<Database>; dialect: Dialect };

/** Makes `sessionId` the station's one live kiosk session, ending whichever was there. */
export async function startKioskSession(cubby: KioskSessionDb, stationId: string, sessionId: string): Promise<void> {
  await kioskSessionUpdate(cubby).set({ kiosk_session_id: sessionId }).where('id', '=', stationId).execute();
}

/** Ends the station's kiosk session if it is still `sessionId`: a later sign-in's is left alone. */
export async function endKioskSession(cubby: KioskSessionDb, stationId: string, sessionId: string): Promise<boolean> {
  const r = await kioskSessionUpdate(cubby)
    .set({ kiosk_session_id: null })
    .where('id', '=', stationId)
    .where('kiosk_session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- The read API's list of stations (GET /api/v1/stations) ----

export const stationSorts = {
  id: sortOn('stations.id', 'id'),
  name: sortOn('stations.name', 'name'),
  createdAt: sortOn('stations.created_at', 'createdAt', 'integer'),
};

/** The highest journal sequence number the server applied for the station (a correlated subquery). */
export function appliedJournalSeq(eb: ExpressionBuilder<Database, 'stations'>) {
  return eb
    .selectFrom('journal_entries_applied as j')
    .select((j) => j.fn.max('j.seq').as('m'))
    .whereRef('j.station_id', '=', 'stations.id')
    .as('appliedSeq');
}

/**
 * Offline journal entries the station said it holds (highest sequence at its
 * last hello) that the server has not decided on yet. 0 when the station
 * reports nothing: an older agent, or nothing journalled.
 */
export function journalBacklog(reported: number | string | null | undefined, applied: unknown): number {
  if (reported === null || reported === undefined) return 0;
  return Math.max(0, Number(reported) - Number(applied ?? 0));
}

export async function listStations(
  db: Executor,
  args: ListArgs & { siteId?: string | undefined; connected?: boolean | undefined },
) {
  const k = sortKey(stationSorts, args.sort);
  let q = db
    .selectFrom('stations')
    .select([
      'stations.id',
      'site_id as siteId',
      'name',
      'connected',
      'last_seen_at as lastSeenAt',
      'created_at as createdAt',
      'grid_columns as columns',
      'grid_rows as rows',
      'journal_seq as journalSeq',
    ])
    .select(appliedJournalSeq);
  if (args.scope) q = args.scope.length ? q.where('site_id', 'in', args.scope) : q.where(noRows);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.connected !== undefined) q = q.where('connected', '=', args.connected ? 1 : 0);
  if (args.q) q = q.where(matchesText(args.q, ['stations.name']));
  const page = pageOf(await keyset(q, k, 'stations.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return {
    ...page,
    items: page.items.map(({ journalSeq, appliedSeq, ...s }) => ({
      ...s,
      connected: s.connected === 1,
      backlog: journalBacklog(journalSeq, appliedSeq),
      columns: s.columns ?? null,
      rows: s.rows ?? null,
    })),
  };
}

/** Which campus a station is at; null for a station not (yet) enrolled here. */
export async function findStationSiteId(db: Executor, stationId: string): Promise<string | null> {
  const row = await db.selectFrom('stations').select('site_id').where('id', '=', stationId).executeTakeFirst();
  return row?.site_id ?? null;
}

/** Every station the caller may see (null: the district) with its campus, for names in exports. */
export async function stationsInScope(db: Executor, scope: readonly string[] | null) {
  if (scope && scope.length === 0) return [];
  let q = db.selectFrom('stations').select(['id', 'name', 'site_id as siteId']);
  if (scope) q = q.where('site_id', 'in', scope);
  return q.orderBy('name').orderBy('id').execute();
}
