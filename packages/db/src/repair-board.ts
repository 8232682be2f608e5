import type { RepairStatus } from '@cubby/core';
import { sql } from 'kysely';
import { parseJson } from './json.js';
import { repairAtSites } from './repairs.js';
import type { RepairPhotoTable, RepairTicketTable } from './schema.js';
import type { Executor } from './transaction.js';

/**
 * The repair workflow on the dashboard (issue 14): the board and its
 * turnaround's times, the ticket page, hand-opened tickets' checks, edits and
 * photos. Ticket moves stay moveRepairTicket's (repairs.ts).
 */

/** The times a ticket entered each state, as the board and turnaround read them. */
const enteredColumns = [
  'repair_tickets.reported_at',
  'repair_tickets.awaiting_collection_at',
  'repair_tickets.collected_at',
  'repair_tickets.in_repair_at',
  'repair_tickets.repaired_at',
  'repair_tickets.ready_for_pickup_at',
  'repair_tickets.closed_at',
  'repair_tickets.retired_at',
] as const;

type EnteredRow = Pick<
  RepairTicketTable,
  | 'reported_at'
  | 'awaiting_collection_at'
  | 'collected_at'
  | 'in_repair_at'
  | 'repaired_at'
  | 'ready_for_pickup_at'
  | 'closed_at'
  | 'retired_at'
>;

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** A ticket's `*_at` columns keyed by state (core's RepairEntered). */
export function enteredOf(r: EnteredRow): Record<RepairStatus, number | null> {
  return {
    reported: Number(r.reported_at),
    awaiting_collection: num(r.awaiting_collection_at),
    collected: num(r.collected_at),
    in_repair: num(r.in_repair_at),
    repaired: num(r.repaired_at),
    ready_for_pickup: num(r.ready_for_pickup_at),
    closed: num(r.closed_at),
    retired: num(r.retired_at),
  };
}

export interface RepairBoardFilter {
  /** The viewer's campuses; null: the district. */
  scope: readonly string[] | null;
  siteId?: string | undefined;
  model?: string | undefined;
  symptom?: string | undefined;
  technicianId?: string | undefined;
}

/** Tickets with their device, their reporting station's campus, and the campus they belong to. */
function boardBase(db: Executor, filter: RepairBoardFilter) {
  let q = db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .leftJoin('kiosk_transactions', 'kiosk_transactions.id', 'repair_tickets.transaction_id')
    .leftJoin('stations as reported_station', 'reported_station.id', 'kiosk_transactions.station_id');
  if (filter.scope) q = q.where(repairAtSites(filter.scope));
  if (filter.siteId) q = q.where(repairAtSites([filter.siteId]));
  if (filter.model) q = q.where('devices.model', '=', filter.model);
  if (filter.symptom) q = q.where('repair_tickets.symptom', '=', filter.symptom as RepairTicketTable['symptom']);
  if (filter.technicianId) q = q.where('repair_tickets.technician_id', '=', filter.technicianId);
  return q;
}

/** The campus a ticket belongs to: its device's home campus, else the campus it was reported at. */
const ticketSiteId = sql<string | null>`coalesce(devices.site_id, reported_station.site_id)`;

/**
 * The cards of the repair board: every open ticket, and the ones closed or
 * retired since `endedSince`, with what a card shows. Names of people only
 * with `withNames` (people:read).
 */
