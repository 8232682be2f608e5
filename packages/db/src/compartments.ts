import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import type { CompartmentStatus, LoanerCandidate, StepPurpose } from '@cubby/core';
import type { Executor } from './transaction.js';

export function findCompartment(db: Executor, stationId: string, number: number) {
  return db
    .selectFrom('compartments')
    .selectAll()
    .where('station_id', '=', stationId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export type CompartmentRow = NonNullable<Awaited<ReturnType<typeof findCompartment>>>;

export function compartmentsOfTransaction(db: Executor, transactionId: string) {
  return db.selectFrom('compartments').selectAll().where('transaction_id', '=', transactionId).orderBy('number').execute();
}

/** Loaners ready in this station's loaded compartments; core ranks them. */
export async function loanerCandidates(
  db: Executor,
  stationId: string,
): Promise<(LoanerCandidate & { compartmentId: string })[]> {
  const rows = await db
    .selectFrom('compartments')
    .innerJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'devices.id as deviceId',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'devices.battery_percent as batteryPercent',
      'devices.loan_count as loanCount',
      'devices.last_loaned_at as lastLoanedAt',
    ])
    .where('compartments.station_id', '=', stationId)
    .where('compartments.status', '=', 'loaded')
    .where('devices.pool', '=', 'loaner')
    .where('devices.status', '=', 'available')
    .execute();
  return rows.map((r) => ({ ...r, lastLoanedAt: r.lastLoanedAt === null ? null : Number(r.lastLoanedAt) }));
}

/** Empty compartments, chargers first when a charger is wanted, lowest door number first. */
export function emptyCompartments(db: Executor, stationId: string, options: { chargerOnly?: boolean; preferCharger?: boolean }) {
  let q = db
    .selectFrom('compartments')
    .select(['id', 'number', 'has_charger'])
    .where('station_id', '=', stationId)
    .where('status', '=', 'empty')
    .where('device_id', 'is', null);
  if (options.chargerOnly) q = q.where('has_charger', '=', 1);
  if (options.preferCharger) q = q.orderBy('has_charger', 'desc');
  return q.orderBy('number').limit(20).execute();
}

/**
 * Atomically holds a compartment for one transaction step: succeeds only if
 * it is still in the expected state, so two kiosks can never take the same door.
 */
export async function reserveCompartment(
  db: Executor,
  args: {
    id: string;
    from: CompartmentStatus;
    transactionId: string;
    purpose: StepPurpose;
    commandId: string | null;
    now: number;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('compartments')
    .set({
      status: 'reserved',
      transaction_id: args.transactionId,
      purpose: args.purpose,
      command_id: args.commandId,
      updated_at: args.now,
    })
    .where('id', '=', args.id)
    .where('status', '=', args.from)
    .where('transaction_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateCompartment(
  db: Executor,
  id: string,
  set: Partial<{
    status: CompartmentStatus;
    device_id: string | null;
    door: 'open' | 'closed';
    presence: 0 | 1;
    charging: 0 | 1;
    transaction_id: string | null;
    purpose: StepPurpose | null;
    command_id: string | null;
  }>,
  now: number,
) {
  await db
    .updateTable('compartments')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A step is over: the compartment no longer belongs to the transaction. */
export function releaseFields() {
  return { transaction_id: null, purpose: null, command_id: null } as const;
}

// ---- Compartments as the read API lists them (GET /api/v1/compartments) ----

export const compartmentSorts = {
  id: sortOn('compartments.id', 'id'),
  number: sortOn('compartments.number', 'number'),
  updatedAt: sortOn('compartments.updated_at', 'updatedAt'),
};

/** Compartments with their station and the device inside, as the API names their fields. */
function compartmentViews(db: Executor) {
  return db
    .selectFrom('compartments')
    .innerJoin('stations', 'stations.id', 'compartments.station_id')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id',
      'compartments.station_id as stationId',
      'compartments.number',
      'compartments.has_charger as hasCharger',
      'compartments.status',
      'compartments.door',
      'compartments.presence',
      'compartments.charging',
      'compartments.device_id as deviceId',
      'devices.asset_tag as assetTag',
      'devices.battery_percent as batteryPercent',
      'compartments.transaction_id as transactionId',
      'compartments.updated_at as updatedAt',
    ]);
}

type Flags = 'hasCharger' | 'presence' | 'charging';
function toCompartmentView<C extends Record<Flags, number> & { updatedAt: number }>(
  c: C,
): Omit<C, Flags | 'updatedAt'> & Record<Flags, boolean> & { updatedAt: number } {
  return {
    ...c,
    hasCharger: c.hasCharger === 1,
    presence: c.presence === 1,
    charging: c.charging === 1,
    updatedAt: Number(c.updatedAt),
  };
}

export async function listCompartments(
  db: Executor,
  args: ListArgs & { stationId?: string | undefined; status?: CompartmentStatus | undefined },
) {
  const k = sortKey(compartmentSorts, args.sort);
  let q = compartmentViews(db);
  if (args.scope) q = args.scope.length ? q.where('stations.site_id', 'in', args.scope) : q.where(noRows);
  if (args.stationId) q = q.where('compartments.station_id', '=', args.stationId);
  if (args.status) q = q.where('compartments.status', '=', args.status);
  if (args.q) q = q.where(matchesText(args.q, ['devices.asset_tag', 'stations.name']));
  const page = pageOf(
    await keyset(q, k, 'compartments.id', args.order ?? 'asc', args.cursor, args.limit).execute(),
    args.limit,
    k,
  );
  return { ...page, items: page.items.map(toCompartmentView) };
}

/** One compartment as the lists show it, with its station's campus for scoping (`site_id`). */
export async function findCompartmentView(db: Executor, compartmentId: string) {
  const c = await compartmentViews(db).select('stations.site_id').where('compartments.id', '=', compartmentId).executeTakeFirst();
  return c && toCompartmentView(c);
}

/** Puts a device behind a door, present (stocking a new station; not a kiosk step). */
export async function stockCompartment(db: Executor, stationId: string, number: number, deviceId: string): Promise<void> {
  await db
    .updateTable('compartments')
    .set({ status: 'loaded', device_id: deviceId, presence: 1 })
    .where('station_id', '=', stationId)
    .where('number', '=', number)
    .execute();
}

/** What each door of a station holds, by number: charger, presence and the battery of the device inside. */
export function compartmentContents(db: Executor, stationId: string) {
  return db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select(['compartments.number', 'compartments.has_charger', 'compartments.presence', 'devices.battery_percent'])
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
}
