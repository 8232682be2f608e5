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

export async function closeRepairTicket(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('repair_tickets')
    .set({ status: 'closed', closed_at: now, compartment_id: null })
    .where('id', '=', id)
    .where('status', '=', 'ready_for_pickup')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Many past repair tickets in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertRepairTickets(db: Executor, tickets: RepairTicketTable[]): Promise<void> {
  if (tickets.length) await db.insertInto('repair_tickets').values(tickets).execute();
}
