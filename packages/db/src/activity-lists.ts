import { sql, type ExpressionBuilder } from 'kysely';
import { DomainError, openLoanStatuses } from '@cubby/core';
import { parseJson } from './json.js';
import { isOpenLoan, loanStatusIn } from './loans.js';
import { keyset, matchesText, pageOf, sortKey, type ListArgs, type SortKey } from './paging.js';
import type { Database } from './schema.js';
import type { Executor } from './transaction.js';

/**
 * What happened: loans, repair tickets and the audit log, for the dashboard's
 * lists. Names of people are joined only when the caller may read them
 * (`withNames`), and then searchable too; otherwise a name search would tell
 * who has a loan.
 */
const none = sql<boolean>`1 = 0`;
const key = (table: string, column: string): SortKey => ({ column: `${table}.${column}`, field: column });

export const loanSorts = {
  id: key('loans', 'id'),
  created_at: key('loans', 'created_at'),
  due_at: key('loans', 'due_at'),
  status: key('loans', 'status'),
};
export const repairSorts = {
  id: key('repair_tickets', 'id'),
  reported_at: key('repair_tickets', 'reported_at'),
  status: key('repair_tickets', 'status'),
};

/** Loan views the dashboard filters by besides the stored statuses. */
export const loanViews = ['active', 'overdue', 'history'] as const;

