import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import { nextCompartment, orThrow, type CompartmentEvent, type CompartmentStatus, type StepPurpose } from '@cubby/core';
import { kioskStepColumns, kioskStepFields, toKioskStep } from './kiosk-transactions.js';
import { expectChanged } from './state-change.js';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from './schema.js';
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

/**
 * A door and the kiosk step holding it (with its loan), in one statement: a
 * door event needs both when it settles a step, and most do.
 */
export async function findCompartmentWithStep(db: Executor, stationId: string, number: number) {
  const row = await db
    .selectFrom('compartments')
    .leftJoin('kiosk_transactions', 'kiosk_transactions.id', 'compartments.transaction_id')
    .leftJoin('loans', 'loans.id', 'kiosk_transactions.loan_id')
    .leftJoin('devices', 'devices.id', 'loans.device_id')
    .selectAll('compartments')
    .select(kioskStepColumns)
    // Whether closing the door has a door_left_open alert to clear: asked here, not by an update every close.
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('alerts')
            .select('alerts.id')
            .whereRef('alerts.station_id', '=', 'compartments.station_id')
            .where('alerts.cleared_at', 'is', null)
            .whereRef('alerts.compartment_id', '=', 'compartments.id')
            .where('alerts.kind', '=', 'door_left_open'),
        )
        .as('door_left_open_alert'),
    )
    .where('compartments.station_id', '=', stationId)
    .where('compartments.number', '=', number)
    .executeTakeFirst();
  if (!row) return undefined;
  const { door_left_open_alert: doorLeftOpenAlert, ...rest } = row;
  // The door's own columns are the row less the step's aliased ones.
  const compartment = Object.fromEntries(Object.entries(rest).filter(([key]) => !kioskStepFields.has(key))) as CompartmentRow;
  return { compartment, step: toKioskStep(rest), doorLeftOpenAlert: Boolean(doorLeftOpenAlert) };
}

