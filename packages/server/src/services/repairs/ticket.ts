import {
  can,
  DomainError,
  isDomainError,
  nextRepair,
  repairDashboardEvents,
  repairStatuses,
  warrantyState,
  type AuditActorType,
  type Principal,
  type RepairStatus,
} from '@cubby/core';
import {
  findAuditNames,
  findRepairLoaner,
  findRepairPickup,
  findRepairTicketDetail,
  findSite,
  listRepairPhotos,
  repairTicketAudit,
  type Executor,
} from '@cubby/db';
import type { RepairLinks, RepairPhoto, RepairStep, RepairTicketDetail } from '@cubby/protocol/api';
import { districtTimeZone } from '../audit/audit-log.js';
import { theDistrictId } from '../district-records.js';

/** A ticket the caller may see (their campuses: where its device is, or where it was reported); else not_found. */
export async function ticketFor(db: Executor, principal: Principal, id: string) {
  const [ticket, districtId] = await Promise.all([findRepairTicketDetail(db, id, principal.siteIds), theDistrictId({ db })]);
  if (!ticket || ticket.district_id !== districtId) throw new DomainError('not_found', 'No such repair ticket');
  return ticket;
}

export type TicketRow = Awaited<ReturnType<typeof ticketFor>>;

/**
 * The ticket page (issue 14): the device with its warranty now, the person,
 * the symptom, the bench's notes, parts and cost, who did each step and when
 * (from the ticket's audit trail), its photos, and the links swap → ticket →
 * loaner → pickup.
 */
export async function repairTicketDetail(
  db: Executor,
  principal: Principal,
  id: string,
  now = Date.now(),
): Promise<RepairTicketDetail> {
  const t = await ticketFor(db, principal, id);
  const [events, photos, loaner, pickup, site] = await Promise.all([
    repairTicketAudit(db, t.id),
    listRepairPhotos(db, t.id),
    t.loan_id ? findRepairLoaner(db, t.loan_id) : undefined,
    findRepairPickup(db, t.id),
    t.site_id ? findSite(db, t.site_id) : undefined,
  ]);
  const names = await actorNames(db, principal, events, t.person_id);
  const steps = stepsOf(t, events, names);
  return {
    id: t.id,
    status: t.status,
    symptom: t.symptom,
    notes: t.notes,
    parts: t.parts,
    costCents: t.cost_cents,
    vendorRef: t.vendor_ref ?? null,
    warrantyClaim: t.warranty_claim === 1,
    feeCents: t.fee_cents,
    technicianId: t.technician_id ?? null,
    technicianName: t.technician_name ?? null,
    openedBy: t.opened_by ?? null,
    siteId: t.site_id,
    campusName: site?.name ?? null,
    reportedAt: t.entered.reported!,
    device: {
      id: t.device_id,
      assetTag: t.asset_tag,
      model: t.model,
      serial: t.serial,
      status: t.device_status,
      warrantyEndsAt: t.warranty_end,
      warranty: warrantyState(t.warranty_end, now),
    },
    person: t.person_id ? { id: t.person_id, name: names.people.get(t.person_id) ?? null } : null,
    steps,
    photos: photos as RepairPhoto[],
    links: linksOf(t, loaner, pickup),
    nextEvents: dashboardMoves(t.status),
    timeZone: site?.time_zone ?? (await districtTimeZone(db, principal.siteIds)),
  };
}

type TicketEvent = Awaited<ReturnType<typeof repairTicketAudit>>[number];
type Names = Awaited<ReturnType<typeof findAuditNames>>;

/** The names of the ticket's actors and its person, as far as the viewer may see them. */
function actorNames(db: Executor, principal: Principal, events: TicketEvent[], personId: string | null) {
  const of = (type: string) => events.filter((e) => e.actorType === type && e.actorId !== null).map((e) => e.actorId!);
  return findAuditNames(
    db,
    {
      people: [...of('person'), ...(personId ? [personId] : [])],
      stations: of('station'),
      users: of('user'),
      devices: [],
      sites: [],
      loans: [],
    },
    { scope: principal.siteIds, people: can(principal, 'people:read') },
  );
}

function nameOf(names: Names, type: AuditActorType, actorId: string | null): string | null {
  if (actorId === null) return null;
  if (type === 'person') return names.people.get(actorId) ?? null;
  if (type === 'station') return names.stations.get(actorId)?.name ?? null;
  if (type === 'user') return names.users.get(actorId) ?? null;
  return null;
}

/**
 * Each state the ticket entered, when and by whom: the audit event written
 * with the move (the same transaction, so the same time), preferring the one
 * that names the state it moved to.
 */
function stepsOf(t: TicketRow, events: TicketEvent[], names: Names): RepairStep[] {
  const steps: RepairStep[] = [];
  for (const status of repairStatuses) {
    const at = t.entered[status];
    if (at === null) continue;
    const event =
      events.find((e) => e.at === at && e.data.to === status) ??
      events.find((e) => e.at === at && e.action !== 'repair.updated' && e.action !== 'repair.photo_added');
    const actorType = event ? (event.actorType as AuditActorType) : null;
    steps.push({
      status,
      at,
      actorType,
      actorId: event?.actorId ?? null,
      actorName: event && actorType ? nameOf(names, actorType, event.actorId) : null,
    });
  }
  return steps.sort((a, b) => a.at - b.at || repairStatuses.indexOf(a.status) - repairStatuses.indexOf(b.status));
}

/** swap → ticket → loaner → pickup. */
function linksOf(
  t: TicketRow,
  loaner: Awaited<ReturnType<typeof findRepairLoaner>>,
  pickup: Awaited<ReturnType<typeof findRepairPickup>>,
): RepairLinks {
  return {
    swap:
      t.transaction_id && t.swap_station_id && t.swap_kind && t.swap_at !== null
        ? {
            transactionId: t.transaction_id,
            kind: t.swap_kind,
            stationId: t.swap_station_id,
            stationName: t.swap_station_name,
            at: t.swap_at,
          }
        : null,
    loaner: loaner
      ? {
          loanId: loaner.id,
          deviceId: loaner.device_id,
          assetTag: loaner.asset_tag,
          status: loaner.status,
          returned: loaner.status === 'returned',
          endedAt: loaner.ended_at,
        }
      : null,
    pickup: pickup
      ? {
          transactionId: pickup.id,
          stationId: pickup.station_id,
          stationName: pickup.station_name,
          at: pickup.created_at,
          completedAt: pickup.completed_at,
        }
      : null,
  };
}

/** The dashboard's moves core allows from this state. */
export function dashboardMoves(status: RepairStatus) {
  return repairDashboardEvents.filter((type) => !isDomainError(nextRepair(status, { type })));
}
