import { nextDevice, orThrow, type DeviceEvent, type DevicePool, type DeviceStatus } from '@cubby/core';
import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import { isOpenLoan } from './loans.js';
import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import type { Database } from './schema.js';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';
import { batches, updateRowsById } from './batch-update.js';

export function findDevice(db: Executor, id: string) {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person's own (assigned) device that is with them. */
export function findOwnDevice(db: Executor, personId: string) {
  return ownDeviceQuery(db, personId).select(['id', 'asset_tag', 'status']).executeTakeFirst();
}

/** The person's own device in service, newest first (a sign-in asks for its id as a subquery). */
export function ownDeviceQuery(db: Executor, personId: string | Expression<string>) {
  return db
    .selectFrom('devices')
    .where('devices.owner_id', '=', personId)
    .where('devices.pool', '=', 'assigned')
    .where('devices.status', '=', 'in_service')
    .orderBy('devices.created_at', 'desc');
}

export interface DeviceMove {
  id: string;
  from: DeviceStatus;
  event: DeviceEvent;
  now: number;
  /** The move is also a loan leaving with it: count it for wear-spreading (see rankLoaners). */
  loanedAt?: number;
}

/** The UPDATE of a device move, from exactly `from` to what core's machine says. */
export function moveDeviceQuery(db: Executor, move: DeviceMove) {
  const to = orThrow(nextDevice(move.from, move.event));
  return db
    .updateTable('devices')
    .set((eb) => ({
      status: to,
      updated_at: move.now,
      ...(move.loanedAt === undefined ? {} : { loan_count: eb('loan_count', '+', 1), last_loaned_at: move.loanedAt }),
    }))
    .where('id', '=', move.id)
    .where('status', '=', move.from);
}

/** Moves a device by a core event; `conflict` when it was no longer in `from`. */
export async function moveDevice(db: Executor, move: DeviceMove): Promise<DeviceStatus> {
  const r = await moveDeviceQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'device', move.id, move.from);
  return orThrow(nextDevice(move.from, move.event));
}

export async function recordLoanerTaken(db: Executor, id: string, now: number) {
  await db
    .updateTable('devices')
    .set((eb) => ({ loan_count: eb('loan_count', '+', 1), last_loaned_at: now, updated_at: now }))
    .where('id', '=', id)
    .execute();
}

// ---- Devices as the read API lists them (GET /api/v1/devices), and which campus a device is at ----

export const deviceSorts = {
  id: sortOn('devices.id', 'id'),
  assetTag: sortOn('devices.asset_tag', 'assetTag'),
  model: sortOn('devices.model', 'model'),
  status: sortOn('devices.status', 'status'),
  batteryPercent: sortOn('devices.battery_percent', 'batteryPercent', 'integer'),
  loanCount: sortOn('devices.loan_count', 'loanCount', 'integer'),
  updatedAt: sortOn('devices.updated_at', 'updatedAt', 'integer'),
};

/**
 * A device belongs to a campus while it sits in a compartment there, while it
 * is out on a loan taken there, and otherwise at its home campus (`site_id`).
 */
export function deviceAtSites(eb: ExpressionBuilder<Database, 'devices'>, siteIds: readonly string[]) {
  if (siteIds.length === 0) return noRows;
  // Uncorrelated subqueries: each campus list is computed once (a few thousand ids), not per device.
  return eb.or([
    eb('devices.site_id', 'in', siteIds),
    eb(
      'devices.id',
      'in',
      eb
        .selectFrom('compartments as dc')
        .innerJoin('stations as ds', 'ds.id', 'dc.station_id')
        .select('dc.device_id')
        .where('ds.site_id', 'in', siteIds)
        .where('dc.device_id', 'is not', null),
    ),
    eb(
      'devices.id',
      'in',
      eb
        .selectFrom('loans as dl')
        .innerJoin('stations as ls', 'ls.id', 'dl.station_id')
        .select('dl.device_id')
        .where(isOpenLoan('dl'))
        .where('ls.site_id', 'in', siteIds),
    ),
  ]);
}

/** deviceAtSites for a device aliased `rd`, as plain SQL (inside a hand-written EXISTS). */
export function deviceAtSitesSql(siteIds: readonly string[]) {
  const ids = sql.join(siteIds);
  return sql`(rd.site_id in (${ids})
    or rd.id in (select dc.device_id from compartments dc join stations ds on ds.id = dc.station_id where ds.site_id in (${ids}) and dc.device_id is not null)
    or rd.id in (select dl.device_id from loans dl join stations ls on ls.id = dl.station_id where ${isOpenLoan('dl')} and ls.site_id in (${ids})))`;
}

