import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

/** Campuses, stations and the district's settings, as the dashboard's settings pages change them. */

/** The installation's district (one per installation); the settings pages' name for findFirstDistrict. */
export { findFirstDistrict as findDistrict } from './districts.js';

export async function saveDistrictSettings(db: Executor, districtId: string, settings: Record<string, unknown>) {
  await db
    .updateTable('districts')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', districtId)
    .execute();
}

export function districtSettings(row: { settings: unknown }): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(row.settings) ?? {};
}

const siteColumns = ['id', 'district_id', 'name', 'time_zone', 'school_day_end', 'created_at'] as const;

export function findSite(db: Executor, id: string) {
  return db.selectFrom('sites').select(siteColumns).where('id', '=', id).executeTakeFirst();
}

export async function insertSite(
  db: Executor,
  site: { id: string; district_id: string; name: string; time_zone: string; school_day_end: string; created_at: number },
) {
  await db.insertInto('sites').values(site).execute();
}

export async function updateSite(
  db: Executor,
  id: string,
  set: Partial<{ name: string; time_zone: string; school_day_end: string }>,
) {
  if (Object.keys(set).length) await db.updateTable('sites').set(set).where('id', '=', id).execute();
}

export function findStation(db: Executor, id: string) {
  return db
    .selectFrom('stations')
    .select(['id', 'site_id', 'name', 'token_hash', 'connected'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A new station, not yet enrolled (no token), with its compartments numbered 1…n. */
export async function insertStation(
  db: Executor,
  station: {
    id: string;
    site_id: string;
    name: string;
    grid_columns: number | null;
    grid_rows: number | null;
    created_at: number;
  },
  compartments: { id: string; number: number; has_charger: 0 | 1 }[],
) {
  await db
    .insertInto('stations')
    .values({ ...station, token_hash: null, connected: 0, last_seen_at: null })
    .execute();
  if (compartments.length === 0) return;
  await db
    .insertInto('compartments')
    .values(
      compartments.map((c) => ({
        ...c,
        station_id: station.id,
        status: 'empty' as const,
        device_id: null,
        door: 'closed' as const,
        presence: 0 as const,
        charging: 0 as const,
        transaction_id: null,
        purpose: null,
        command_id: null,
        updated_at: station.created_at,
      })),
    )
    .execute();
}

export async function setEnrollmentCode(db: Executor, stationId: string, codeHash: string, expiresAt: number) {
  await db
    .updateTable('stations')
    .set({ enroll_code_hash: codeHash, enroll_expires_at: expiresAt })
    .where('id', '=', stationId)
    .execute();
}

/**
 * Exchanges a one-time code for the station's new token hash, atomically: of
 * two requests with the same code only one changes the row.
 */
export async function redeemEnrollmentCode(
  db: Executor,
  codeHash: string,
  tokenHash: string,
  now: number,
): Promise<{ id: string; name: string; site_id: string } | undefined> {
  const station = await db
    .selectFrom('stations')
    .select(['id', 'name', 'site_id'])
    .where('enroll_code_hash', '=', codeHash)
    .where('enroll_expires_at', '>', now)
    .executeTakeFirst();
  if (!station) return undefined;
  const r = await db
    .updateTable('stations')
    .set({ token_hash: tokenHash, enroll_code_hash: null, enroll_expires_at: null })
    .where('id', '=', station.id)
    .where('enroll_code_hash', '=', codeHash)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? station : undefined;
}

/** The station's token and any pending enrollment code stop working. */
export async function revokeStationCredentials(db: Executor, stationId: string) {
  await db
    .updateTable('stations')
    .set({ token_hash: null, enroll_code_hash: null, enroll_expires_at: null })
    .where('id', '=', stationId)
    .execute();
}
