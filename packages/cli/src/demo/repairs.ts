import { repairStatuses, type DeviceEvent, type DeviceStatus, type RepairStatus, type RepairSymptom } from '@cubby/core';
import {
  appendSealedAuditEvents,
  findCompartment,
  insertRepairTickets,
  moveDevice,
  newId,
  stockCompartment,
  type AuditBody,
  type CubbyDb,
  type RepairTicketTable,
} from '@cubby/db';

/**
 * Open repair tickets in every state, so a newcomer finds work on the repair
 * board and at the locker at once: at each campus's first station a broken
 * Chromebook waits behind a door for a technician (technician mode's
 * "collect"), and at the first campus a repaired one waits behind another
 * door for its owner (the student's "pick up"). The others are in the IT
 * office: collected, on the bench, repaired (ready to be placed for pickup),
 * just reported, and one retired beyond repair. Closed tickets come from the
 * history. Devices move by core's events, as everywhere.
 */
export interface DemoRepairsInput {
  campuses: {
    stationId: string;
    /** Students of the campus whose own device may go in for repair (not the banner's). */
    students: { id: string; ownDeviceId: string }[];
    technicianId: string;
  }[];
  now: number;
}

/** The door a broken device waits behind, and the one a repaired device waits behind for its owner. */
export const collectionDoor = 10;
export const pickupDoor = 11;

const hour = 3_600_000;
const day = 24 * hour;

/** Each state's device events from in service, and how long ago the ticket was reported. */
const plans: { status: RepairStatus; events: DeviceEvent['type'][]; symptom: RepairSymptom; ago: number; notes: string }[] = [
  { status: 'reported', events: [], symptom: 'keyboard', ago: 3 * hour, notes: 'Reported by the student: the K key sticks' },
  { status: 'awaiting_collection', events: ['flag_broken'], symptom: 'screen', ago: 20 * hour, notes: '' },
  { status: 'collected', events: ['flag_broken', 'collect_for_repair'], symptom: 'charging_port', ago: 2 * day, notes: '' },
  {
    status: 'in_repair',
    events: ['flag_broken', 'collect_for_repair'],
    symptom: 'screen',
    ago: 4 * day,
    notes: 'Cracked panel; replacement screen ordered',
  },
  {
    status: 'repaired',
    events: ['flag_broken', 'collect_for_repair'],
    symptom: 'battery',
    ago: 6 * day,
    notes: 'New battery fitted',
  },
  {
    status: 'ready_for_pickup',
    events: ['flag_broken', 'collect_for_repair', 'repaired'],
    symptom: 'wont_turn_on',
    ago: 5 * day,
    notes: 'Reseated the battery connector',
  },
  {
    status: 'retired',
    events: ['flag_broken', 'collect_for_repair', 'retire'],
    symptom: 'liquid',
    ago: 9 * day,
    notes: 'Liquid damage to the mainboard: beyond repair',
  },
];

export async function writeDemoRepairs(cubby: CubbyDb, input: DemoRepairsInput): Promise<{ tickets: number }> {
  const tickets: RepairTicketTable[] = [];
  const audits: AuditBody[] = [];
  for (const [c, campus] of input.campuses.entries()) {
    // Every campus has a device waiting at its locker; the first has every state.
    const here = c === 0 ? plans : plans.filter((p) => p.status === 'awaiting_collection' || p.status === 'in_repair');
    for (const [i, plan] of here.entries()) {
      const student = campus.students[i];
      if (!student) throw new Error('the demo campus has too few students for its repair tickets');
      const reportedAt = input.now - plan.ago;
      let status: DeviceStatus = 'in_service';
      for (const type of plan.events)
        status = await moveDevice(cubby.db, { id: student.ownDeviceId, from: status, event: { type }, now: reportedAt });
      const door =
        plan.status === 'awaiting_collection' ? collectionDoor : plan.status === 'ready_for_pickup' ? pickupDoor : null;
      let compartmentId: string | null = null;
      if (door !== null) {
        await stockCompartment(cubby.db, campus.stationId, door, student.ownDeviceId, input.now, {
          onCharger: plan.status === 'ready_for_pickup',
        });
        compartmentId = (await findCompartment(cubby.db, campus.stationId, door))!.id;
      }
      const ticket = demoTicket(plan, student, reportedAt, compartmentId, input.now);
      tickets.push(ticket);
      audits.push(...ticketAudits(ticket, campus, plan.status));
    }
  }
  await insertRepairTickets(cubby.db, tickets);
  audits.sort((a, b) => a.at - b.at);
  await appendSealedAuditEvents(cubby.db, audits);
  return { tickets: tickets.length };
}

/** The ticket with the time it entered each state it has passed, spread between its report and now. */
function demoTicket(
  plan: (typeof plans)[number],
  student: { id: string; ownDeviceId: string },
  reportedAt: number,
  compartmentId: string | null,
  now: number,
): RepairTicketTable {
  const road: readonly RepairStatus[] = repairStatuses.filter((s) => s !== 'retired' && s !== 'closed');
  const reached = plan.status === 'retired' ? road.indexOf('in_repair') : road.indexOf(plan.status);
  const at = (status: RepairStatus) => {
    const i = road.indexOf(status);
    return i <= reached ? Math.round(reportedAt + ((now - reportedAt) * i) / (reached + 2)) : null;
  };
  return {
    id: newId(),
    device_id: student.ownDeviceId,
    person_id: student.id,
    transaction_id: null,
    loan_id: null,
    status: plan.status,
    symptom: plan.symptom,
    notes: plan.notes,
    cost_cents: plan.status === 'repaired' || plan.status === 'ready_for_pickup' ? 4900 : null,
    warranty_claim: plan.symptom === 'battery' ? 1 : 0,
    fee_cents: null,
    compartment_id: compartmentId,
    reported_at: reportedAt,
    awaiting_collection_at: at('awaiting_collection'),
    collected_at: at('collected'),
    in_repair_at: at('in_repair'),
    repaired_at: at('repaired'),
    ready_for_pickup_at: at('ready_for_pickup'),
    closed_at: null,
    retired_at: plan.status === 'retired' ? now - hour : null,
  };
}

/** Who did each step: the student reported it, the campus's technician did the rest. */
function ticketAudits(
  ticket: RepairTicketTable,
  campus: DemoRepairsInput['campuses'][number],
  status: RepairStatus,
): AuditBody[] {
  const event = (at: number | null, action: string, actorId: string, door: number | null): AuditBody[] =>
    at === null
      ? []
      : [
          {
            seq: null,
            id: newId(),
            at,
            actor_type: 'person',
            actor_id: actorId,
            action,
            entity_type: 'repair_ticket',
            entity_id: ticket.id,
            station_id: door === null ? null : campus.stationId,
            transaction_id: null,
            data: { deviceId: ticket.device_id, symptom: ticket.symptom, ...(door === null ? {} : { compartment: door }) },
          },
        ];
  const tech = campus.technicianId;
  return [
    // Reported to the IT office (the device still with its student), or left at the locker.
    ...(status === 'reported'
      ? event(ticket.reported_at, 'repair.opened', tech, null)
      : event(ticket.reported_at, 'repair.created', ticket.person_id!, collectionDoor)),
    ...event(ticket.collected_at, 'repair.collected', tech, collectionDoor),
    ...event(ticket.in_repair_at, 'repair.started', tech, null),
    ...event(ticket.repaired_at, 'repair.finished', tech, null),
    ...event(ticket.ready_for_pickup_at, 'repair.ready_for_pickup', tech, pickupDoor),
    ...event(ticket.retired_at, 'repair.retired', tech, null),
  ];
}