export async function repairBoardRows(db: Executor, filter: RepairBoardFilter & { endedSince: number; withNames: boolean }) {
  const rows = await boardBase(db, filter)
    .leftJoin('people', 'people.id', 'repair_tickets.person_id')
    .leftJoin('users as technician', 'technician.id', 'repair_tickets.technician_id')
    .select([
      'repair_tickets.id',
      'repair_tickets.status',
      'repair_tickets.device_id as deviceId',
      'devices.asset_tag as assetTag',
      'devices.model',
      'repair_tickets.person_id as personId',
      'people.given_name',
      'people.family_name',
      'repair_tickets.symptom',
      'repair_tickets.technician_id as technicianId',
      'technician.name as technicianName',
      'repair_tickets.cost_cents as costCents',
      ticketSiteId.as('siteId'),
      sql<string | null>`(select s.name from sites s where s.id = ${ticketSiteId})`.as('campusName'),
      ...enteredColumns,
    ])
    .where((eb) =>
      eb.or([
        eb('repair_tickets.status', 'not in', ['closed', 'retired']),
        eb('repair_tickets.closed_at', '>=', filter.endedSince),
        eb('repair_tickets.retired_at', '>=', filter.endedSince),
      ]),
    )
    .orderBy('repair_tickets.reported_at')
    .orderBy('repair_tickets.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    deviceId: r.deviceId,
    assetTag: r.assetTag,
    model: r.model,
    personId: r.personId,
    personName: filter.withNames && r.given_name !== null ? `${r.given_name} ${r.family_name}` : null,
    symptom: r.symptom,
    technicianId: r.technicianId ?? null,
    technicianName: r.technicianName,
    costCents: num(r.costCents),
    siteId: r.siteId,
    campusName: r.campusName,
    entered: enteredOf(r),
  }));
}

/** Only the times, campus and model of the tickets reported since `since` (turnaround is computed in core). */
export async function repairTurnaroundRows(db: Executor, filter: RepairBoardFilter & { since: number }) {
  const rows = await boardBase(db, filter)
    .select(['devices.model', ticketSiteId.as('siteId'), ...enteredColumns])
    .where('repair_tickets.reported_at', '>=', filter.since)
    .execute();
  return rows.map((r) => ({ model: r.model, siteId: r.siteId, entered: enteredOf(r) }));
}

/** A ticket's campus (its device's, else where it was reported): who may hear of a change to it (routes/live.ts). */
export async function findRepairTicketSiteId(db: Executor, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .leftJoin('kiosk_transactions', 'kiosk_transactions.id', 'repair_tickets.transaction_id')
    .leftJoin('stations as reported_station', 'reported_station.id', 'kiosk_transactions.station_id')
    .select(ticketSiteId.as('siteId'))
    .where('repair_tickets.id', '=', id)
    .executeTakeFirst();
  return row?.siteId ?? null;
}

/** One ticket as its page shows it, if the viewer's campuses (null: the district) see it. */
export async function findRepairTicketDetail(db: Executor, id: string, scope: readonly string[] | null) {
  let q = db
    .selectFrom('repair_tickets')
    .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
    .leftJoin('kiosk_transactions', 'kiosk_transactions.id', 'repair_tickets.transaction_id')
    .leftJoin('stations as reported_station', 'reported_station.id', 'kiosk_transactions.station_id')
    .leftJoin('users as technician', 'technician.id', 'repair_tickets.technician_id')
    .select([
      'repair_tickets.id',
      'repair_tickets.status',
      'repair_tickets.symptom',
      'repair_tickets.notes',
      'repair_tickets.parts',
      'repair_tickets.cost_cents',
      'repair_tickets.vendor_ref',
      'repair_tickets.warranty_claim',
      'repair_tickets.fee_cents',
      'repair_tickets.technician_id',
      'technician.name as technician_name',
      'repair_tickets.opened_by',
      'repair_tickets.person_id',
      'repair_tickets.loan_id',
      'repair_tickets.transaction_id',
      'repair_tickets.device_id',
      'devices.district_id',
      'devices.asset_tag',
      'devices.model',
      'devices.serial',
      'devices.status as device_status',
      'devices.warranty_end',
      'kiosk_transactions.station_id as swap_station_id',
      'kiosk_transactions.created_at as swap_at',
      'kiosk_transactions.kind as swap_kind',
      'reported_station.name as swap_station_name',
      ticketSiteId.as('site_id'),
      ...enteredColumns,
    ])
    .where('repair_tickets.id', '=', id);
  if (scope) q = q.where(repairAtSites(scope));
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  return {
    ...r,
    parts: r.parts ?? '',
    cost_cents: num(r.cost_cents),
    fee_cents: num(r.fee_cents),
    warranty_end: num(r.warranty_end),
    swap_at: num(r.swap_at),
    entered: enteredOf(r),
  };
}

