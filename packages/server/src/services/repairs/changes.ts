import {
  DomainError,
  handOpenedRepairStatus,
  isDomainError,
  isInCompartment,
  isOpenLoan,
  lifecycleEvent,
  nextRepair,
  type DeviceStatus,
  type Principal,
  type RepairStatus,
} from '@cubby/core';
import {
  findLoan,
  hasOpenLoan,
  insertRepairTicket,
  moveDevice,
  moveRepairTicket,
  newId,
  openRepairTicketOf,
  repairTechnicians,
  updateRepairTicketFields,
  type RepairTicketFields,
  type Tx,
} from '@cubby/db';
import type { RepairChange, RepairMoveInput, RepairOpen, RepairTicketDetail } from '@cubby/protocol/api';
import { announceRepair, transact, type Services } from '../deps.js';
import { byWhom, deviceFor, personFor, theDistrictId } from '../district-records.js';
import { repairTicketDetail, ticketFor, type TicketRow } from './ticket.js';

/**
 * The changes the dashboard makes to repair tickets (issue 14): opening one
 * by hand, the bench's moves, editing its notes, parts, cost, vendor
 * reference and technician. Each state change is core's (nextRepair,
 * nextDevice) applied by db's conditional moves, and each change is audited
 * with its actor; a ticket of another campus is not_found, a stale move a
 * 409 problem.
 */

const actor = (principal: Principal) => ({ actorType: 'user' as const, actorId: principal.id });

/**
 * A device brought to the IT office: its ticket opens `collected` (it is in
 * IT's hands), and the device goes to repair by its own machine's events
 * (flagged broken, collected for repair). A device in a locker, on loan, or
 * with an open ticket already is refused.
 */
export async function openRepair(services: Services, principal: Principal, body: RepairOpen): Promise<RepairTicketDetail> {
  const id = await transact(services, async (tx) => {
    const device = await deviceFor(tx, principal, body.deviceId);
    const open = await openRepairTicketOf(tx.db, device.id);
    if (open)
      throw new DomainError('conflict', 'This device already has an open repair ticket', {
        reason: 'open_ticket',
        ticketId: open.id,
      });
    const personId = body.personId === undefined ? device.ownerId : body.personId;
    if (personId) await personFor(tx, principal, personId);
    const loanId = body.loanId ?? null;
    if (loanId) await loanOf(tx, loanId, personId);
    const deviceFrom = device.status;
    const deviceTo = await handInDevice(tx, device.id, deviceFrom);
    const ticketId = await insertHandOpened(tx, principal, { deviceId: device.id, personId, loanId, body });
    tx.audit({
      ...actor(principal),
      action: 'repair.opened',
      entityType: 'repair_ticket',
      entityId: ticketId,
      data: {
        deviceId: device.id,
        symptom: body.symptom,
        to: handOpenedRepairStatus,
        deviceFrom,
        deviceTo,
        ...(personId ? { personId } : {}),
        ...(loanId ? { loanId } : {}),
        by: byWhom(principal),
      },
    });
    announceRepair(tx, { id: ticketId, deviceId: device.id }, handOpenedRepairStatus);
    return ticketId;
  });
  return repairTicketDetail(services.cubby.db, principal, id);
}

/** The ticket row of a device brought in by hand: reported and collected now, the locker skipped. */
async function insertHandOpened(
  tx: Tx,
  principal: Principal,
  t: { deviceId: string; personId: string | null; loanId: string | null; body: RepairOpen },
): Promise<string> {
  const ticketId = newId();
  await insertRepairTicket(tx.db, {
    id: ticketId,
    device_id: t.deviceId,
    person_id: t.personId,
    transaction_id: null,
    loan_id: t.loanId,
    status: handOpenedRepairStatus,
    symptom: t.body.symptom,
    notes: t.body.notes ?? '',
    cost_cents: null,
    warranty_claim: 0,
    fee_cents: null,
    compartment_id: null,
    reported_at: tx.now,
    awaiting_collection_at: null,
    collected_at: tx.now,
    in_repair_at: null,
    repaired_at: null,
    ready_for_pickup_at: null,
    closed_at: null,
    retired_at: null,
    parts: '',
    vendor_ref: null,
    opened_by: principal.id,
    technician_id: null,
  });
  return ticketId;
}

/** The device goes to repair by its machine's events; a lost device found is there already (`found`). */
async function handInDevice(tx: Tx, deviceId: string, from: DeviceStatus): Promise<DeviceStatus> {
  if (from === 'in_repair') return from;
  if (isInCompartment(from))
    throw new DomainError('invalid_transition', 'This device is in a locker: collect it at the station', {
      entity: 'device',
      state: from,
      reason: 'in_locker',
    });
  if (from === 'on_loan' || (await hasOpenLoan(tx.db, deviceId)))
    throw new DomainError('invalid_transition', 'This device is on loan: return it at the kiosk first', {
      entity: 'device',
      state: from,
      reason: 'on_loan',
    });
  const flagged = await moveDevice(tx.db, { id: deviceId, from, event: { type: 'flag_broken' }, now: tx.now });
  return moveDevice(tx.db, { id: deviceId, from: flagged, event: { type: 'collect_for_repair' }, now: tx.now });
}

async function loanOf(tx: Tx, loanId: string, personId: string | null) {
  const loan = await findLoan(tx.db, loanId);
  if (!loan || loan.person_id !== personId || !isOpenLoan(loan.status))
    throw new DomainError('bad_request', 'That is not a loaner this person holds now', { reason: 'unknown_loan' });
  return loan;
}

const moveActions = {
  repair_started: 'repair.started',
  repair_finished: 'repair.finished',
  retire: 'repair.retired',
} as const;

