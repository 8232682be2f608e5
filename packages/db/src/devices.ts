import type { DeviceStatus } from '@cubby/core';
import type { Executor } from './transaction.js';

export function findDevice(db: Executor, id: string) {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person's own (assigned) device that is with them. */
export function findOwnDevice(db: Executor, personId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'asset_tag', 'status'])
    .where('owner_id', '=', personId)
    .where('pool', '=', 'assigned')
    .where('status', '=', 'in_service')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** Conditional status change: false when someone else changed the device first. */
export async function moveDevice(
  db: Executor,
  id: string,
  from: DeviceStatus,
  to: DeviceStatus,
  now: number,
  extra: Partial<{ battery_percent: number; loan_count: number; last_loaned_at: number }> = {},
): Promise<boolean> {
  const r = await db
    .updateTable('devices')
    .set({ status: to, updated_at: now, ...extra })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recordLoanerTaken(db: Executor, id: string, now: number) {
  await db
    .updateTable('devices')
    .set((eb) => ({ loan_count: eb('loan_count', '+', 1), last_loaned_at: now, updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export async function setBattery(db: Executor, id: string, percent: number, now: number) {
  await db.updateTable('devices').set({ battery_percent: percent, updated_at: now }).where('id', '=', id).execute();
}

/** Many devices in one statement (imports and the demo; keep batches to a few hundred rows). */
export async function insertDevices(db: Executor, devices: import('./schema.js').DeviceTable[]): Promise<void> {
  if (devices.length) await db.insertInto('devices').values(devices).execute();
}

/** Sets how often a device has been lent (history written outside the kiosk flow, e.g. the demo's). */
export async function setDeviceLoanCount(db: Executor, deviceId: string, loanCount: number): Promise<void> {
  await db.updateTable('devices').set({ loan_count: loanCount }).where('id', '=', deviceId).execute();
}