export function findCompartmentById(db: Executor, id: string) {
  return db.selectFrom('compartments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Where the server has a device: at most one compartment (unique index), or none. */
export function compartmentsHoldingDevice(db: Executor, deviceId: string) {
  return db
    .selectFrom('compartments')
    .select(['id', 'number', 'station_id', 'status'])
    .where('device_id', '=', deviceId)
    .execute();
}

export function compartmentsOfTransaction(db: Executor, transactionId: string) {
  return db.selectFrom('compartments').selectAll().where('transaction_id', '=', transactionId).orderBy('number').execute();
}

export interface Hold {
  transactionId: string;
  purpose: StepPurpose;
  /** Set when the door's unlock goes out with the hold (saves a write). */
  commandId: string | null;
  now: number;
}

function holdFields(hold: Hold) {
  return {
    status: orThrow(nextCompartment('empty', { type: 'reserve' })),
    transaction_id: hold.transactionId,
    purpose: hold.purpose,
    command_id: hold.commandId,
    updated_at: hold.now,
  };
}

/**
 * Holds the first free compartment (chargers first, lowest door number first)
 * in one statement: the UPDATE re-checks that the door is still empty and
 * unheld, so on PostgreSQL a kiosk that lost the race to the same door gets
 * no row and tries again (see holdFreeCompartment in the server).
 */
export function holdFreeCompartmentQuery(db: Executor, stationId: string, chargerOnly: boolean, hold: Hold) {
  let free = db
    .selectFrom('compartments')
    .select('id')
    .where('station_id', '=', stationId)
    .where('status', '=', 'empty')
    .where('device_id', 'is', null)
    .where('transaction_id', 'is', null);
  if (chargerOnly) free = free.where('has_charger', '=', 1);
  return db
    .updateTable('compartments')
    .set(holdFields(hold))
    .where('id', '=', (eb) =>
      eb.selectFrom(free.orderBy('has_charger', 'desc').orderBy('number').limit(1).as('f')).select('f.id'),
    )
    .where('status', '=', 'empty')
    .where('transaction_id', 'is', null)
    .returning(['id', 'number', 'has_charger']);
}

export function holdFreeCompartment(db: Executor, stationId: string, chargerOnly: boolean, hold: Hold) {
  return holdFreeCompartmentQuery(db, stationId, chargerOnly, hold).executeTakeFirst();
}

export function reserveCompartmentQuery(db: Executor, id: string, from: CompartmentStatus, hold: Hold) {
  return db
    .updateTable('compartments')
    .set({ ...holdFields(hold), status: orThrow(nextCompartment(from, { type: 'reserve' })) })
    .where('id', '=', id)
    .where('status', '=', from)
    .where('transaction_id', 'is', null);
}

/**
 * Holds a known compartment for one transaction step: only if it is still in
 * `from` and unheld, so two kiosks can never take the same door (`conflict`).
 */
export async function reserveCompartment(db: Executor, id: string, from: CompartmentStatus, hold: Hold): Promise<void> {
  const r = await reserveCompartmentQuery(db, id, from, hold).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'compartment', id, from);
}

/** What a compartment records besides its status: readings, contents and the step holding it. */
export type CompartmentFields = Partial<{
  device_id: string | null;
  door: 'open' | 'closed';
  presence: 0 | 1;
  charging: 0 | 1;
  command_id: string | null;
}>;

export interface CompartmentMove {
  id: string;
  from: CompartmentStatus;
  event: CompartmentEvent;
  now: number;
  set?: CompartmentFields;
  /** The step is over: the compartment no longer belongs to its transaction. */
  release?: boolean;
}

/** The UPDATE of a compartment move, from exactly `from` to what core's machine says. */
export function moveCompartmentQuery(db: Executor, move: CompartmentMove) {
  const to = orThrow(nextCompartment(move.from, move.event));
  return db
    .updateTable('compartments')
    .set((eb) => ({
      status: to,
      ...move.set,
      ...placement(eb, move.set, move.now),
      ...(move.release ? { transaction_id: null, purpose: null, command_id: null } : {}),
      updated_at: move.now,
    }))
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/**
 * When the contents change, so does the time on the charger the charge
 * estimate counts: from now for a device that was not behind this door, kept
 * for the same device (a door opened and closed on it), cleared when empty.
 */
function placement(eb: ExpressionBuilder<Database, 'compartments'>, set: CompartmentFields | undefined, now: number) {
  if (!set || set.device_id === undefined) return {};
  if (set.device_id === null) return { charging_since: null, charge_sensed: null, charge_sensed_at: null };
  const moved = eb.or([eb('device_id', 'is', null), eb('device_id', '!=', set.device_id), eb('charging_since', 'is', null)]);
  return { charging_since: eb.case().when(moved).then(now).else(eb.ref('charging_since')).end() };
}

/** Moves a compartment by a core event (with its readings); `conflict` when it was no longer in `from`. */
export async function moveCompartment(db: Executor, move: CompartmentMove): Promise<CompartmentStatus> {
  const r = await moveCompartmentQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'compartment', move.id, move.from);
  return orThrow(nextCompartment(move.from, move.event));
}

/** Readings and contents only; a status change is a moveCompartment. */
export async function setCompartmentFields(db: Executor, id: string, set: CompartmentFields, now: number) {
  await db
    .updateTable('compartments')
    .set((eb) => ({ ...set, ...placement(eb, set, now), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

// ---- Compartments as the read API lists them (GET /api/v1/compartments) ----

export const compartmentSorts = {
  id: sortOn('compartments.id', 'id'),
  number: sortOn('compartments.number', 'number', 'integer'),
  updatedAt: sortOn('compartments.updated_at', 'updatedAt', 'integer'),
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

/** Puts a device behind an empty door, present (stocking a new station; not a kiosk step). */
export async function stockCompartment(
  db: Executor,
  stationId: string,
  number: number,
  deviceId: string,
  now: number,
  // A broken device waiting for a technician is not put on the door's charger.
  options: { onCharger?: boolean } = {},
) {
  const r = await db
    .updateTable('compartments')
    .set({
      status: orThrow(nextCompartment('empty', { type: 'stocked' })),
      device_id: deviceId,
      presence: 1,
      charging_since: options.onCharger === false ? null : now,
      updated_at: now,
    })
    .where('station_id', '=', stationId)
    .where('number', '=', number)
    .where('status', '=', 'empty')
    .executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'compartment', `${stationId} #${number}`, 'empty');
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

/** Every door of a station, lowest number first. */
export function compartmentsOfStation(db: Executor, stationId: string) {
  return db.selectFrom('compartments').selectAll().where('station_id', '=', stationId).orderBy('number').execute();
}