export async function listLoans(
  db: Executor,
  args: ListArgs & {
    status?: string | undefined;
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
    .select([
      'loans.id',
      'loans.device_id',
      'loans.person_id',
      'loans.station_id',
      'loans.compartment_id',
      'loans.transaction_id',
      'loans.reason',
      'loans.status',
      'loans.created_at',
      'loans.started_at',
      'loans.due_at',
      'loans.ended_at',
      'loans.return_station_id',
      'devices.asset_tag',
      'stations.site_id',
      'people.given_name',
      'people.family_name',
    ]);
  if (args.scope) q = args.scope.length ? q.where('stations.site_id', 'in', args.scope) : q.where(none);
  // Status sets as literals, the open ones with the open loan indexes' own WHERE (loans.ts).
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
      q = q.where('loans.status', '=', args.status as never);
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
  return {
    ...page,
    items: page.items.map(({ given_name, family_name, ...loan }) => ({
      ...loan,
      person_name: args.withNames ? `${given_name} ${family_name}` : null,
      overdue: (loan.status === 'active' || loan.status === 'overdue') && Number(loan.due_at) < now,
    })),
  };
}

export const repairStatuses = [
  'reported',
  'awaiting_collection',
  'collected',
  'in_repair',
  'repaired',
  'ready_for_pickup',
  'closed',
  'retired',
] as const;

export async function listRepairTickets(
  db: Executor,
  args: ListArgs & {
    status?: string | undefined;
    siteId?: string | undefined;
    deviceId?: string | undefined;
    withNames?: boolean | undefined;
  },
) {
  const k = sortKey(repairSorts, args.sort);
  let q = db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .leftJoin('people', 'people.id', 'repair_tickets.person_id')
    .leftJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
    .leftJoin('kiosk_transactions', 'kiosk_transactions.id', 'repair_tickets.transaction_id')
    .select([
      'repair_tickets.id',
      'repair_tickets.device_id',
      'devices.asset_tag',
      'devices.model',
      'repair_tickets.person_id',
      'repair_tickets.loan_id',
      'repair_tickets.status',
      'repair_tickets.symptom',
      'repair_tickets.notes',
      'repair_tickets.cost_cents',
      'repair_tickets.warranty_claim',
      'repair_tickets.fee_cents',
      'repair_tickets.compartment_id',
      'compartments.station_id',
      'compartments.number as compartment_number',
      'kiosk_transactions.station_id as reported_station_id',
      'repair_tickets.reported_at',
      'repair_tickets.awaiting_collection_at',
      'repair_tickets.collected_at',
      'repair_tickets.in_repair_at',
      'repair_tickets.repaired_at',
      'repair_tickets.ready_for_pickup_at',
      'repair_tickets.closed_at',
      'repair_tickets.retired_at',
      'people.given_name',
      'people.family_name',
    ]);
  // A ticket is at the campus where its device is now, or where it was reported.
  const atSites = (siteIds: readonly string[]) =>
    siteIds.length === 0
      ? none
      : sql<boolean>`(${sql.join(
          [
            sql`exists (select 1 from stations rs where rs.id = kiosk_transactions.station_id and rs.site_id in (${sql.join(siteIds)}))`,
            sql`exists (select 1 from devices rd where rd.id = repair_tickets.device_id and ${deviceAtSitesSql(siteIds)})`,
          ],
          sql` or `,
        )})`;
  if (args.scope) q = q.where(atSites(args.scope));
  if (args.siteId) q = q.where(atSites([args.siteId]));
  if (args.status === 'open') q = q.where('repair_tickets.status', 'not in', ['closed', 'retired']);
  else if (args.status) q = q.where('repair_tickets.status', '=', args.status as never);
  if (args.deviceId) q = q.where('repair_tickets.device_id', '=', args.deviceId);
  if (args.q) {
    const text = args.q;
    q = q.where((eb) =>
      eb.or([
        eb('repair_tickets.device_id', 'in', devicesMatching(eb, text, ['asset_tag', 'serial'])),
        matchesText(text, ['repair_tickets.notes']),
        ...(args.withNames ? [eb('repair_tickets.person_id', 'in', peopleMatching(eb, text, []))] : []),
      ]),
    );
  }
  const page = pageOf(
    await keyset(q, k, 'repair_tickets.id', args.order ?? 'asc', args.cursor, args.limit).execute(),
    args.limit,
    k,
  );
  return {
    ...page,
    items: page.items.map(({ given_name, family_name, ...t }) => ({
      ...t,
      warranty_claim: t.warranty_claim === 1,
      person_name: args.withNames && given_name !== null ? `${given_name} ${family_name}` : null,
    })),
  };
}

/**
 * Ids of the devices whose columns contain the text: one scan of the devices
 * (on PostgreSQL the `devices_search` trigram index) whatever the number of loans
 * or tickets. Aliased, so the text never matches the outer query's own join.
 */
function devicesMatching(eb: ExpressionBuilder<Database, any>, text: string, columns: ('asset_tag' | 'serial')[]) {
  return eb
    .selectFrom('devices as md')
    .select('md.id')
    .where(
      matchesText(
        text,
        columns.map((c) => `md.${c}`),
      ),
    );
}

/** Ids of the people whose full name (or other columns) contains the text; `people_search` on PostgreSQL. */
function peopleMatching(eb: ExpressionBuilder<Database, any>, text: string, columns: 'student_number'[]) {
  return eb
    .selectFrom('people as mp')
    .select('mp.id')
    .where(matchesText(text, [...columns.map((c) => `mp.${c}`), sql`mp.given_name || ' ' || mp.family_name`]));
}

/** deviceAtSites for the device aliased `rd`, as plain SQL. */
function deviceAtSitesSql(siteIds: readonly string[]) {
  const ids = sql.join(siteIds);
  return sql`(rd.site_id in (${ids})
    or rd.id in (select dc.device_id from compartments dc join stations ds on ds.id = dc.station_id where ds.site_id in (${ids}) and dc.device_id is not null)
    or rd.id in (select dl.device_id from loans dl join stations ls on ls.id = dl.station_id where ${isOpenLoan('dl')} and ls.site_id in (${ids})))`;
}

/**
 * The audit log by sequence number (newest first by default; the cursor is a
 * sequence number). Within a time range (`from`, `to`) it goes by time, then
 * sequence number, so the (at, seq) index finds the range's start instead of
 * walking millions of events before it; the cursor is then `at-seq`. A
 * campus-limited caller sees its stations' events only.
 */
export async function listAuditEvents(
  db: Executor,
  args: ListArgs & {
    entityType?: string | undefined;
    entityId?: string | undefined;
    action?: string | undefined;
    transactionId?: string | undefined;
    stationId?: string | undefined;
    actorType?: string | undefined;
    actorId?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
  },
) {
  if (args.sort && args.sort !== 'seq') throw new DomainError('bad_request', 'sort must be seq');
  const order = args.order ?? 'desc';
  const ranged = args.from !== undefined || args.to !== undefined;
  // Only sealed events: they have their place in the chain (unsealed ones are moments old).
  let q = db.selectFrom('audit_events').selectAll().where('seq', 'is not', null);
  if (args.scope) {
    q = args.scope.length
      ? q.where('station_id', 'in', (eb) =>
          eb.selectFrom('stations').select('stations.id').where('stations.site_id', 'in', args.scope!),
        )
      : q.where(none);
  }
  if (args.entityType) q = q.where('entity_type', '=', args.entityType);
  if (args.entityId) q = q.where('entity_id', '=', args.entityId);
  if (args.action) q = q.where('action', '=', args.action);
  if (args.transactionId) q = q.where('transaction_id', '=', args.transactionId);
  if (args.stationId) q = q.where('station_id', '=', args.stationId);
  if (args.actorType) q = q.where('actor_type', '=', args.actorType as never);
  if (args.actorId) q = q.where('actor_id', '=', args.actorId);
  if (args.from !== undefined) q = q.where('at', '>=', args.from);
  if (args.to !== undefined) q = q.where('at', '<', args.to);
  if (args.q) q = q.where(matchesText(args.q, ['action', 'entity_id', 'actor_id']));
  const after = order === 'desc' ? '<' : '>';
  if (args.cursor) {
    const { at, seq } = auditCursor(args.cursor, ranged);
    // The bound on `at` alone is what an index range starts from; the OR makes it exact.
    if (at !== undefined)
      q = q.where('at', order === 'desc' ? '<=' : '>=', at).where((eb) => eb.or([eb('at', after, at), eb('seq', after, seq)]));
    else q = q.where('seq', after, seq);
  }
  if (ranged) q = q.orderBy('at', order);
  const rows = await q
    .orderBy('seq', order)
    .limit(args.limit + 1)
    .execute();
  const items = rows.slice(0, args.limit).map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at), data: parseJson(r.data) }));
  const last = items.at(-1);
  const more = rows.length > args.limit && last;
  return { items, nextCursor: more ? (ranged ? `${last.at}-${last.seq}` : String(last.seq)) : null };
}

/** An audit cursor: `seq`, or `at-seq` within a time range; one from the other listing is refused. */
function auditCursor(cursor: string, ranged: boolean): { at?: number; seq: number } {
  const match = /^(?:(\d{1,15})-)?(\d{1,15})$/.exec(cursor);
  if (!match || (match[1] !== undefined) !== ranged) throw new DomainError('bad_request', 'cursor is not one this list gave out');
  return match[1] !== undefined ? { at: Number(match[1]), seq: Number(match[2]) } : { seq: Number(match[2]) };
}
