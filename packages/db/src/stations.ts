import type { Executor } from './transaction.js';

/** Everything a kiosk transaction needs to know about where it happens. */
export async function findStationContext(db: Executor, stationId: string) {
  return db
    .selectFrom('stations')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .innerJoin('districts', 'districts.id', 'sites.district_id')
    .select([
      'stations.id as stationId',
      'stations.name as stationName',
      'sites.id as siteId',
      'sites.name as siteName',
      'sites.time_zone as timeZone',
      'sites.school_day_end as schoolDayEnd',
      'districts.id as districtId',
      'districts.settings as districtSettings',
    ])
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
 * Loaners ready at the other stations of the same site, with their charge:
 * the server counts those above the charge floor (core's isLendable), so a
 * kiosk can send a student where one is.
 */
export function loanersAtOtherStations(db: Executor, siteId: string, exceptStationId: string) {
  return db
    .selectFrom('compartments')
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .innerJoin('devices', 'devices.id', 'compartments.device_id')
    .select(['stations.id as stationId', 'stations.name as stationName', 'devices.battery_percent as batteryPercent'])
    .where('stations.site_id', '=', siteId)
    .where('stations.id', '!=', exceptStationId)
    .where('compartments.status', '=', 'loaded')
    .where('devices.pool', '=', 'loaner')
    .where('devices.status', '=', 'available')
    .execute();
}
