import type { TransactionStatus } from '@cubby/core';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { Dialect } from './schema.js';
import type { KioskTransactionTable } from './schema.js';

export async function insertKioskTransaction(db: Executor, row: KioskTransactionTable) {
  await db.insertInto('kiosk_transactions').values(row).execute();
}

/**
 * Everything a kiosk request starts from, in one statement: where it happens
 * (station, site, district settings), who asks, and whether this station sent
 * this request id before. On PostgreSQL the person's row is locked for the
 * rest of the transaction, so two stations cannot both pass the loan-limit
 * check for one student; SQLite serialises writers with BEGIN IMMEDIATE.
 * Undefined when the station or the person is unknown.
 */
export function findKioskRequest(
  db: Executor,
  dialect: Dialect,
  request: { stationId: string; personId: string; requestId: string },
) {
  const q = db
    .selectFrom('stations')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .innerJoin('districts', 'districts.id', 'sites.district_id')
    .innerJoin('people', (join) => join.on('people.id', '=', request.personId))
    .select([
      'stations.id as stationId',
      'stations.name as stationName',
      'sites.id as siteId',
      'sites.name as siteName',
      'sites.time_zone as timeZone',
      'sites.school_day_end as schoolDayEnd',
      'districts.id as districtId',
      'districts.settings as districtSettings',
      'people.active as personActive',
      'people.agreement_accepted_at as agreementAcceptedAt',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('kiosk_transactions')
            .select('kiosk_transactions.id')
            .where('kiosk_transactions.station_id', '=', request.stationId)
            .where('kiosk_transactions.request_id', '=', request.requestId),
        )
        .as('seen'),
    )
    .where('stations.id', '=', request.stationId);
  return (dialect === 'postgres' ? q.forUpdate('people') : q).executeTakeFirst();
}

export function findKioskTransaction(db: Executor, id: string) {
  return db.selectFrom('kiosk_transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A transaction whose door closed, with its loan and the loan's loaner as
 * they stand now (one read: the door handlers decide from these).
 */
export async function findKioskStep(db: Executor, id: string) {
  const row = await db
    .selectFrom('kiosk_transactions')
    .leftJoin('loans', 'loans.id', 'kiosk_transactions.loan_id')
    .leftJoin('devices', 'devices.id', 'loans.device_id')
    .selectAll('kiosk_transactions')
    .select([
      'loans.status as loan_status',
      'loans.device_id as loan_device_id',
      'loans.due_at as loan_due_at',
      'devices.status as loan_device_status',
    ])
    .where('kiosk_transactions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { loan_status, loan_device_id, loan_due_at, loan_device_status, ...txn } = row;
  const loan =
    txn.loan_id && loan_status && loan_device_id && loan_device_status
      ? {
          id: txn.loan_id,
          status: loan_status,
          deviceId: loan_device_id,
          dueAt: Number(loan_due_at),
          deviceStatus: loan_device_status,
        }
      : null;
  return { ...txn, loan };
}

export type KioskTransactionRow = NonNullable<Awaited<ReturnType<typeof findKioskTransaction>>>;

export type KioskStep = NonNullable<Awaited<ReturnType<typeof findKioskStep>>>;

export function finishKioskTransactionQuery(
  db: Executor,
  id: string,
  status: Exclude<TransactionStatus, 'in_progress'>,
  errorCode: string | null,
  now: number,
) {
  return db
    .updateTable('kiosk_transactions')
    .set({ status, error_code: errorCode, completed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'in_progress');
}

/** A transaction ends once: `conflict` if it had already ended. */
export async function finishKioskTransaction(
  db: Executor,
  id: string,
  status: Exclude<TransactionStatus, 'in_progress'>,
  errorCode: string | null,
  now: number,
) {
  const r = await finishKioskTransactionQuery(db, id, status, errorCode, now).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'kiosk transaction', id, 'in_progress');
}

export async function linkKioskTransaction(
  db: Executor,
  id: string,
  set: Partial<Pick<KioskTransactionTable, 'repair_ticket_id' | 'loan_id' | 'charge_session_id'>>,
) {
  await db.updateTable('kiosk_transactions').set(set).where('id', '=', id).execute();
}
