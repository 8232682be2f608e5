import type { FleetCounts } from '@cubby/core';
import { isOpenLoan, loanStatusIn } from './loans.js';
import { appliedJournalSeq, journalBacklog } from './stations.js';
import type { Executor } from './transaction.js';

/**
 * Read models of the dashboard's fleet views. Each answers in a handful of
 * grouped queries whatever the number of stations; `siteIds` limits them to
 * some campuses (null: the whole district, [] : none).
 */
export type SiteScope = readonly string[] | null;
export type { FleetCounts };

export const noCounts = (): FleetCounts => ({
  compartments: 0,
  loaded: 0,
  empty: 0,
  outOfService: 0,
  loanersAvailable: 0,
  loanersCharging: 0,
  devicesOut: 0,
  overdue: 0,
  flaggedForRepair: 0,
  openAlerts: 0,
  stationsOnline: 0,
  stationsOffline: 0,
});

/** Stations with their campus, whether they are online and what of their offline journal is still to replay. */
export async function stationsWithBacklog(db: Executor, scope: SiteScope, stationId?: string) {
  if (scope && scope.length === 0) return [];
  let q = db
    .selectFrom('stations')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .select([
      'stations.id',
      'stations.name',
      'stations.site_id',
      'sites.name as site_name',
      'stations.connected',
      'stations.last_seen_at',
      'stations.grid_columns',
      'stations.grid_rows',
      'stations.journal_seq',
      'stations.created_at',
    ])
    .select(appliedJournalSeq);
  if (scope) q = q.where('stations.site_id', 'in', scope);
  if (stationId) q = q.where('stations.id', '=', stationId);
  const rows = await q.orderBy('sites.name').orderBy('stations.name').orderBy('stations.id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    siteId: r.site_id,
    siteName: r.site_name,
    connected: r.connected === 1,
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    backlog: journalBacklog(r.journal_seq, r.appliedSeq),
    gridColumns: r.grid_columns ?? null,
    gridRows: r.grid_rows ?? null,
    createdAt: Number(r.created_at),
  }));
}

/**
 * Per-station counts of compartments, loans and alerts: three grouped queries. Which
 * loaners are available (lendable) depends on core's charge estimate, so the
 * service counts those (availableLoanersByStation).
 */
