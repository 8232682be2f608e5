import { openLoanStatuses, type LoanStatus } from '@cubby/core';
import { sql, type Expression, type SqlBool } from 'kysely';
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

/** Loans a person could return now, oldest first, with their loaner's asset tag. */
export function returnableLoans(db: Executor, personId: string) {
  return db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select(['loans.id', 'loans.device_id', 'loans.status', 'loans.due_at', 'devices.asset_tag'])
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

export async function moveLoan(
  db: Executor,
  id: string,
  from: LoanStatus[],
  to: LoanStatus,
  set: Partial<Pick<LoanTable, 'started_at' | 'ended_at' | 'return_station_id' | 'device_id' | 'compartment_id'>> = {},
): Promise<boolean> {
  const r = await db
    .updateTable('loans')
    .set({ status: to, ...set })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Many past loans in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertLoans(db: Executor, loans: LoanTable[]): Promise<void> {
  if (loans.length) await db.insertInto('loans').values(loans).execute();
}
