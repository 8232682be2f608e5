import { nextRepair, orThrow, repairTimestampColumn, type RepairEvent, type RepairStatus } from '@cubby/core';
import { sql, type Expression } from 'kysely';
import { deviceAtSitesSql, devicesMatching } from './devices.js';
import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import { peopleMatching } from './people.js';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import type { RepairTicketTable } from './schema.js';

export async function insertRepairTicket(db: Executor, ticket: RepairTicketTable) {
  await db.insertInto('repair_tickets').values(ticket).execute();
}

/** A repaired device waiting for its owner in a compartment of this station. */
export function pickupWaiting(db: Executor, personId: string, stationId: string) {
  return pickupWaitingQuery(db, personId, stationId).executeTakeFirst();
}

/** A repaired device of this person's waiting behind a door of this station. */
export function pickupWaitingQuery(db: Executor, personId: string | Expression<string>, stationId: string) {
  return db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .innerJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
    .select([
      'repair_tickets.id as ticketId',
      'devices.id as deviceId',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'compartments.status as compartmentStatus',
    ])
    .where('devices.owner_id', '=', personId)
    .where('repair_tickets.status', '=', 'ready_for_pickup')
    .where('compartments.station_id', '=', stationId)
    .limit(1);
}

export interface RepairMove {
  id: string;
  from: RepairStatus;
  event: RepairEvent;
  now: number;
  set?: Partial<Pick<RepairTicketTable, 'compartment_id'>>;
}

/** The UPDATE of a ticket move: the new status and the time the ticket entered it (turnaround analytics). */
export function moveRepairTicketQuery(db: Executor, move: RepairMove) {
  const to = orThrow(nextRepair(move.from, move.event));
  return db
    .updateTable('repair_tickets')
    .set({ status: to, [repairTimestampColumn(to)]: move.now, ...move.set })
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a repair ticket by a core event; `conflict` when it was no longer in `from`. */
export async function moveRepairTicket(db: Executor, move: RepairMove): Promise<RepairStatus> {
  const r = await moveRepairTicketQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'repair ticket', move.id, move.from);
  return orThrow(nextRepair(move.from, move.event));
}

// ---- Repair tickets as the read API lists them (GET /api/v1/repair-tickets) ----

export const repairSorts = {
  id: sortOn('repair_tickets.id', 'id'),
  reportedAt: sortOn('repair_tickets.reported_at', 'reportedAt', 'integer'),
  status: sortOn('repair_tickets.status', 'status'),
};

/** A stored status, or `open`: neither closed nor retired. */
export type RepairFilter = RepairStatus | 'open';

/** A ticket is at the campus where its device is now, or where it was reported. */
export function repairAtSites(siteIds: readonly string[]) {
  if (siteIds.length === 0) return noRows;
  return sql<boolean>`(${sql.join(
    [
      sql`exists (select 1 from stations rs where rs.id = kiosk_transactions.station_id and rs.site_id in (${sql.join(siteIds)}))`,
      sql`exists (select 1 from devices rd where rd.id = repair_tickets.device_id and ${deviceAtSitesSql(siteIds)})`,
    ],
    sql` or `,
  )})`;
}

/** A repair ticket as the list answers it (camelCase), with where it waits and the names it may show. */
const repairListColumns = [
  'repair_tickets.id',
  'repair_tickets.device_id as deviceId',
  'devices.asset_tag as assetTag',
  'devices.model',
  'repair_tickets.person_id as personId',
  'repair_tickets.loan_id as loanId',
  'repair_tickets.status',
  'repair_tickets.symptom',
  'repair_tickets.notes',
  'repair_tickets.cost_cents as costCents',
  'repair_tickets.warranty_claim as warrantyClaim',
  'repair_tickets.fee_cents as feeCents',
  'repair_tickets.compartment_id as compartmentId',
  'compartments.station_id as stationId',
  'compartments.number as compartmentNumber',
  'kiosk_transactions.station_id as reportedStationId',
  'repair_tickets.reported_at as reportedAt',
  'repair_tickets.awaiting_collection_at as awaitingCollectionAt',
  'repair_tickets.collected_at as collectedAt',
  'repair_tickets.in_repair_at as inRepairAt',
  'repair_tickets.repaired_at as repairedAt',
  'repair_tickets.ready_for_pickup_at as readyForPickupAt',
  'repair_tickets.closed_at as closedAt',
  'repair_tickets.retired_at as retiredAt',
  'people.given_name',
  'people.family_name',
] as const;

