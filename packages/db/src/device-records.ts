import type { DevicePool } from '@cubby/core';
import { toChargeFacts } from './charge-readings.js';
import { deviceAtSites, listedDevices } from './devices.js';
import { isOpenLoan } from './loans.js';
import type { DeviceTable } from './schema.js';
import type { Executor } from './transaction.js';

/**
 * One device as the dashboard's device page reads it, and as staff add and
 * edit it by hand or make it a student's own (assignment). Its status only
 * ever changes through core's machine (moveDevice); these write other fields.
 */
export async function findDeviceProfile(db: Executor, id: string) {
  const row = await listedDevices(db)
    .leftJoin('stations', 'stations.id', 'compartments.station_id')
    .leftJoin('people as owner', 'owner.id', 'devices.owner_id')
    .select([
      'devices.district_id as districtId',
      'devices.battery_measured_at',
      'compartments.has_charger',
      'compartments.charging_since',
      'compartments.charge_sensed',
      'compartments.charge_sensed_at',
      'stations.name as stationName',
      'stations.site_id as stationSiteId',
      'owner.given_name as ownerGivenName',
      'owner.family_name as ownerFamilyName',
      'owner.site_id as ownerSiteId',
    ])
    .where('devices.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { battery_measured_at, has_charger, charging_since, charge_sensed, charge_sensed_at, ...device } = row;
  const charge = toChargeFacts({
    model: device.model,
    battery_percent: device.batteryPercent,
    battery_measured_at,
    has_charger: has_charger ?? 0,
    charging_since,
    charge_sensed,
    charge_sensed_at,
  });
  return { ...device, measuredAt: battery_measured_at == null ? null : Number(battery_measured_at), charge };
}

export type DeviceProfileRow = NonNullable<Awaited<ReturnType<typeof findDeviceProfile>>>;

export type DeviceFields = Partial<
  Pick<DeviceTable, 'asset_tag' | 'serial' | 'model' | 'pool' | 'site_id' | 'condition' | 'warranty_end'>
>;

export async function updateDeviceFields(db: Executor, id: string, fields: DeviceFields, now: number): Promise<void> {
  await db
    .updateTable('devices')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Makes the device a student's own (pool `assigned`, their `owner_id`) or
 * nobody's, from exactly the owner the caller read: the kiosk's swap and
 * drop-off find a student's device by its owner (ownDeviceQuery).
 */
export interface OwnerChange {
  id: string;
  from: string | null;
  to: string | null;
  pool: DevicePool;
  now: number;
}

export function setDeviceOwnerQuery(db: Executor, change: OwnerChange) {
  const q = db
    .updateTable('devices')
    // An owner giving the device up is its last holder: the next one waits for a wipe (wipeRequired).
    .set({
      owner_id: change.to,
      pool: change.pool,
      updated_at: change.now,
      ...(change.to === null ? { released_at: change.now } : {}),
    })
    .where('id', '=', change.id);
  return change.from === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', change.from);
}

/** False when the owner was no longer `from` (another assignment came first): nothing changed. */
export async function setDeviceOwner(db: Executor, change: OwnerChange): Promise<boolean> {
  const r = await setDeviceOwnerQuery(db, change).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A wipe done in the IT office: the device's status stays (core's `wipe`), its time is kept. */
export async function recordWipe(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('devices').set({ wiped_at: now, updated_at: now }).where('id', '=', id).execute();
}

/**
 * When the device was last wiped, and when its last holder let it go: its
 * owner's unassignment or the end of its last loan (null: nobody has held it).
 */
export async function wipeAndLastHolder(
  db: Executor,
  id: string,
): Promise<{ wipedAt: number | null; lastHeldAt: number | null }> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => [
      'devices.wiped_at',
      'devices.released_at',
      eb
        .selectFrom('loans')
        .select((l) => l.fn.max('loans.ended_at').as('e'))
        .whereRef('loans.device_id', '=', 'devices.id')
        .as('loan_ended_at'),
    ])
    .where('devices.id', '=', id)
    .executeTakeFirstOrThrow();
  const times = [row.released_at, row.loan_ended_at].filter((t) => t != null).map(Number);
  return { wipedAt: row.wiped_at == null ? null : Number(row.wiped_at), lastHeldAt: times.length ? Math.max(...times) : null };
}

export async function findDeviceIdByAssetTag(db: Executor, assetTag: string) {
  const row = await db.selectFrom('devices').select('id').where('asset_tag', '=', assetTag).executeTakeFirst();
  return row?.id ?? null;
}

/** Whether the device has a loan still out (pending, active or overdue). */
export async function hasOpenLoan(db: Executor, deviceId: string): Promise<boolean> {
  const row = await db.selectFrom('loans').select('id').where('device_id', '=', deviceId).where(isOpenLoan()).executeTakeFirst();
  return row !== undefined;
}

/** Whether a campus-limited reader may see the device: where it is, where its loan was taken, or its home campus. */
export async function isDeviceVisible(db: Executor, id: string, scope: readonly string[] | null): Promise<boolean> {
  let q = db.selectFrom('devices').select('devices.id').where('devices.id', '=', id);
  if (scope) q = q.where((eb) => deviceAtSites(eb, scope));
  return (await q.executeTakeFirst()) !== undefined;
}