/** A move from the board or the ticket page; `from` (the state the client saw) makes a stale move a 409. */
export async function moveRepair(
  services: Services,
  principal: Principal,
  id: string,
  body: RepairMoveInput,
): Promise<RepairTicketDetail> {
  await transact(services, async (tx) => {
    const t = await ticketFor(tx.db, principal, id);
    if (body.from !== undefined && body.from !== t.status)
      throw new DomainError('conflict', 'The ticket has moved since it was shown', {
        reason: 'stale',
        entity: 'repair ticket',
        state: t.status,
      });
    const outcome = nextRepair(t.status, { type: body.event });
    if (isDomainError(outcome)) throw outcome;
    const device = body.event === 'retire' ? await retireDevice(tx, principal, t) : null;
    const to = await moveByEvent(tx, t.id, t.status, body.event);
    tx.audit({
      ...actor(principal),
      action: moveActions[body.event],
      entityType: 'repair_ticket',
      entityId: t.id,
      data: {
        deviceId: t.device_id,
        from: t.status,
        to,
        ...(device ? { deviceFrom: device.from, deviceTo: device.to } : {}),
        by: byWhom(principal),
      },
    });
    announceRepair(tx, { id: t.id, deviceId: t.device_id }, to);
  });
  return repairTicketDetail(services.cubby.db, principal, id);
}

/** Each move, spelled as core's event (the state-change test reads these literals). */
function moveByEvent(tx: Tx, id: string, from: RepairStatus, event: RepairMoveInput['event']): Promise<RepairStatus> {
  const now = tx.now;
  switch (event) {
    case 'repair_started':
      return moveRepairTicket(tx.db, { id, from, event: { type: 'repair_started' }, now });
    case 'repair_finished':
      return moveRepairTicket(tx.db, { id, from, event: { type: 'repair_finished' }, now });
    case 'retire':
      return moveRepairTicket(tx.db, { id, from, event: { type: 'retire' }, now, set: { compartment_id: null } });
  }
}

/**
 * A ticket retired is a device beyond repair: the device retires too (the
 * lifecycle's rules: not from a locker, not on loan), audited on the device.
 * One retired already stays as it is.
 */
async function retireDevice(tx: Tx, principal: Principal, t: TicketRow) {
  const from = t.device_status;
  if (from === 'retired') return null;
  const step = { type: 'retire', reason: 'beyond_repair', certificateRef: null } as const;
  const event = lifecycleEvent({ status: from, onLoan: await hasOpenLoan(tx.db, t.device_id) }, step);
  if (isDomainError(event)) throw event;
  const to = await moveDevice(tx.db, { id: t.device_id, from, event: { type: 'retire' }, now: tx.now });
  tx.audit({
    ...actor(principal),
    action: 'device.retired',
    entityType: 'device',
    entityId: t.device_id,
    data: {
      deviceId: t.device_id,
      from,
      to,
      reason: step.reason,
      certificateRef: null,
      ticketId: t.id,
      by: byWhom(principal),
    },
  });
  return { from, to };
}

/** Notes, parts, cost, vendor reference and technician; only what differs is written and audited (names of fields, not the notes' text). */
export async function changeRepair(
  services: Services,
  principal: Principal,
  id: string,
  body: RepairChange,
): Promise<RepairTicketDetail> {
  await transact(services, async (tx) => {
    const t = await ticketFor(tx.db, principal, id);
    if (body.technicianId) await technicianFor(tx, principal, t, body.technicianId);
    const wanted: RepairTicketFields = {
      ...(body.notes !== undefined ? { notes: body.notes } : {}),
      ...(body.parts !== undefined ? { parts: body.parts } : {}),
      ...(body.costCents !== undefined ? { cost_cents: body.costCents } : {}),
      ...(body.vendorRef !== undefined ? { vendor_ref: body.vendorRef } : {}),
      ...(body.technicianId !== undefined ? { technician_id: body.technicianId } : {}),
    };
    const now: RepairTicketFields = {
      notes: t.notes,
      parts: t.parts,
      cost_cents: t.cost_cents,
      vendor_ref: t.vendor_ref ?? null,
      technician_id: t.technician_id ?? null,
    };
    const changed = Object.fromEntries(
      Object.entries(wanted).filter(([k, v]) => now[k as keyof RepairTicketFields] !== v),
    ) as RepairTicketFields;
    const fields = Object.keys(changed);
    if (fields.length === 0) return;
    await updateRepairTicketFields(tx.db, t.id, changed);
    tx.audit({
      ...actor(principal),
      action: 'repair.updated',
      entityType: 'repair_ticket',
      entityId: t.id,
      data: {
        deviceId: t.device_id,
        fields: fields.map(camel),
        ...(changed.cost_cents !== undefined ? { costCents: changed.cost_cents } : {}),
        ...(changed.technician_id !== undefined ? { technicianId: changed.technician_id } : {}),
        by: byWhom(principal),
      },
    });
    announceRepair(tx, { id: t.id, deviceId: t.device_id }, t.status);
  });
  return repairTicketDetail(services.cubby.db, principal, id);
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A technician the ticket may be assigned to: a dashboard user of the district, active, who sees the ticket's campus. */
async function technicianFor(tx: Tx, principal: Principal, t: TicketRow, userId: string) {
  const users = await repairTechnicians(tx.db, await theDistrictId(tx));
  const user = users.find((u) => u.id === userId);
  const seesTicket = (siteIds: string[] | null) => siteIds === null || (t.site_id !== null && siteIds.includes(t.site_id));
  if (!user || !seesTicket(user.siteIds) || !seesTicket(principal.siteIds === null ? null : [...principal.siteIds]))
    throw new DomainError('bad_request', 'That is not a technician of this campus', { reason: 'unknown_technician' });
  return user;
}
