import type { DeviceStatus, LoanStatus, TransactionStatus } from '@cubby/core';
import type { Selectable } from 'kysely';
import { openLoanCountQuery } from './loans.js';
import { expectChanged } from './state-change.js';
import { stationContextColumns } from './stations.js';
import type { Executor } from './transaction.js';
import type { Dialect } from './schema.js';
import type { KioskTransactionTable } from './schema.js';

export async function insertKioskTransaction(db: Executor, row: KioskTransactionTable) {
  await db.insertInto('kiosk_transactions').values(row).execute();
}

/**
 * insertKioskTransaction that also answers how many loans its person has open
 * (the loan limit's count) in the same statement. On PostgreSQL the insert
 * runs after findKioskRequest locked the person's row, and under READ
 * COMMITTED each statement sees what committed before it began: a loan
 * another kiosk made while holding that lock is counted.
 */
export async function insertKioskTransactionCountingLoans(db: Executor, row: KioskTransactionTable): Promise<number> {
  const r = await db
    .insertInto('kiosk_transactions')
    .values(row)
    .returning(() => openLoanCountQuery(db, row.person_id).as('open_loans'))
    .executeTakeFirstOrThrow();
  return Number(r.open_loans ?? 0);
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
    .select(stationContextColumns)
    .select(['people.active as personActive', 'people.agreement_accepted_at as agreementAcceptedAt'])
    .select('stations.kiosk_session_id as kioskSessionId')
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

/** A kiosk transaction with its loan and the loan's loaner as they stand now: what the door handlers decide from. */
export type KioskStep = Selectable<KioskTransactionTable> & {
  loan: {
    id: string;
    status: LoanStatus;
    deviceId: string;
    dueAt: number;
    deviceStatus: DeviceStatus;
    /** The loaner's asset tag, which the kiosk names when the student has it. */
    assetTag: string;
  } | null;
};

/**
 * The columns of a KioskStep, for a query joining `kiosk_transactions`,
 * `loans` (on its loan_id) and `devices` (on the loan's device_id), left
 * joins all: findKioskStep, and findCompartmentWithStep, which reads a door
 * and its step in one statement.
 */
export const kioskStepColumns = [
  'kiosk_transactions.id as step_id',
  'kiosk_transactions.station_id as step_station_id',
  'kiosk_transactions.person_id as step_person_id',
  'kiosk_transactions.request_id as step_request_id',
  'kiosk_transactions.kind as step_kind',
  'kiosk_transactions.status as step_status',
  'kiosk_transactions.error_code as step_error_code',
  'kiosk_transactions.loan_id as step_loan_id',
  'kiosk_transactions.repair_ticket_id as step_repair_ticket_id',
  'kiosk_transactions.charge_session_id as step_charge_session_id',
  'kiosk_transactions.detail as step_detail',
  'kiosk_transactions.created_at as step_created_at',
  'kiosk_transactions.completed_at as step_completed_at',
  'loans.status as loan_status',
  'loans.device_id as loan_device_id',
  'loans.due_at as loan_due_at',
  'devices.status as loan_device_status',
  'devices.asset_tag as loan_asset_tag',
] as const;

/** The names the step's columns go by in a joined row. */
export const kioskStepFields: ReadonlySet<string> = new Set(kioskStepColumns.map((c) => c.split(' as ')[1]!));

type Nullable<T> = { [K in keyof T]: T[K] | null };
type StepColumns = Nullable<{
  step_id: string;
  step_station_id: string;
  step_person_id: string;
  step_request_id: string;
  step_kind: KioskTransactionTable['kind'];
  step_status: KioskTransactionTable['status'];
  step_error_code: string | null;
  step_loan_id: string | null;
  step_repair_ticket_id: string | null;
  step_charge_session_id: string | null;
  step_detail: KioskTransactionTable['detail'];
  step_created_at: number;
  step_completed_at: number | null;
  loan_status: LoanStatus;
  loan_device_id: string;
  loan_due_at: number;
  loan_device_status: DeviceStatus;
  loan_asset_tag: string;
}>;

/** The KioskStep of a row selected with kioskStepColumns; undefined when the row has no transaction. */
export function toKioskStep(r: StepColumns): KioskStep | undefined {
  if (r.step_id === null) return undefined;
  const loan =
    r.step_loan_id && r.loan_status && r.loan_device_id && r.loan_device_status
      ? {
          id: r.step_loan_id,
          status: r.loan_status,
          deviceId: r.loan_device_id,
          dueAt: Number(r.loan_due_at),
          deviceStatus: r.loan_device_status,
          assetTag: r.loan_asset_tag ?? '',
        }
      : null;
  return {
    id: r.step_id,
    station_id: r.step_station_id!,
    person_id: r.step_person_id!,
    request_id: r.step_request_id!,
    kind: r.step_kind!,
    status: r.step_status!,
    error_code: r.step_error_code,
    loan_id: r.step_loan_id,
    repair_ticket_id: r.step_repair_ticket_id,
    charge_session_id: r.step_charge_session_id,
    detail: r.step_detail!,
    created_at: r.step_created_at!,
    completed_at: r.step_completed_at,
    loan,
  };
}

export async function findKioskStep(db: Executor, id: string): Promise<KioskStep | undefined> {
  const row = await db
    .selectFrom('kiosk_transactions')
    .leftJoin('loans', 'loans.id', 'kiosk_transactions.loan_id')
    .leftJoin('devices', 'devices.id', 'loans.device_id')
    .select(kioskStepColumns)
    .where('kiosk_transactions.id', '=', id)
    .executeTakeFirst();
  return row && toKioskStep(row);
}

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
/** Many past kiosk transactions in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertKioskTransactions(db: Executor, rows: KioskTransactionTable[]): Promise<void> {
  if (rows.length) await db.insertInto('kiosk_transactions').values(rows).execute();
}

/** A kiosk transaction's detail rewritten (a technician's collection keeps its tally there, door by door). */
export async function setKioskTransactionDetail(db: Executor, id: string, detail: Record<string, unknown>) {
  await db
    .updateTable('kiosk_transactions')
    .set({ detail: JSON.stringify(detail) })
    .where('id', '=', id)
    .execute();
}
