import { DomainError, wipeRequired, type Principal } from '@cubby/core';
import {
  findDeviceIdByAssetTag,
  insertDevices,
  newId,
  updateDeviceFields,
  wipeAndLastHolder,
  type DeviceFields,
  type Tx,
} from '@cubby/db';
import type { Device, DeviceChange, DeviceInput } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { byWhom, campusFor, deviceFor, theDistrictId } from '../district-records.js';
import { rereadDevice } from './device-profile.js';

/**
 * Adding and editing one device by hand (a Chromebook bought mid-year, a
 * serial typed wrong). A new device is in service, in no locker, until a
 * technician stocks it (a loaner) or assigns it to a student. Its status
 * changes only at the locker or through a repair, never from this form.
 */
export async function addDevice(services: Services, principal: Principal, given: DeviceInput): Promise<Device> {
  // A JSON null may reach here as '' (the schema's coercion tries the string first).
  const input = { ...given, siteId: given.siteId || null, serial: given.serial?.trim() || null };
  return transact(services, async (tx) => {
    const districtId = await theDistrictId(tx);
    // Campus staff add devices to their campuses; a district-wide device (no campus) is the district's to add.
    if (input.siteId !== null) await campusFor(tx, principal, input.siteId);
    else if (principal.siteIds !== null)
      throw new DomainError('bad_request', 'Choose one of your campuses', { reason: 'campus_required' });
    await refuseTakenTag(tx, input.assetTag, null);
    const id = newId();
    await insertDevices(tx.db, [
      {
        id,
        district_id: districtId,
        site_id: input.siteId,
        asset_tag: input.assetTag.trim(),
        serial: input.serial,
        model: input.model.trim(),
        pool: input.pool,
        owner_id: null,
        status: 'in_service',
        condition: input.condition.trim(),
        // Not a reading (battery_measured_at stays null): the page says it has none yet.
        battery_percent: 0,
        loan_count: 0,
        last_loaned_at: null,
        warranty_end: input.warrantyEnd,
        created_at: tx.now,
        updated_at: tx.now,
      },
    ]);
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'device.created',
      entityType: 'device',
      entityId: id,
      data: { deviceId: id, pool: input.pool, siteId: input.siteId, by: byWhom(principal) },
    });
    return rereadDevice(tx.db, principal, id);
  });
}

export async function changeDevice(services: Services, principal: Principal, deviceId: string, given: DeviceChange) {
  const change = {
    ...given,
    ...(given.siteId !== undefined ? { siteId: given.siteId || null } : {}),
    ...(given.serial !== undefined ? { serial: given.serial?.trim() || null } : {}),
  };
  return transact(services, async (tx) => {
    const before = await deviceFor(tx, principal, deviceId);
    if (change.siteId !== undefined && change.siteId !== null) await campusFor(tx, principal, change.siteId);
    if (change.siteId === null && principal.siteIds !== null)
      throw new DomainError('bad_request', 'Choose one of your campuses', { reason: 'campus_required' });
    if (change.assetTag !== undefined) await refuseTakenTag(tx, change.assetTag, deviceId);
    if (change.pool !== undefined && change.pool !== before.pool) {
      refusePoolChange(before);
      // Into the loaner pool it goes to a stranger next: wiped first.
      const unwiped = change.pool === 'loaner' ? wipeRequired(await wipeAndLastHolder(tx.db, deviceId)) : null;
      if (unwiped) throw unwiped;
    }
    const fields: DeviceFields = {
      ...(change.assetTag !== undefined ? { asset_tag: change.assetTag.trim() } : {}),
      ...(change.serial !== undefined ? { serial: change.serial } : {}),
      ...(change.model !== undefined ? { model: change.model.trim() } : {}),
      ...(change.pool !== undefined ? { pool: change.pool } : {}),
      ...(change.siteId !== undefined ? { site_id: change.siteId } : {}),
      ...(change.condition !== undefined ? { condition: change.condition.trim() } : {}),
      ...(change.warrantyEnd !== undefined ? { warranty_end: change.warrantyEnd } : {}),
    };
    await updateDeviceFields(tx.db, deviceId, fields, tx.now);
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'device.updated',
      entityType: 'device',
      entityId: deviceId,
      data: { deviceId, fields: Object.keys(change).sort(), changes: change, by: byWhom(principal) },
    });
    return rereadDevice(tx.db, principal, deviceId);
  });
}

/**
 * A loaner becomes a spare and back only while nobody has it and it sits in
 * no locker: the kiosk lends loaners from their doors and keeps a student's
 * device for them, and either would be wrong mid-way.
 */
function refusePoolChange(device: { ownerId: string | null; status: Device['status'] }): void {
  if (device.ownerId) throw new DomainError('conflict', "This is a student's own device: unassign it first", { reason: 'owned' });
  if (device.status !== 'in_service' && device.status !== 'in_repair')
    throw new DomainError('conflict', 'Change the pool while the device is out of the lockers and not on loan', {
      reason: 'in_use',
    });
}

async function refuseTakenTag(tx: Tx, assetTag: string, self: string | null) {
  const holder = await findDeviceIdByAssetTag(tx.db, assetTag.trim());
  if (holder && holder !== self)
    throw new DomainError('conflict', 'Another device has this asset tag', { reason: 'asset_tag_taken' });
}