/** Names of people only with `withNames` (people:read), and then searchable too. */
export async function listRepairTickets(
  db: Executor,
  args: ListArgs & {
    status?: RepairFilter | undefined;
    siteId?: string | undefined;
    deviceId?: string | undefined;
    personId?: string | undefined;
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
    .select(repairListColumns);
  if (args.scope) q = q.where(repairAtSites(args.scope));
  if (args.siteId) q = q.where(repairAtSites([args.siteId]));
  if (args.status === 'open') q = q.where('repair_tickets.status', 'not in', ['closed', 'retired']);
  else if (args.status) q = q.where('repair_tickets.status', '=', args.status);
  if (args.deviceId) q = q.where('repair_tickets.device_id', '=', args.deviceId);
  if (args.personId) q = q.where('repair_tickets.person_id', '=', args.personId);
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
  const loaners = await loanersOf(
    db,
    page.items.flatMap((t) => (t.loanId ? [t.loanId] : [])),
  );
  return {
    ...page,
    items: page.items.map(({ given_name, family_name, ...t }) => {
      const loaner = t.loanId ? loaners.get(t.loanId) : undefined;
      return {
        ...t,
        warrantyClaim: t.warrantyClaim === 1,
        personName: args.withNames && given_name !== null ? `${given_name} ${family_name}` : null,
        loanerDeviceId: loaner?.deviceId ?? null,
        loanerAssetTag: loaner?.assetTag ?? null,
        loanerEndedAt: loaner?.endedAt ?? null,
      };
    }),
  };
}

/** The loaners of a page of tickets (swap → ticket → loaner), by the loans' primary keys. */
async function loanersOf(db: Executor, loanIds: string[]) {
  if (loanIds.length === 0) return new Map<string, { deviceId: string; assetTag: string; endedAt: number | null }>();
  const rows = await db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select(['loans.id', 'loans.device_id as deviceId', 'devices.asset_tag as assetTag', 'loans.ended_at as endedAt'])
    .where('loans.id', 'in', [...new Set(loanIds)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { deviceId: r.deviceId, assetTag: r.assetTag, endedAt: r.endedAt === null ? null : Number(r.endedAt) },
    ]),
  );
}

/** Many past repair tickets in one statement (the demo's history; keep batches to a few hundred rows). */
export async function insertRepairTickets(db: Executor, tickets: RepairTicketTable[]): Promise<void> {
  if (tickets.length) await db.insertInto('repair_tickets').values(tickets).execute();
}

/** The flagged devices a technician can collect at this station: tickets awaiting collection behind its loaded doors. */
export function awaitingCollectionAt(db: Executor, stationId: string) {
  return db
    .selectFrom('repair_tickets')
    .innerJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
    .select([
      'repair_tickets.id as ticketId',
      'repair_tickets.device_id as deviceId',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'compartments.status as compartmentStatus',
      'compartments.presence as presence',
    ])
    .where('repair_tickets.status', '=', 'awaiting_collection')
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
}

/** The ticket awaiting collection behind this door, if any. */
export function awaitingCollectionBehind(db: Executor, compartmentId: string) {
  return db
    .selectFrom('repair_tickets')
    .select(['id', 'device_id'])
    .where('compartment_id', '=', compartmentId)
    .where('status', '=', 'awaiting_collection')
    .executeTakeFirst();
}
