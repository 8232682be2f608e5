import { canSeeSite, estimateCharge, type Principal } from '@cubby/core';
import { findDeviceProfile, findSite, listDeviceHistory, toListedDevice, type DeviceProfileRow, type Executor } from '@cubby/db';
import type { Device, DeviceProfile, DeviceTimeline } from '@cubby/protocol/api';
import { districtTimeZone, nameAuditEvents } from '../audit/audit-log.js';
import { deviceFor } from '../district-records.js';
import { chargeRules } from '../fleet-settings.js';
import type { Services } from '../deps.js';

/**
 * One device as the dashboard's device page shows it: where it is, its
 * owner (a name only for people:read within their campuses), and its battery
 * as the kiosk judges it (core's best reading: measured, or estimated on
 * its charger), saying which.
 */
export async function deviceProfile(services: Services, principal: Principal, deviceId: string, now = Date.now()) {
  const db = services.cubby.db;
  const row = await deviceFor({ db }, principal, deviceId);
  const [{ charge }, site] = await Promise.all([chargeRules(services), row.siteId ? findSite(db, row.siteId) : undefined]);
  const reading = estimateCharge(row.charge, now, charge);
  const profile: DeviceProfile = {
    device: toDevice(row, principal),
    ownerName: ownerName(principal, row),
    stationName: row.stationName,
    timeZone: site?.time_zone ?? (await districtTimeZone(db, principal.siteIds)),
    battery: {
      percent: reading.percent,
      source: reading.source,
      measuredAt: reading.source === 'reported' ? now - reading.ageMs : null,
      charging: row.charge.poweredSince !== null,
    },
  };
  return profile;
}

/** Every event of the device, newest first, paged by sequence number (the audit log's sentences). */
export async function deviceTimeline(
  db: Executor,
  principal: Principal,
  deviceId: string,
  page: { cursor?: number | undefined; limit: number },
): Promise<DeviceTimeline> {
  await deviceFor({ db }, principal, deviceId);
  const history = await listDeviceHistory(db, { deviceId, scope: principal.siteIds, ...page });
  return { items: await nameAuditEvents(db, principal, history.items), nextCursor: history.nextCursor };
}

function ownerName(principal: Principal, row: DeviceProfileRow): string | null {
  if (!row.ownerId || row.ownerGivenName == null || !principal.permissions.has('people:read')) return null;
  if (!canSeeSite(principal, row.ownerSiteId)) return null;
  return `${row.ownerGivenName} ${row.ownerFamilyName}`;
}

export function toDevice(r: DeviceProfileRow, principal: Principal): Device {
  return toListedDevice(r, principal.permissions.has('people:read'));
}

/** The device as it is now, inside the transaction that just changed it. */
export async function rereadDevice(db: Executor, principal: Principal, id: string): Promise<Device> {
  return toDevice((await findDeviceProfile(db, id))!, principal);
}
