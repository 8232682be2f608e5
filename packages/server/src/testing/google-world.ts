import { findFirstDistrict, insertDevices, newId, type CubbyDb } from '@cubby/db';
import type { DeviceTable } from '@cubby/db';

let counter = 0;

/** A device Cubby knows, with the serial and asset tag a Google sync matches on. */
export async function aDeviceOnRecord(
  cubby: CubbyDb,
  options: Partial<Pick<DeviceTable, 'serial' | 'asset_tag' | 'pool' | 'battery_percent' | 'battery_measured_at'>> = {},
) {
  const district = await findFirstDistrict(cubby.db);
  if (!district) throw new Error('aDeviceOnRecord needs a district first');
  counter += 1;
  const now = Date.now();
  const row: DeviceTable = {
    id: newId(),
    district_id: district.id,
    site_id: null,
    asset_tag: options.asset_tag ?? `GA-${String(counter).padStart(5, '0')}`,
    serial: options.serial === undefined ? null : options.serial,
    model: 'HP Chromebook 11 G9 EE',
    pool: options.pool ?? 'loaner',
    owner_id: null,
    status: 'in_repair',
    condition: 'good',
    battery_percent: options.battery_percent ?? 50,
    battery_measured_at: options.battery_measured_at === undefined ? null : options.battery_measured_at,
    loan_count: 0,
    last_loaned_at: null,
    warranty_end: null,
    created_at: now,
    updated_at: now,
  };
  await insertDevices(cubby.db, [row]);
  return row;
}
