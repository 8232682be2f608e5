import { sql, type ExpressionBuilder } from 'kysely';
import { isOpenLoan } from './loans.js';
import type { Database } from './schema.js';
import type { Executor } from './transaction.js';
import { keyset, matchesText, pageOf, sortKey, type ListArgs, type SortKey } from './paging.js';

export type { Page, PageArgs, ListArgs } from './paging.js';

/**
 * Read models for the API's fleet lists: searchable, filterable, sortable and
 * keyset-paged (paging.ts), limited to the caller's campuses (`scope`).
 * A campus list that is empty matches nothing (never `in ()`).
 */
const none = sql<boolean>`1 = 0`;
const byId = (table: string) => ({ id: { column: `${table}.id`, field: 'id' } });
const key = (table: string, column: string): SortKey => ({ column: `${table}.${column}`, field: column });

export const siteSorts = { ...byId('sites'), name: key('sites', 'name'), created_at: key('sites', 'created_at') };
export const stationSorts = { ...byId('stations'), name: key('stations', 'name'), created_at: key('stations', 'created_at') };
export const compartmentSorts = {
  ...byId('compartments'),
  number: key('compartments', 'number'),
  updated_at: key('compartments', 'updated_at'),
};
export const deviceSorts = {
  ...byId('devices'),
  asset_tag: key('devices', 'asset_tag'),
  model: key('devices', 'model'),
  status: key('devices', 'status'),
  battery_percent: key('devices', 'battery_percent'),
  loan_count: key('devices', 'loan_count'),
  updated_at: key('devices', 'updated_at'),
};
export const personSorts = {
  ...byId('people'),
  family_name: key('people', 'family_name'),
  given_name: key('people', 'given_name'),
  created_at: key('people', 'created_at'),
};

export async function listSites(db: Executor, args: ListArgs & { districtId?: string | undefined }) {
  const k = sortKey(siteSorts, args.sort);
  let q = db.selectFrom('sites').select(['sites.id', 'district_id', 'name', 'time_zone', 'school_day_end', 'created_at']);
  if (args.scope) q = args.scope.length ? q.where('sites.id', 'in', args.scope) : q.where(none);
  if (args.districtId) q = q.where('district_id', '=', args.districtId);
  if (args.q) q = q.where(matchesText(args.q, ['sites.name']));
  return pageOf(await keyset(q, k, 'sites.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
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
      'site_id',
      'name',
      'connected',
      'last_seen_at',
      'created_at',
      'grid_columns',
      'grid_rows',
      'journal_seq',
    ])
    .select((eb) =>
      eb
        .selectFrom('journal_entries_applied as j')
        .select((j) => j.fn.max('j.seq').as('m'))
        .whereRef('j.station_id', '=', 'stations.id')
        .as('applied_seq'),
    );
  if (args.scope) q = args.scope.length ? q.where('site_id', 'in', args.scope) : q.where(none);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.connected !== undefined) q = q.where('connected', '=', args.connected ? 1 : 0);
  if (args.q) q = q.where(matchesText(args.q, ['stations.name']));
  const page = pageOf(await keyset(q, k, 'stations.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return {
    ...page,
    items: page.items.map(({ journal_seq, applied_seq, grid_columns, grid_rows, ...s }) => ({
      ...s,
      connected: s.connected === 1,
      backlog:
        journal_seq === null || journal_seq === undefined ? 0 : Math.max(0, Number(journal_seq) - Number(applied_seq ?? 0)),
      columns: grid_columns ?? null,
      rows: grid_rows ?? null,
    })),
  };
}

export async function listCompartments(
  db: Executor,
  args: ListArgs & { stationId?: string | undefined; status?: string | undefined },
) {
  const k = sortKey(compartmentSorts, args.sort);
  let q = db
    .selectFrom('compartments')
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id',
      'compartments.station_id',
      'compartments.number',
      'compartments.has_charger',
      'compartments.status',
      'compartments.door',
      'compartments.presence',
      'compartments.charging',
      'compartments.device_id',
      'devices.asset_tag',
      'devices.battery_percent',
      'compartments.transaction_id',
      'compartments.updated_at',
    ]);
  if (args.scope) q = args.scope.length ? q.where('stations.site_id', 'in', args.scope) : q.where(none);
  if (args.stationId) q = q.where('compartments.station_id', '=', args.stationId);
  if (args.status) q = q.where('compartments.status', '=', args.status as never);
  if (args.q) q = q.where(matchesText(args.q, ['devices.asset_tag', 'stations.name']));
  const page = pageOf(
    await keyset(q, k, 'compartments.id', args.order ?? 'asc', args.cursor, args.limit).execute(),
    args.limit,
    k,
  );
  return {
    ...page,
    items: page.items.map((c) => ({
      ...c,
      has_charger: c.has_charger === 1,
      presence: c.presence === 1,
      charging: c.charging === 1,
    })),
  };
}

