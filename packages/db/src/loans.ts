import { nextLoan, openLoanStatuses, orThrow, type LoanEvent, type LoanStatus } from '@cubby/core';
import { sql, type Expression, type SqlBool } from 'kysely';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { LoanTable } from './schema.js';

/**
 * `status in (…)` of the loans table (or its alias) with the statuses written
 * as SQL literals. SQLite uses a partial index only when the query spells out
 * the index's WHERE at prepare time, which bound parameters cannot: the open
 * loan indexes (`loans_one_open_per_device`, `loans_open_station`,
 * `loans_open_due`) need `loanStatusIn(openLoanStatuses)` word for word.
 */
export function loanStatusIn(statuses: readonly LoanStatus[], table = 'loans', negate = false): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${table}.status`)} ${sql.raw(negate ? 'not in' : 'in')} (${sql.join(statuses.map((s) => sql.lit(s)))})`;
}

/** The loan is pending, active or overdue, in the words of the open loan indexes. */
export const isOpenLoan = (table = 'loans') => loanStatusIn(openLoanStatuses, table);

export async function countOpenLoans(db: Executor, personId: string): Promise<number> {
  const row = await db
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('status', 'in', ['pending', 'active', 'overdue'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Loans a person could return now, oldest first, with their loaner's asset tag
 * and status, and whether a return of it is already under way at some door.
 */
export function returnableLoans(db: Executor, personId: string) {
  return db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select([
      'loans.id',
      'loans.device_id',
      'loans.status',
      'loans.due_at',
      'devices.asset_tag',
      'devices.status as device_status',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('kiosk_transactions')
            .select('kiosk_transactions.id')
            .whereRef('kiosk_transactions.loan_id', '=', 'loans.id')
            .where('kiosk_transactions.kind', '=', 'return')
            .where('kiosk_transactions.status', '=', 'in_progress'),
        )
        .as('being_returned'),
    )
    .where('loans.person_id', '=', personId)
    .where('loans.status', 'in', ['active', 'overdue'])
    .orderBy('loans.created_at')
    .execute();
}

export async function insertLoan(db: Executor, loan: LoanTable) {
  await db.insertInto('loans').values(loan).execute();
}

export function findLoan(db: Executor, id: string) {
  return db.selectFrom('loans').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface LoanMove {
  id: string;
  from: LoanStatus;
  event: LoanEvent;
  set?: Partial<Pick<LoanTable, 'started_at' | 'ended_at' | 'return_station_id'>>;
}

/** The UPDATE of a loan move, from exactly `from` to what core's machine says. */
export function moveLoanQuery(db: Executor, move: LoanMove) {
  const to = orThrow(nextLoan(move.from, move.event));
  return db
    .updateTable('loans')
    .set({ status: to, ...move.set })
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a loan by a core event; `conflict` when it was no longer in `from`. */
export async function moveLoan(db: Executor, move: LoanMove): Promise<LoanStatus> {
  const r = await moveLoanQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'loan', move.id, move.from);
  return orThrow(nextLoan(move.from, move.event));
}

/** A pending loan's door jammed: it now waits behind another loaner's door (no change of status). */
export async function repointPendingLoan(db: Executor, id: string, to: { deviceId: string; compartmentId: string }) {
  const r = await db
    .updateTable('loans')
    .set({ device_id: to.deviceId, compartment_id: to.compartmentId })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'loan', id, 'pending');
}
