import type { Executor } from './transaction.js';
import { parseJson } from './json.js';
import type { GoogleConnectionTable, GoogleSyncTable } from './schema.js';

/** The district's Google connection, with its sealed key (callers never hand the key on). */
export function findGoogleConnection(db: Executor, districtId: string) {
  return db.selectFrom('google_connections').selectAll().where('district_id', '=', districtId).executeTakeFirst();
}

/** Every connection a scheduled sync may be due for (one per district). */
export function listGoogleConnections(db: Executor) {
  return db.selectFrom('google_connections').selectAll().execute();
}

export async function saveGoogleConnection(db: Executor, row: Omit<GoogleConnectionTable, 'sync_claimed_at'>) {
  const { district_id: _id, ...set } = row;
  await db
    .insertInto('google_connections')
    .values({ ...row, sync_claimed_at: null })
    .onConflict((oc) => oc.column('district_id').doUpdateSet(set))
    .execute();
}

export async function deleteGoogleConnection(db: Executor, districtId: string) {
  await db.deleteFrom('google_connections').where('district_id', '=', districtId).execute();
}

/**
 * Claims the district's sync: one run at a time across every server instance.
 * A claim older than `staleMs` is a run whose server died; it may be taken over.
 */
export function claimGoogleSyncQuery(db: Executor, districtId: string, now: number, staleMs: number) {
  return db
    .updateTable('google_connections')
    .set({ sync_claimed_at: now })
    .where('district_id', '=', districtId)
    .where((eb) => eb.or([eb('sync_claimed_at', 'is', null), eb('sync_claimed_at', '<', now - staleMs)]));
}

export async function claimGoogleSync(db: Executor, districtId: string, now: number, staleMs: number): Promise<boolean> {
  const r = await claimGoogleSyncQuery(db, districtId, now, staleMs).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseGoogleSync(db: Executor, districtId: string, claimedAt: number) {
  await db
    .updateTable('google_connections')
    .set({ sync_claimed_at: null })
    .where('district_id', '=', districtId)
    .where('sync_claimed_at', '=', claimedAt)
    .execute();
}

export interface GoogleSyncRecord extends Omit<GoogleSyncTable, 'counts' | 'unmatched'> {
  counts: Record<string, number>;
  unmatched: { onlyInGoogle: unknown[]; onlyInCubby: unknown[] };
}

export async function insertGoogleSync(db: Executor, run: GoogleSyncRecord) {
  await db
    .insertInto('google_syncs')
    .values({ ...run, counts: JSON.stringify(run.counts), unmatched: JSON.stringify(run.unmatched) })
    .execute();
}

/** The district's latest sync runs, newest first. */
export async function recentGoogleSyncs(db: Executor, districtId: string, limit: number): Promise<GoogleSyncRecord[]> {
  const rows = await db
    .selectFrom('google_syncs')
    .selectAll()
    .where('district_id', '=', districtId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    started_at: Number(r.started_at),
    finished_at: Number(r.finished_at),
    counts: parseJson(r.counts),
    unmatched: parseJson(r.unmatched),
  }));
}

/** What a sync matches Google's devices against: every device of the district, by serial and asset tag. */
export function devicesForGoogleMatch(db: Executor, districtId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'asset_tag', 'serial', 'battery_measured_at'])
    .where('district_id', '=', districtId)
    .execute();
}

/** The fields that come from Google's Directory, as the sync writes them. */
export interface GoogleDeviceFields {
  google_device_id: string;
  google_org_unit_path: string | null;
  google_status: string | null;
  google_last_sync: number | null;
  google_annotated_user: string | null;
  google_recent_user: string | null;
  os_updates_end: number | null;
  google_synced_at: number;
}

/** Writes Google's fields; true when any of them changed (so a re-sync with nothing new changes nothing). */
export async function setGoogleFields(db: Executor, deviceId: string, fields: GoogleDeviceFields): Promise<boolean> {
  const { google_synced_at, ...compared } = fields;
  const r = await db
    .updateTable('devices')
    .set({ ...fields, updated_at: google_synced_at })
    .where('id', '=', deviceId)
    .where((eb) =>
      eb.or(
        Object.entries(compared).map(([column, value]) =>
          value === null
            ? eb(column as keyof GoogleDeviceFields, 'is not', null)
            : eb.or([
                eb(column as keyof GoogleDeviceFields, 'is', null),
                eb(column as keyof GoogleDeviceFields, '!=', value as never),
              ]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A telemetry battery reading, written only when it is newer than what
 * Cubby knows (a station's reading or an earlier sync): `at` is when the
 * device took the sample, so core's estimate ages it from then.
 */
export function setBatteryIfNewerQuery(db: Executor, deviceId: string, percent: number, at: number, now: number) {
  return db
    .updateTable('devices')
    .set({ battery_percent: percent, battery_measured_at: at, updated_at: now })
    .where('id', '=', deviceId)
    .where((eb) => eb.or([eb('battery_measured_at', 'is', null), eb('battery_measured_at', '<', at)]));
}

export async function setBatteryIfNewer(db: Executor, deviceId: string, percent: number, at: number, now: number) {
  const r = await setBatteryIfNewerQuery(db, deviceId, percent, at, now).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface BatteryHealthFields {
  battery_health: string | null;
  battery_cycle_count: number | null;
  battery_full_capacity: number | null;
  battery_design_capacity: number | null;
  battery_worn: 0 | 1 | null;
}

export async function setBatteryHealth(db: Executor, deviceId: string, fields: BatteryHealthFields) {
  await db.updateTable('devices').set(fields).where('id', '=', deviceId).execute();
}