/**
 * A device belongs to a campus while it sits in a compartment there, while it
 * is out on a loan taken there, and otherwise at its home campus (`site_id`).
 */
export function deviceAtSites(eb: ExpressionBuilder<Database, 'devices'>, siteIds: readonly string[]) {
  if (siteIds.length === 0) return none;
  // Uncorrelated subqueries: each campus list is computed once (a few thousand ids), not per device.
  return eb.or([
    eb('devices.site_id', 'in', siteIds),
    eb(
      'devices.id',
      'in',
      eb
        .selectFrom('compartments as dc')
        .innerJoin('stations as ds', 'ds.id', 'dc.station_id')
        .select('dc.device_id')
        .where('ds.site_id', 'in', siteIds)
        .where('dc.device_id', 'is not', null),
    ),
    eb(
      'devices.id',
      'in',
      eb
        .selectFrom('loans as dl')
        .innerJoin('stations as ls', 'ls.id', 'dl.station_id')
        .select('dl.device_id')
        .where(isOpenLoan('dl'))
        .where('ls.site_id', 'in', siteIds),
    ),
  ]);
}

export async function listDevices(
  db: Executor,
  args: ListArgs & {
    status?: string | undefined;
    pool?: string | undefined;
    siteId?: string | undefined;
    stationId?: string | undefined;
    assetTag?: string | undefined;
  },
) {
  const k = sortKey(deviceSorts, args.sort);
  let q = db
    .selectFrom('devices')
    .leftJoin('compartments', 'compartments.device_id', 'devices.id')
    .select([
      'devices.id',
      'asset_tag',
      'serial',
      'model',
      'pool',
      'owner_id',
      'devices.status',
      'condition',
      'battery_percent',
      'loan_count',
      'last_loaned_at',
      'site_id',
      'warranty_end',
      'devices.updated_at',
      'compartments.station_id',
      'compartments.number as compartment_number',
    ]);
  if (args.scope) q = q.where((eb) => deviceAtSites(eb, args.scope!));
  if (args.siteId) q = q.where((eb) => deviceAtSites(eb, [args.siteId!]));
  if (args.stationId) q = q.where('compartments.station_id', '=', args.stationId);
  if (args.status) q = q.where('devices.status', '=', args.status as never);
  if (args.pool) q = q.where('pool', '=', args.pool as never);
  if (args.assetTag) q = q.where('asset_tag', '=', args.assetTag);
  if (args.q) q = q.where(matchesText(args.q, ['devices.asset_tag', 'devices.serial', 'devices.model']));
  return pageOf(await keyset(q, k, 'devices.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
}

export async function listPeople(
  db: Executor,
  args: ListArgs & {
    role?: string | undefined;
    siteId?: string | undefined;
    studentNumber?: string | undefined;
    active?: boolean | undefined;
  },
) {
  const k = sortKey(personSorts, args.sort);
  // Never badge or PIN hashes.
  let q = db
    .selectFrom('people')
    .select([
      'people.id',
      'site_id',
      'role',
      'external_id',
      'student_number',
      'given_name',
      'family_name',
      'grade',
      'agreement_accepted_at',
      'active',
    ]);
  if (args.scope) q = args.scope.length ? q.where('site_id', 'in', args.scope) : q.where(none);
  if (args.role) q = q.where('role', '=', args.role as never);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.studentNumber) q = q.where('student_number', '=', args.studentNumber);
  if (args.active !== undefined) q = q.where('active', '=', args.active ? 1 : 0);
  if (args.q)
    q = q.where(
      matchesText(args.q, ['people.student_number', 'people.external_id', sql`people.given_name || ' ' || people.family_name`]),
    );
  const page = pageOf(await keyset(q, k, 'people.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return { ...page, items: page.items.map((p) => ({ ...p, active: p.active === 1 })) };
}
