import type { ChargeFacts, LoanerCandidate } from '@cubby/core';
import type { SiteScope } from './dashboard.js';
import type { Executor } from './transaction.js';

/**
 * What core's charge estimate reads for the device behind a door: its model,
 * its last measured level, since when it has been on the door's charger and
 * what a current-sensing board last said. The estimate itself is core's
 * (`estimateCharge`); these queries only gather its facts.
 */
const chargeColumns = [
  'devices.model',
  'devices.battery_percent',
  'devices.battery_measured_at',
  'compartments.has_charger',
  'compartments.charging_since',
  'compartments.charge_sensed',
  'compartments.charge_sensed_at',
] as const;

export interface ChargeRow {
  model: string | null;
  battery_percent: number | null;
  battery_measured_at?: number | string | null;
  has_charger: number;
  charging_since?: number | string | null;
  charge_sensed?: 'charging' | 'charged' | null;
  charge_sensed_at?: number | string | null;
}

const time = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * The row's facts as core reads them. A door without a charger powers nothing.
 * Discharge on loan is not guessed: a returned device's last measured level is
 * used while it is recent (core ages it out), then the default.
 */
export function toChargeFacts(r: ChargeRow): ChargeFacts {
  const measuredAt = time(r.battery_measured_at);
  const sensedAt = time(r.charge_sensed_at);
  return {
    model: r.model,
    reported: measuredAt !== null && r.battery_percent !== null ? { percent: r.battery_percent, at: measuredAt } : null,
    poweredSince: r.has_charger === 1 ? time(r.charging_since) : null,
    sensed: r.charge_sensed && sensedAt !== null ? { state: r.charge_sensed, at: sensedAt } : null,
  };
}

function availableLoaners(db: Executor) {
  return db
    .selectFrom('compartments')
    .innerJoin('devices', 'devices.id', 'compartments.device_id')
    .select(chargeColumns)
    .where('compartments.status', '=', 'loaded')
    .where('devices.pool', '=', 'loaner')
    .where('devices.status', '=', 'available');
}

const candidateColumns = [
  'devices.id as deviceId',
  'compartments.id as compartmentId',
  'compartments.number as compartmentNumber',
  'devices.loan_count as loanCount',
  'devices.last_loaned_at as lastLoanedAt',
] as const;

/** loanerCandidates' query, for a statement that reads them with more (a kiosk sign-in, as JSON). */
export function loanerCandidatesQuery(db: Executor, stationId: string) {
  return availableLoaners(db).select(candidateColumns).where('compartments.station_id', '=', stationId);
}

export type LoanerCandidateFacts = Omit<LoanerCandidate, 'batteryPercent'> & { compartmentId: string; charge: ChargeFacts };

/** A row of loanerCandidatesQuery as core ranks it (JSON hands bigints back as numbers or text alike). */
export function toLoanerCandidate(
  r: ChargeRow & {
    deviceId: string;
    compartmentId: string;
    compartmentNumber: number;
    loanCount: number;
    lastLoanedAt: number | string | null;
  },
): LoanerCandidateFacts {
  return {
    deviceId: r.deviceId,
    compartmentId: r.compartmentId,
    compartmentNumber: r.compartmentNumber,
    loanCount: Number(r.loanCount),
    lastLoanedAt: time(r.lastLoanedAt),
    charge: toChargeFacts(r),
  };
}

/** Loaners ready in this station's loaded compartments, with their charge facts; core estimates and ranks them. */
export async function loanerCandidates(db: Executor, stationId: string): Promise<LoanerCandidateFacts[]> {
  return (await loanerCandidatesQuery(db, stationId).execute()).map(toLoanerCandidate);
}

/**
 * Loaners ready at the district's other stations, with their charge facts and
 * campus: the server counts those its charge estimate finds lendable, so a
 * kiosk can send a student where one is, same campus first.
 */
export async function loanersAtOtherStations(db: Executor, districtId: string, exceptStationId: string) {
  const rows = await availableLoaners(db)
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .select(['stations.id as stationId', 'stations.name as stationName', 'sites.id as siteId', 'sites.name as siteName'])
    .where('sites.district_id', '=', districtId)
    .where('stations.id', '!=', exceptStationId)
    .execute();
  return rows.map((r) => ({
    stationId: r.stationId,
    stationName: r.stationName,
    siteId: r.siteId,
    siteName: r.siteName,
    charge: toChargeFacts(r),
  }));
}

/** Every ready loaner of the stations in scope, with its charge facts: the dashboard counts the lendable ones. */
export async function availableLoanersByStation(db: Executor, scope: SiteScope) {
  if (scope && scope.length === 0) return [];
  let q = availableLoaners(db)
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .select(['compartments.station_id as stationId']);
  if (scope) q = q.where('stations.site_id', 'in', scope);
  const rows = await q.execute();
  return rows.map((r) => ({ stationId: r.stationId, charge: toChargeFacts(r) }));
}

/** A board or telemetry measured the device's level. */
export async function setBattery(db: Executor, id: string, percent: number, now: number) {
  await db
    .updateTable('devices')
    .set({ battery_percent: percent, battery_measured_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A current-sensing board's word on one port: current flowing ("charging") or dropped below its threshold ("charged"). */
export async function setChargeSensed(db: Executor, compartmentId: string, state: 'charging' | 'charged', now: number) {
  await db
    .updateTable('compartments')
    .set({ charge_sensed: state, charge_sensed_at: now })
    .where('id', '=', compartmentId)
    .execute();
}