/**
 * Ids of the devices whose columns contain the text: one scan of the devices
 * (on PostgreSQL the `devices_search` trigram index) whatever the number of loans
 * or tickets. Aliased, so the text never matches the outer query's own join.
 */
export function devicesMatching(eb: ExpressionBuilder<Database, any>, text: string, columns: ('asset_tag' | 'serial')[]) {
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

/** A device as the list and the device page answer it (camelCase), with the door it sits behind. */
export const deviceListColumns = [
  'devices.id',
  'devices.asset_tag as assetTag',
  'devices.serial',
  'devices.model',
  'devices.pool',
  'devices.owner_id as ownerId',
  'devices.status',
  'devices.condition',
  'devices.battery_percent as batteryPercent',
  'devices.loan_count as loanCount',
  'devices.last_loaned_at as lastLoanedAt',
  'devices.site_id as siteId',
  'devices.warranty_end as warrantyEnd',
  'devices.updated_at as updatedAt',
  'compartments.station_id as stationId',
  'compartments.number as compartmentNumber',
  // From Google Admin (docs/google.md).
  'devices.google_device_id as googleDeviceId',
  'devices.google_org_unit_path as orgUnitPath',
  'devices.google_status as googleStatus',
  'devices.google_last_sync as googleLastSync',
  'devices.os_updates_end as osUpdatesEnd',
  'devices.battery_health as batteryHealth',
  'devices.battery_cycle_count as batteryCycleCount',
  'devices.battery_worn as batteryWorn',
  'devices.google_annotated_user',
  'devices.google_recent_user',
] as const;

/** Devices with the door each sits behind and the list's columns: the start of the list's and the device page's query. */
export function listedDevices(db: Executor) {
  return db.selectFrom('devices').leftJoin('compartments', 'compartments.device_id', 'devices.id').select(deviceListColumns);
}

type ListedDeviceRow = Awaited<ReturnType<ReturnType<typeof listedDevices>['executeTakeFirstOrThrow']>>;

/**
 * A row of `deviceListColumns` as the API answers it. Google's user (an
 * email) only with `withNames`: for callers who may read people.
 */
export function toListedDevice(
  { google_annotated_user, google_recent_user, batteryWorn, ...d }: ListedDeviceRow,
  withNames: boolean,
) {
  return {
    ...d,
    lastLoanedAt: d.lastLoanedAt == null ? null : Number(d.lastLoanedAt),
    warrantyEnd: d.warrantyEnd == null ? null : Number(d.warrantyEnd),
    updatedAt: Number(d.updatedAt),
    googleDeviceId: d.googleDeviceId ?? null,
    orgUnitPath: d.orgUnitPath ?? null,
    googleStatus: d.googleStatus ?? null,
    googleLastSync: d.googleLastSync == null ? null : Number(d.googleLastSync),
    osUpdatesEnd: d.osUpdatesEnd == null ? null : Number(d.osUpdatesEnd),
    batteryHealth: d.batteryHealth ?? null,
    batteryCycleCount: d.batteryCycleCount ?? null,
    batteryWorn: batteryWorn == null ? null : batteryWorn === 1,
    googleUser: withNames ? (google_annotated_user ?? google_recent_user ?? null) : null,
  };
}

export async function listDevices(
  db: Executor,
  args: ListArgs & {
    status?: DeviceStatus | undefined;
    pool?: DevicePool | undefined;
    siteId?: string | undefined;
    stationId?: string | undefined;
    assetTag?: string | undefined;
    ownerId?: string | undefined;
    batteryWorn?: boolean | undefined;
    /** Google's annotated or most recent user (an email) only for callers who may read people. */
    withNames?: boolean | undefined;
  },
) {
  const k = sortKey(deviceSorts, args.sort);
  let q = listedDevices(db);
  if (args.batteryWorn !== undefined) q = q.where('battery_worn', '=', args.batteryWorn ? 1 : 0);
  if (args.scope) q = q.where((eb) => deviceAtSites(eb, args.scope!));
  if (args.siteId) q = q.where((eb) => deviceAtSites(eb, [args.siteId!]));
  if (args.stationId) q = q.where('compartments.station_id', '=', args.stationId);
  if (args.status) q = q.where('devices.status', '=', args.status);
  if (args.pool) q = q.where('pool', '=', args.pool);
  if (args.assetTag) q = q.where('asset_tag', '=', args.assetTag);
  if (args.ownerId) q = q.where('owner_id', '=', args.ownerId);
  if (args.q) q = q.where(matchesText(args.q, ['devices.asset_tag', 'devices.serial', 'devices.model']));
  const page = pageOf(await keyset(q, k, 'devices.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return { ...page, items: page.items.map((d) => toListedDevice(d, args.withNames ?? false)) };
}

/** Many devices in one statement (imports and the demo; keep batches to a few hundred rows). */
export async function insertDevices(db: Executor, devices: import('./schema.js').DeviceTable[]): Promise<void> {
  if (devices.length) await db.insertInto('devices').values(devices).execute();
}

/** Sets how often a device has been lent (history written outside the kiosk flow, e.g. the demo's). */
export async function setDeviceLoanCount(db: Executor, deviceId: string, loanCount: number): Promise<void> {
  await db.updateTable('devices').set({ loan_count: loanCount }).where('id', '=', deviceId).execute();
}

// ---- Inventory imports (docs/importing.md) ----

/** The district's devices as an import compares them, read once. */
export async function devicesForImport(db: Executor, districtId: string) {
  const rows = await db
    .selectFrom('devices')
    .select([
      'id',
      'asset_tag as assetTag',
      'serial',
      'model',
      'pool',
      'site_id as siteId',
      'owner_id as ownerId',
      'purchase_date as purchaseDate',
      'warranty_end as warrantyEnd',
      'condition',
      'notes',
      'status',
    ])
    .where('district_id', '=', districtId)
    .execute();
  // In place: a district's 150,000 devices are not held twice while they are read.
  for (const r of rows) {
    r.purchaseDate = r.purchaseDate === null || r.purchaseDate === undefined ? null : Number(r.purchaseDate);
    r.warrantyEnd = r.warrantyEnd === null ? null : Number(r.warrantyEnd);
    r.notes = r.notes ?? null;
  }
  return rows as (Omit<(typeof rows)[number], 'purchaseDate' | 'warrantyEnd' | 'notes'> & {
    purchaseDate: number | null;
    warrantyEnd: number | null;
    notes: string | null;
  })[];
}

/** The inventory file's columns of a device; status, battery and loan counts are not among them. */
export interface ImportedDevice {
  id: string;
  assetTag: string;
  serial: string | null;
  model: string;
  pool: DevicePool;
  siteId: string | null;
  ownerId: string | null;
  purchaseDate: number | null;
  warrantyEnd: number | null;
  condition: string;
  notes: string | null;
}

const importedDeviceColumns = [
  'asset_tag',
  'serial',
  'model',
  'pool',
  'site_id',
  'owner_id',
  'purchase_date',
  'warranty_end',
  'condition',
  'notes',
  'updated_at',
];
const importedDeviceRow = (d: ImportedDevice, now: number) => ({
  id: d.id,
  asset_tag: d.assetTag,
  serial: d.serial,
  model: d.model,
  pool: d.pool,
  site_id: d.siteId,
  owner_id: d.ownerId,
  purchase_date: d.purchaseDate,
  warranty_end: d.warrantyEnd,
  condition: d.condition,
  notes: d.notes,
  updated_at: now,
});

/**
 * An import's devices, in batches. A new device starts in service (with its
 * owner, or a loaner waiting to be stocked into a compartment by a
 * technician); a known device's status is never written here.
 */
export async function writeImportedDevices(
  db: Executor,
  change: { districtId: string; now: number; create: ImportedDevice[]; update: ImportedDevice[] },
): Promise<void> {
  for (const rows of batches(change.create))
    await db
      .insertInto('devices')
      .values(
        rows.map((d) => ({
          ...importedDeviceRow(d, change.now),
          district_id: change.districtId,
          status: 'in_service' as const,
          battery_percent: 100,
          loan_count: 0,
          last_loaned_at: null,
          created_at: change.now,
        })),
      )
      .execute();
  // A relabel can move an asset tag between two devices: clear the moved tags first.
  const moved = change.update.map((d) => ({ id: d.id, asset_tag: `~import~${d.id}` }));
  await updateRowsById(db, 'devices', ['asset_tag'], moved);
  await updateRowsById(
    db,
    'devices',
    importedDeviceColumns,
    change.update.map((d) => importedDeviceRow(d, change.now)),
    { purchase_date: 'bigint', warranty_end: 'bigint', updated_at: 'bigint' },
  );
}
