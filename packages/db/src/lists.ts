import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

/**
 * Read models for the API: keyset-paged by id (UUIDv7, so roughly creation
 * order) or by audit sequence, so a page costs the same on page 1 and page 1,000.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageArgs {
  limit: number;
  cursor?: string | undefined;
}

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export async function listSites(db: Executor, args: PageArgs & { districtId?: string | undefined }) {
  let q = db.selectFrom('sites').select(['id', 'district_id', 'name', 'time_zone', 'school_day_end', 'created_at']);
  if (args.districtId) q = q.where('district_id', '=', args.districtId);
  if (args.cursor) q = q.where('id', '>', args.cursor);
  return page(await q.orderBy('id').limit(args.limit + 1).execute(), args.limit);
}

export async function listStations(db: Executor, args: PageArgs & { siteId?: string | undefined }) {
  let q = db.selectFrom('stations').select(['id', 'site_id', 'name', 'connected', 'last_seen_at', 'created_at']);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.cursor) q = q.where('id', '>', args.cursor);
  const result = page(await q.orderBy('id').limit(args.limit + 1).execute(), args.limit);
  return { ...result, items: result.items.map((s) => ({ ...s, connected: s.connected === 1 })) };
}

export async function listCompartments(
  db: Executor,
  args: PageArgs & { stationId?: string | undefined; status?: string | undefined },
) {
  let q = db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id',
      'compartments.station_id',
      'compartments.number',
      'compartments.has_charger',
      'compartments.status',
      'compartments.door',
      'compartments.presence',
      'compartments.charging',
      'compartments.device_id',
      'devices.asset_tag',
      'devices.battery_percent',
      'compartments.transaction_id',
      'compartments.updated_at',
    ]);
  if (args.stationId) q = q.where('compartments.station_id', '=', args.stationId);
  if (args.status) q = q.where('compartments.status', '=', args.status as never);
  if (args.cursor) q = q.where('compartments.id', '>', args.cursor);
  const result = page(await q.orderBy('compartments.id').limit(args.limit + 1).execute(), args.limit);
  return {
    ...result,
    items: result.items.map((c) => ({ ...c, has_charger: c.has_charger === 1, presence: c.presence === 1, charging: c.charging === 1 })),
  };
}

export async function listDevices(
  db: Executor,
  args: PageArgs & { status?: string | undefined; pool?: string | undefined; siteId?: string | undefined; assetTag?: string | undefined },
) {
  let q = db
    .selectFrom('devices')
    .select([
      'id', 'asset_tag', 'serial', 'model', 'pool', 'owner_id', 'status', 'condition', 'battery_percent',
      'loan_count', 'last_loaned_at', 'site_id', 'warranty_end', 'updated_at',
    ]);
  if (args.status) q = q.where('status', '=', args.status as never);
  if (args.pool) q = q.where('pool', '=', args.pool as never);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.assetTag) q = q.where('asset_tag', '=', args.assetTag);
  if (args.cursor) q = q.where('id', '>', args.cursor);
  return page(await q.orderBy('id').limit(args.limit + 1).execute(), args.limit);
}

export async function listPeople(
  db: Executor,
  args: PageArgs & { role?: string | undefined; siteId?: string | undefined; studentNumber?: string | undefined },
) {
  // Never badge or PIN hashes.
  let q = db
    .selectFrom('people')
    .select(['id', 'site_id', 'role', 'external_id', 'student_number', 'given_name', 'family_name', 'grade', 'agreement_accepted_at', 'active']);
  if (args.role) q = q.where('role', '=', args.role as never);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.studentNumber) q = q.where('student_number', '=', args.studentNumber);
  if (args.cursor) q = q.where('id', '>', args.cursor);
  const result = page(await q.orderBy('id').limit(args.limit + 1).execute(), args.limit);
  return { ...result, items: result.items.map((p) => ({ ...p, active: p.active === 1 })) };
}

export async function listLoans(
  db: Executor,
  args: PageArgs & { status?: string | undefined; personId?: string | undefined; deviceId?: string | undefined; stationId?: string | undefined },
) {
  let q = db.selectFrom('loans').selectAll();
  if (args.status) q = q.where('status', '=', args.status as never);
  if (args.personId) q = q.where('person_id', '=', args.personId);
  if (args.deviceId) q = q.where('device_id', '=', args.deviceId);
  if (args.stationId) q = q.where('station_id', '=', args.stationId);
  if (args.cursor) q = q.where('id', '>', args.cursor);
  return page(await q.orderBy('id').limit(args.limit + 1).execute(), args.limit);
}

/** Newest first; the cursor is an audit sequence number. */
export async function listAuditEvents(
  db: Executor,
  args: PageArgs & {
    entityType?: string | undefined;
    entityId?: string | undefined;
    action?: string | undefined;
    transactionId?: string | undefined;
    stationId?: string | undefined;
  },
) {
  // Only sealed events: they have their place in the chain (unsealed ones are moments old).
  let q = db.selectFrom('audit_events').selectAll().where('seq', 'is not', null);
  if (args.entityType) q = q.where('entity_type', '=', args.entityType);
  if (args.entityId) q = q.where('entity_id', '=', args.entityId);
  if (args.action) q = q.where('action', '=', args.action);
  if (args.transactionId) q = q.where('transaction_id', '=', args.transactionId);
  if (args.stationId) q = q.where('station_id', '=', args.stationId);
  if (args.cursor) q = q.where('seq', '<', Number(args.cursor));
  const rows = await q.orderBy('seq', 'desc').limit(args.limit + 1).execute();
  const items = rows.slice(0, args.limit).map((r) => ({ ...r, seq: Number(r.seq), data: parseJson(r.data) }));
  return { items, nextCursor: rows.length > args.limit ? String(items.at(-1)?.seq) : null };
}
