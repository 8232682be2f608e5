import { nextDevice, orThrow, type DeviceEvent, type DeviceStatus } from '@cubby/core';
import { expectChanged } from './state-change.js';
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

export interface DeviceMove {
  id: string;
  from: DeviceStatus;
  event: DeviceEvent;
  now: number;
  /** The move is also a loan leaving with it: count it for wear-spreading (see rankLoaners). */
  loanedAt?: number;
}

/** The UPDATE of a device move, from exactly `from` to what core's machine says. */
export function moveDeviceQuery(db: Executor, move: DeviceMove) {
  const to = orThrow(nextDevice(move.from, move.event));
  return db
    .updateTable('devices')
    .set((eb) => ({
      status: to,
      updated_at: move.now,
      ...(move.loanedAt === undefined ? {} : { loan_count: eb('loan_count', '+', 1), last_loaned_at: move.loanedAt }),
    }))
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a device by a core event; `conflict` when it was no longer in `from`. */
export async function moveDevice(db: Executor, move: DeviceMove): Promise<DeviceStatus> {
  const r = await moveDeviceQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'device', move.id, move.from);
  return orThrow(nextDevice(move.from, move.event));
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
