import { nextCharge, orThrow, type ChargeEvent, type ChargeStatus } from '@cubby/core';
import type { Expression } from 'kysely';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { ChargeSessionTable } from './schema.js';

export async function insertChargeSession(db: Executor, session: ChargeSessionTable) {
  await db.insertInto('charge_sessions').values(session).execute();
}

/** The person's device currently in (or going into) a charging compartment. */
export function openChargeSession(db: Executor, personId: string) {
  return openChargeSessionQuery(db, personId).executeTakeFirst();
}

/** A person's charge session not yet collected (at most one is open: the kiosk refuses a second). */
export function openChargeSessionQuery(db: Executor, personId: string | Expression<string>) {
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
    .limit(1);
}

export function findChargeSession(db: Executor, id: string) {
  return db.selectFrom('charge_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ChargeMove {
  id: string;
  from: ChargeStatus;
  event: ChargeEvent;
  set?: Partial<Pick<ChargeSessionTable, 'deposited_at' | 'collected_at'>>;
}

/** The UPDATE of a charge session move, from exactly `from` to what core's machine says. */
export function moveChargeSessionQuery(db: Executor, move: ChargeMove) {
  const to = orThrow(nextCharge(move.from, move.event));
  return db
    .updateTable('charge_sessions')
    .set({ status: to, ...move.set })
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a charge session by a core event; `conflict` when it was no longer in `from`. */
export async function moveChargeSession(db: Executor, move: ChargeMove): Promise<ChargeStatus> {
  const r = await moveChargeSessionQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'charge session', move.id, move.from);
  return orThrow(nextCharge(move.from, move.event));
}

/** A deposit's door jammed and another serves: the session follows the device to it. */
export async function setChargeCompartment(db: Executor, id: string, compartmentId: string) {
  await db.updateTable('charge_sessions').set({ compartment_id: compartmentId }).where('id', '=', id).execute();
}