/** The ticket's own audit events, oldest first (who did each step). */
export async function repairTicketAudit(db: Executor, ticketId: string) {
  const rows = await db
    .selectFrom('audit_events')
    .select(['at', 'actor_type', 'actor_id', 'action', 'data'])
    .where('entity_type', '=', 'repair_ticket')
    .where('entity_id', '=', ticketId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: Number(r.at),
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    data: parseJson<Record<string, unknown>>(r.data),
  }));
}

/** The loan lent with a ticket's swap, with its loaner. */
export async function findRepairLoaner(db: Executor, loanId: string) {
  const r = await db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select(['loans.id', 'loans.device_id', 'devices.asset_tag', 'loans.status', 'loans.ended_at'])
    .where('loans.id', '=', loanId)
    .executeTakeFirst();
  return r && { ...r, ended_at: num(r.ended_at) };
}

/** The kiosk visit that picked the repaired device up (or is picking it up), the latest first. */
export async function findRepairPickup(db: Executor, ticketId: string) {
  const r = await db
    .selectFrom('kiosk_transactions')
    .innerJoin('stations', 'stations.id', 'kiosk_transactions.station_id')
    .select([
      'kiosk_transactions.id',
      'kiosk_transactions.station_id',
      'stations.name as station_name',
      'kiosk_transactions.created_at',
      'kiosk_transactions.completed_at',
    ])
    .where('kiosk_transactions.repair_ticket_id', '=', ticketId)
    .where('kiosk_transactions.kind', '=', 'pickup')
    .orderBy('kiosk_transactions.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && { ...r, created_at: Number(r.created_at), completed_at: num(r.completed_at) };
}

/** The ticket of this device that is neither closed nor retired (at most one: repair_tickets_one_open_per_device). */
export function openRepairTicketOf(db: Executor, deviceId: string) {
  return db
    .selectFrom('repair_tickets')
    .select(['id', 'status'])
    .where('device_id', '=', deviceId)
    .where('status', 'not in', ['closed', 'retired'])
    .executeTakeFirst();
}

/** The fields a ticket's page edits (never its status: that moves through moveRepairTicket). */
export type RepairTicketFields = Partial<
  Pick<RepairTicketTable, 'notes' | 'parts' | 'cost_cents' | 'vendor_ref' | 'technician_id'>
>;

export async function updateRepairTicketFields(db: Executor, id: string, fields: RepairTicketFields): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await db.updateTable('repair_tickets').set(fields).where('id', '=', id).execute();
}

export async function insertRepairPhoto(db: Executor, photo: RepairPhotoTable): Promise<void> {
  await db.insertInto('repair_photos').values(photo).execute();
}

/** A ticket's photos without their bytes, oldest first, with the uploader's name. */
export async function listRepairPhotos(db: Executor, ticketId: string) {
  const rows = await db
    .selectFrom('repair_photos')
    .leftJoin('users', 'users.id', 'repair_photos.uploaded_by')
    .leftJoin('api_tokens', 'api_tokens.id', 'repair_photos.uploaded_by')
    .select([
      'repair_photos.id',
      'repair_photos.content_type',
      'repair_photos.size',
      'repair_photos.uploaded_by',
      'repair_photos.uploaded_at',
      'users.name as user_name',
      'api_tokens.name as token_name',
    ])
    .where('repair_photos.ticket_id', '=', ticketId)
    .orderBy('repair_photos.uploaded_at')
    .orderBy('repair_photos.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    contentType: r.content_type,
    size: Number(r.size),
    uploadedBy: r.uploaded_by,
    uploadedByName: r.user_name ?? r.token_name ?? null,
    uploadedAt: Number(r.uploaded_at),
  }));
}

/** One photo's bytes, only as a photo of that ticket. */
export async function findRepairPhoto(db: Executor, ticketId: string, photoId: string) {
  return db
    .selectFrom('repair_photos')
    .select(['content_type', 'bytes', 'size'])
    .where('id', '=', photoId)
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
}

/** Dashboard users a ticket may be assigned to: technicians and site admins (not disabled), of this district. */
export async function repairTechnicians(db: Executor, districtId: string) {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'site_ids'])
    .where('district_id', '=', districtId)
    .where('disabled', '=', 0)
    .where('role', 'in', ['technician', 'site_admin', 'district_admin'])
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    siteIds: r.site_ids === null ? null : parseJson<string[]>(r.site_ids),
  }));
}
