import type { TransactionStatus } from '@cubby/core';
import type { Executor } from './transaction.js';
import type { KioskTransactionTable } from './schema.js';

export async function insertKioskTransaction(db: Executor, row: KioskTransactionTable) {
  await db.insertInto('kiosk_transactions').values(row).execute();
}

/** True when this station already sent a request with this message id. */
export async function isRequestSeen(db: Executor, stationId: string, requestId: string): Promise<boolean> {
  const row = await db
    .selectFrom('kiosk_transactions')
    .select('id')
    .where('station_id', '=', stationId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row !== undefined;
}

export function findKioskTransaction(db: Executor, id: string) {
  return db.selectFrom('kiosk_transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export type KioskTransactionRow = NonNullable<Awaited<ReturnType<typeof findKioskTransaction>>>;

export async function finishKioskTransaction(
  db: Executor,
  id: string,
  status: Exclude<TransactionStatus, 'in_progress'>,
  errorCode: string | null,
  now: number,
  set: Partial<Pick<KioskTransactionTable, 'repair_ticket_id' | 'loan_id'>> = {},
) {
  await db
    .updateTable('kiosk_transactions')
    .set({ status, error_code: errorCode, completed_at: now, ...set })
    .where('id', '=', id)
    .execute();
}

export async function linkKioskTransaction(
  db: Executor,
  id: string,
  set: Partial<Pick<KioskTransactionTable, 'repair_ticket_id' | 'loan_id' | 'charge_session_id'>>,
) {
  await db.updateTable('kiosk_transactions').set(set).where('id', '=', id).execute();
}

/** The person's loans whose return is under way at some door: a second return of one must wait. */
export async function loansBeingReturned(db: Executor, personId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('kiosk_transactions')
    .select('loan_id')
    .where('person_id', '=', personId)
    .where('kind', '=', 'return')
    .where('status', '=', 'in_progress')
    .execute();
  return new Set(rows.flatMap((r) => (r.loan_id ? [r.loan_id] : [])));
}

/** Many past kiosk transactions in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertKioskTransactions(db: Executor, rows: KioskTransactionTable[]): Promise<void> {
  if (rows.length) await db.insertInto('kiosk_transactions').values(rows).execute();
}
