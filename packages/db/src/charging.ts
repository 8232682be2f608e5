import type { ChargeStatus } from '@cubby/core';
import type { Executor } from './transaction.js';
import type { ChargeSessionTable } from './schema.js';

export async function insertChargeSession(db: Executor, session: ChargeSessionTable) {
  await db.insertInto('charge_sessions').values(session).execute();
}

/** The person's device currently in (or going into) a charging compartment. */
export function openChargeSession(db: Executor, personId: string) {
  return db
    .selectFrom('charge_sessions')
    .innerJoin('compartments', 'compartments.id', 'charge_sessions.compartment_id')
    .select([
      'charge_sessions.id',
      'charge_sessions.status',
      'charge_sessions.device_id',
      'charge_sessions.station_id',
      'charge_sessions.deposited_at',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'compartments.status as compartmentStatus',
    ])
    .where('charge_sessions.person_id', '=', personId)
    .where('charge_sessions.status', 'in', ['depositing', 'charging', 'collecting'])
    .executeTakeFirst();
}

export function findChargeSession(db: Executor, id: string) {
  return db.selectFrom('charge_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function moveChargeSession(
  db: Executor,
  id: string,
  from: ChargeStatus,
  to: ChargeStatus,
  set: Partial<Pick<ChargeSessionTable, 'deposited_at' | 'collected_at'>> = {},
): Promise<boolean> {
  const r = await db
    .updateTable('charge_sessions')
    .set({ status: to, ...set })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