export async function stationCounts(db: Executor, scope: SiteScope, now: number): Promise<Map<string, FleetCounts>> {
  const out = new Map<string, FleetCounts>();
  if (scope && scope.length === 0) return out;
  const of = (id: string) => {
    let c = out.get(id);
    if (!c) out.set(id, (c = noCounts()));
    return c;
  };
  let compartments = db
    .selectFrom('compartments')
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select(['compartments.station_id', 'compartments.status', 'devices.pool', 'devices.status as device_status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['compartments.station_id', 'compartments.status', 'devices.pool', 'devices.status']);
  if (scope) compartments = compartments.where('stations.site_id', 'in', scope);
  for (const r of await compartments.execute()) {
    const c = of(r.station_id);
    const n = Number(r.n);
    c.compartments += n;
    if (r.status === 'loaded') c.loaded += n;
    else if (r.status === 'empty') c.empty += n;
    else if (r.status === 'out_of_service') c.outOfService += n;
    if (r.device_status === 'awaiting_collection') c.flaggedForRepair += n;
  }

  let loans = db
    .selectFrom('loans')
    .innerJoin('stations', 'stations.id', 'loans.station_id')
    .select('loans.station_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('out'),
      eb.fn.sum<number>(eb.case().when('loans.due_at', '<', now).then(1).else(0).end()).as('overdue'),
    ])
    .where(isOpenLoan())
    .where(loanStatusIn(['active', 'overdue']))
    .groupBy('loans.station_id');
  if (scope) loans = loans.where('stations.site_id', 'in', scope);
  for (const r of await loans.execute()) {
    const c = of(r.station_id);
    c.devicesOut = Number(r.out);
    c.overdue = Number(r.overdue ?? 0);
  }

  let alerts = db
    .selectFrom('alerts')
    .innerJoin('stations', 'stations.id', 'alerts.station_id')
    .select('alerts.station_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('alerts.cleared_at', 'is', null)
    .groupBy('alerts.station_id');
  if (scope) alerts = alerts.where('stations.site_id', 'in', scope);
  for (const r of await alerts.execute()) of(r.station_id).openAlerts = Number(r.n);
  return out;
}

export function addCounts(into: FleetCounts, from: FleetCounts): FleetCounts {
  for (const key of Object.keys(into) as (keyof FleetCounts)[]) into[key] += from[key];
  return into;
}

/** Ids of the stations at the given campuses (null: no limit). */
export async function stationIdsOf(db: Executor, scope: SiteScope): Promise<string[] | null> {
  if (scope === null) return null;
  if (scope.length === 0) return [];
  return (await db.selectFrom('stations').select('id').where('site_id', 'in', scope).execute()).map((r) => r.id);
}

/** Every compartment of one station with its device, open alert and who holds what is behind the door. */
export async function stationGrid(db: Executor, stationId: string) {
  const compartments = await db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id',
      'compartments.number',
      'compartments.status',
      'compartments.door',
      'compartments.presence',
      'compartments.charging',
      'compartments.has_charger',
      'compartments.transaction_id',
      'devices.id as device_id',
      'devices.asset_tag',
      'devices.model',
      'devices.pool',
      'devices.status as device_status',
      'devices.battery_percent',
      'devices.battery_measured_at',
      'compartments.charging_since',
      'compartments.charge_sensed',
      'compartments.charge_sensed_at',
      'devices.owner_id',
    ])
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
  const alerts = await db
    .selectFrom('alerts')
    .select(['compartment_id', 'kind', 'raised_at'])
    .where('station_id', '=', stationId)
    .where('cleared_at', 'is', null)
    .orderBy('raised_at')
    .execute();
  // Who holds something behind each door: a loaner taken from it, a device charging in it,
  // a repaired device waiting for its owner, or a kiosk visit using the door right now.
  const loans = await db
    .selectFrom('loans')
    .innerJoin('people', 'people.id', 'loans.person_id')
    .select([
      'loans.compartment_id',
      'loans.device_id',
      'people.id as person_id',
      'people.given_name',
      'people.family_name',
      'loans.started_at',
      'loans.created_at',
      'loans.due_at',
    ])
    .where('loans.station_id', '=', stationId)
    .where(isOpenLoan())
    .orderBy('loans.created_at')
    .execute();
  const charging = await db
    .selectFrom('charge_sessions')
    .innerJoin('people', 'people.id', 'charge_sessions.person_id')
    .select([
      'charge_sessions.compartment_id',
      'people.id as person_id',
      'people.given_name',
      'people.family_name',
      'charge_sessions.deposited_at',
      'charge_sessions.created_at',
    ])
    .where('charge_sessions.station_id', '=', stationId)
    .where('charge_sessions.status', 'in', ['depositing', 'charging', 'collecting'])
    .execute();
  const visits = await db
    .selectFrom('kiosk_transactions')
    .innerJoin('people', 'people.id', 'kiosk_transactions.person_id')
    .select([
      'kiosk_transactions.id',
      'people.id as person_id',
      'people.given_name',
      'people.family_name',
      'kiosk_transactions.created_at',
    ])
    .where('kiosk_transactions.station_id', '=', stationId)
    .where('kiosk_transactions.status', '=', 'in_progress')
    .execute();
  const ownerIds = [
    ...new Set(compartments.filter((c) => c.device_status === 'ready_for_pickup' && c.owner_id).map((c) => c.owner_id!)),
  ];
  const owners = ownerIds.length
    ? await db.selectFrom('people').select(['id', 'given_name', 'family_name']).where('id', 'in', ownerIds).execute()
    : [];
  return { compartments, alerts, loans, charging, visits, owners };
}
