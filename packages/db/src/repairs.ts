import { nextRepair, orThrow, repairTimestampColumn, type RepairEvent, type RepairStatus } from '@cubby/core';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { RepairTicketTable } from './schema.js';

export async function insertRepairTicket(db: Executor, ticket: RepairTicketTable) {
  await db.insertInto('repair_tickets').values(ticket).execute();
}

/** A repaired device waiting for its owner in a compartment of this station. */
export function pickupWaiting(db: Executor, personId: string, stationId: string) {
  return db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .innerJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
    .select([
      'repair_tickets.id as ticketId',
      'devices.id as deviceId',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'compartments.status as compartmentStatus',
    ])
    .where('devices.owner_id', '=', personId)
    .where('repair_tickets.status', '=', 'ready_for_pickup')
    .where('compartments.station_id', '=', stationId)
    .executeTakeFirst();
}

export interface RepairMove {
  id: string;
  from: RepairStatus;
  event: RepairEvent;
  now: number;
  set?: Partial<Pick<RepairTicketTable, 'compartment_id'>>;
}

/** The UPDATE of a ticket move: the new status and the time the ticket entered it (turnaround analytics). */
export function moveRepairTicketQuery(db: Executor, move: RepairMove) {
  const to = orThrow(nextRepair(move.from, move.event));
  return db
    .updateTable('repair_tickets')
    .set({ status: to, [repairTimestampColumn(to)]: move.now, ...move.set })
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a repair ticket by a core event; `conflict` when it was no longer in `from`. */
export async function moveRepairTicket(db: Executor, move: RepairMove): Promise<RepairStatus> {
  const r = await moveRepairTicketQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'repair ticket', move.id, move.from);
  return orThrow(nextRepair(move.from, move.event));
}
