import { nextLoan, openLoanStatuses, orThrow, type LoanEvent, type LoanStatus } from '@cubby/core';
import { sql, type Expression, type SqlBool } from 'kysely';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { LoanTable } from './schema.js';
import { devicesMatching } from './devices.js';
import { keyset, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import { peopleMatching } from './people.js';

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
  const row = await openLoanCountQuery(db, personId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many loans a person has open (what the loan limit counts); a sign-in asks it as a subquery. */
export function openLoanCountQuery(db: Executor, personId: string | Expression<string>) {
  return db
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('loans.person_id', '=', personId)
    .where('loans.status', 'in', ['pending', 'active', 'overdue']);
}

/**
 * Loans a person could return now, oldest first, with their loaner's asset tag
 * and status, and whether a return of it is already under way at some door.
 */
export function returnableLoans(db: Executor, personId: string) {
  return returnableLoansQuery(db, personId).execute();
}

/** A person's loans still out, oldest first, and whether a return of each is under way. */
export function returnableLoansQuery(db: Executor, personId: string | Expression<string>) {
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
    .orderBy('loans.created_at');
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

/** The device's loan declared lost (the lifecycle's `found` ends it). */
export function lostLoanOfDevice(db: Executor, deviceId: string) {
  return db.selectFrom('loans').selectAll().where('device_id', '=', deviceId).where('status', '=', 'lost').executeTakeFirst();
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

// ---- Loans as the read API lists them (GET /api/v1/loans) ----

export const loanSorts = {
  id: sortOn('loans.id', 'id'),
  createdAt: sortOn('loans.created_at', 'createdAt', 'integer'),
  dueAt: sortOn('loans.due_at', 'dueAt', 'integer'),
  status: sortOn('loans.status', 'status'),
};

/** What the loans list filters by: a stored status, or a view (`active`: out now, `overdue`, `history`). */
export type LoanFilter = LoanStatus | 'active' | 'overdue' | 'history';

/** A loan as the list answers it (camelCase), with the names it may show. */
const loanListColumns = [
  'loans.id',
  'loans.device_id as deviceId',
  'loans.person_id as personId',
  'loans.station_id as stationId',
  'loans.compartment_id as compartmentId',
  'loans.transaction_id as transactionId',
  'loans.reason',
  'loans.status',
  'loans.created_at as createdAt',
  'loans.started_at as startedAt',
  'loans.due_at as dueAt',
  'loans.ended_at as endedAt',
  'loans.return_station_id as returnStationId',
  'devices.asset_tag as assetTag',
  'stations.site_id as siteId',
  'people.given_name',
  'people.family_name',
] as const;

/**
 * Names of people are joined only when the caller may read them
 * (`withNames`), and then searchable too; otherwise a name search would tell
 * who has a loan.
 */
export async function listLoans(
  db: Executor,
  args: ListArgs & {
    status?: LoanFilter | undefined;
    personId?: string | undefined;
    deviceId?: string | undefined;
    stationId?: string | undefined;
    siteId?: string | undefined;
    withNames?: boolean | undefined;
    now?: number | undefined;
  },
) {
  const k = sortKey(loanSorts, args.sort);
  const now = args.now ?? Date.now();
  let q = db
    .selectFrom('loans')
    .innerJoin('stations', 'stations.id', 'loans.station_id')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .innerJoin('people', 'people.id', 'loans.person_id')
    .select(loanListColumns);
  if (args.scope) q = args.scope.length ? q.where('stations.site_id', 'in', args.scope) : q.where(noRows);
  // Status sets as literals, the open ones with the open loan indexes' own WHERE (above).
  switch (args.status) {
    case undefined:
      break;
    case 'active': // out now, overdue or not
      q = q.where(isOpenLoan()).where(loanStatusIn(['active', 'overdue']));
      break;
    case 'overdue': // nothing marks a loan overdue in the background: it is overdue once its due time passed
      q = q
        .where(isOpenLoan())
        .where(loanStatusIn(['active', 'overdue']))
        .where('loans.due_at', '<', now);
      break;
    case 'history': // returned, lost or cancelled; "not open" is no index's term, so newest first walks loans_created_id
      q = q.where(loanStatusIn(openLoanStatuses, 'loans', true));
      break;
    default:
      q = q.where('loans.status', '=', args.status);
  }
  if (args.personId) q = q.where('loans.person_id', '=', args.personId);
  if (args.deviceId) q = q.where('loans.device_id', '=', args.deviceId);
  if (args.stationId) q = q.where('loans.station_id', '=', args.stationId);
  if (args.siteId) q = q.where('stations.site_id', '=', args.siteId);
  if (args.q) {
    // The few matching devices and people first, then their loans' ids (loans_device,
    // loans_person_status), rather than matching the text on every loan's join; a
    // union of ids, as an OR of the two makes both databases walk every loan instead.
    const text = args.q;
    q = q.where((eb) => {
      const ofDevices = eb
        .selectFrom('loans as ml')
        .select('ml.id')
        .where('ml.device_id', 'in', devicesMatching(eb, text, ['asset_tag']));
      const ofPeople = eb
        .selectFrom('loans as ml')
        .select('ml.id')
        .where('ml.person_id', 'in', peopleMatching(eb, text, ['student_number']));
      return eb('loans.id', 'in', args.withNames ? ofDevices.union(ofPeople) : ofDevices);
    });
  }
  const page = pageOf(await keyset(q, k, 'loans.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  const repairs = await swapRepairsOf(
    db,
    page.items.map((l) => l.transactionId),
  );
  return {
    ...page,
    items: page.items.map(({ given_name, family_name, ...loan }) => ({
      ...loan,
      personName: args.withNames ? `${given_name} ${family_name}` : null,
      overdue: (loan.status === 'active' || loan.status === 'overdue') && Number(loan.dueAt) < now,
      repairTicketId: repairs.get(loan.transactionId)?.ticketId ?? null,
      repairAssetTag: repairs.get(loan.transactionId)?.assetTag ?? null,
    })),
  };
}

/**
 * The repair ticket each swap opened, by the swap's kiosk transaction (a
 * swap's loaner and its ticket share it): one lookup by primary keys for a
 * page of loans, so the list's own query stays as its indexes want it.
 */
async function swapRepairsOf(db: Executor, transactionIds: string[]) {
  if (transactionIds.length === 0) return new Map<string, { ticketId: string; assetTag: string }>();
  const rows = await db
    .selectFrom('kiosk_transactions')
    .innerJoin('repair_tickets', 'repair_tickets.id', 'kiosk_transactions.repair_ticket_id')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .select(['kiosk_transactions.id', 'repair_tickets.id as ticketId', 'devices.asset_tag as assetTag'])
    .where('kiosk_transactions.id', 'in', [...new Set(transactionIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { ticketId: r.ticketId, assetTag: r.assetTag }]));
}

/** Many past loans in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertLoans(db: Executor, loans: LoanTable[]): Promise<void> {
  if (loans.length) await db.insertInto('loans').values(loans).execute();
}
