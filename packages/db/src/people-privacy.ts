import { sql } from 'kysely';
import { auditEventColumns } from './audit.js';
import { parseJson } from './json.js';
import { personRecordColumns } from './people.js';
import type { Dialect } from './schema.js';
import type { Executor } from './transaction.js';

/**
 * What Cubby holds about one person, for a privacy export, and the erasure
 * of their identity (docs/privacy.md). Credential hashes never leave: only
 * whether a badge or PIN is enrolled.
 */

export function findPersonRecord(db: Executor, id: string) {
  return db
    .selectFrom('people')
    .select([
      'id',
      'district_id as districtId',
      ...personRecordColumns,
      (eb) => eb('badge_hash', 'is not', null).as('badgeEnrolled'),
      (eb) => eb('offline_badge_hash', 'is not', null).as('offlineBadgeEnrolled'),
      (eb) => eb('pin_hash', 'is not', null).as('pinSet'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export type PersonRecord = NonNullable<Awaited<ReturnType<typeof findPersonRecord>>>;

/** A person named by their id or by their student number in the district. */
export async function findPersonIdByIdOrStudentNumber(db: Executor, districtId: string, idOrNumber: string) {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('district_id', '=', districtId)
    .where((eb) => eb.or([eb('id', '=', idOrNumber), eb('student_number', '=', idOrNumber)]))
    .executeTakeFirst();
  return row?.id;
}

export function personLoans(db: Executor, personId: string) {
  return db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select([
      'loans.id',
      'loans.device_id as deviceId',
      'devices.asset_tag as assetTag',
      'loans.station_id as stationId',
      'loans.return_station_id as returnStationId',
      'loans.transaction_id as transactionId',
      'loans.reason',
      'loans.status',
      'loans.created_at as createdAt',
      'loans.started_at as startedAt',
      'loans.due_at as dueAt',
      'loans.ended_at as endedAt',
    ])
    .where('loans.person_id', '=', personId)
    .orderBy('loans.created_at')
    .orderBy('loans.id')
    .execute();
}

export async function personKioskTransactions(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('kiosk_transactions')
    .select([
      'id',
      'station_id as stationId',
      'kind',
      'status',
      'error_code as errorCode',
      'loan_id as loanId',
      'repair_ticket_id as repairTicketId',
      'charge_session_id as chargeSessionId',
      'detail',
      'created_at as createdAt',
      'completed_at as completedAt',
    ])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, detail: parseJson<Record<string, unknown>>(r.detail) }));
}

export function personChargeSessions(db: Executor, personId: string) {
  return db
    .selectFrom('charge_sessions')
    .select([
      'id',
      'device_id as deviceId',
      'station_id as stationId',
      'transaction_id as transactionId',
      'status',
      'created_at as createdAt',
      'deposited_at as depositedAt',
      'collected_at as collectedAt',
    ])
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function personRepairTickets(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .select([
      'repair_tickets.id',
      'repair_tickets.device_id as deviceId',
      'devices.asset_tag as assetTag',
      'repair_tickets.loan_id as loanId',
      'repair_tickets.transaction_id as transactionId',
      'repair_tickets.status',
      'repair_tickets.symptom',
      'repair_tickets.notes',
      'repair_tickets.parts',
      'repair_tickets.fee_cents as feeCents',
      'repair_tickets.reported_at as reportedAt',
      'repair_tickets.closed_at as closedAt',
      'repair_tickets.retired_at as retiredAt',
    ])
    .where('repair_tickets.person_id', '=', personId)
    .orderBy('repair_tickets.reported_at')
    .orderBy('repair_tickets.id')
    .execute();
  return rows.map((r) => ({ ...r, parts: r.parts ?? '' }));
}

/**
 * Photos technicians attached to the person's repair tickets, without their
 * bytes (an export names each one and where to fetch it: docs/privacy.md).
 */
export async function personRepairPhotos(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('repair_photos')
    .innerJoin('repair_tickets', 'repair_tickets.id', 'repair_photos.ticket_id')
    .select([
      'repair_photos.id',
      'repair_photos.ticket_id as ticketId',
      'repair_photos.content_type as contentType',
      'repair_photos.size',
      'repair_photos.uploaded_by as uploadedBy',
      'repair_photos.uploaded_at as uploadedAt',
    ])
    .where('repair_tickets.person_id', '=', personId)
    .orderBy('repair_photos.uploaded_at')
    .orderBy('repair_photos.id')
    .execute();
  return rows.map((r) => ({ ...r, size: Number(r.size), uploadedAt: Number(r.uploadedAt) }));
}

/** Alerts raised during one of the person's kiosk transactions (their detail names the transaction). */
export async function personAlerts(db: Executor, dialect: Dialect, personId: string) {
  const transactionOf =
    dialect === 'postgres' ? sql<string>`detail->>'transactionId'` : sql<string>`json_extract(detail, '$.transactionId')`;
  const rows = await db
    .selectFrom('alerts')
    .select(['id', 'kind', 'station_id as stationId', 'detail', 'raised_at as raisedAt', 'cleared_at as clearedAt'])
    .where(transactionOf, 'in', db.selectFrom('kiosk_transactions').select('id').where('person_id', '=', personId))
    .orderBy('raised_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, detail: parseJson<Record<string, unknown>>(r.detail) }));
}

/**
 * Audit events about the person: they acted, or the event is about them, one
 * of their loans, repair tickets or charge sessions, or one of their kiosk transactions.
 */
export async function personAuditEvents(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('audit_events')
    .select(auditEventColumns)
    .where((eb) =>
      eb.or([
        eb('actor_id', '=', personId),
        eb('entity_id', '=', personId),
        eb('entity_id', 'in', eb.selectFrom('loans').select('id').where('person_id', '=', personId)),
        eb('entity_id', 'in', eb.selectFrom('repair_tickets').select('id').where('person_id', '=', personId)),
        eb('entity_id', 'in', eb.selectFrom('charge_sessions').select('id').where('person_id', '=', personId)),
        eb('transaction_id', 'in', eb.selectFrom('kiosk_transactions').select('id').where('person_id', '=', personId)),
      ]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    seq: r.seq === null ? null : Number(r.seq),
    data: parseJson<Record<string, unknown>>(r.data),
  }));
}
