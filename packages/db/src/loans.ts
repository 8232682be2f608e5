import type { LoanStatus } from '@cubby/core';
import type { Executor } from './transaction.js';
import type { LoanTable } from './schema.js';

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
