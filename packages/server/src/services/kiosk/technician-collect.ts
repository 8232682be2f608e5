import { DomainError } from '@cubby/core';
import {
  awaitingCollectionAt,
  awaitingCollectionBehind,
  compartmentsOfTransaction,
  droppedOffAt,
  findDevice,
  moveDevice,
  moveRepairTicket,
  newId,
  reserveCompartment,
  type CompartmentRow,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { announceCompartment, announceRepair, issueUnlock } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler, type StillOpen } from './act.js';
import { openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, countDoor, emptyTally, tallyOf } from './technician-mode.js';

type TechnicianCollect = Extract<KioskAction, { kind: 'technician_collect' }>;

/**
 * A technician collects the flagged devices: every door holding a device
 * awaiting collection is held now and opened one after the other, or all at
 * once when the policy says so (`collectAllDoorsAtOnce`: a cart at the bank).
 * A door the records say is loaded but whose sensor reads empty is flagged, not opened.
 */
export async function startTechnicianCollect(s: Start) {
  await assertTechnicianHere(s);
  // Swapped broken devices (with their ticket) and devices a drop-off task left here (none), by door.
  const waiting = [
    ...(await awaitingCollectionAt(s.tx.db, s.ctx.stationId)),
    ...(await droppedOffAt(s.tx.db, s.ctx.stationId)).map((d) => ({ ...d, ticketId: null })),
  ].sort((a, b) => a.compartmentNumber - b.compartmentNumber);
  const loaded = waiting.filter((w) => w.compartmentStatus === 'loaded');
  const missing = loaded.filter((w) => w.presence === 0);
  const toOpen = loaded.filter((w) => w.presence !== 0);
  if (toOpen.length === 0)
    throw new DomainError(
      'nothing_to_collect',
      missing.length
        ? `No flagged device to collect here; door ${missing.map((m) => m.compartmentNumber).join(', ')} reads empty — flagged`
        : 'No flagged device is waiting for collection here',
    );
  const detail = { tally: emptyTally(missing.map((m) => m.compartmentNumber)) };
  const transactionId = await openKioskTransaction(s, 'technician_collect', detail);
  for (const m of missing)
    s.tx.audit({
      actorType: 'person',
      actorId: s.personId,
      action: 'repair.collection_door_empty',
      entityType: m.ticketId ? 'repair_ticket' : 'device',
      entityId: m.ticketId ?? m.deviceId,
      stationId: s.ctx.stationId,
      transactionId,
      data: { compartment: m.compartmentNumber, deviceId: m.deviceId },
    });
  const allAtOnce = s.ctx.policy.collectAllDoorsAtOnce && toOpen.length > 1;
  const first = { id: toOpen[0]!.compartmentId, number: toOpen[0]!.compartmentNumber, commandId: newId() };
  for (const [i, w] of toOpen.entries()) {
    // The first door's unlock goes out with its hold; the others' when their turn comes (advance),
    // or, all at once, right now.
    const commandId = i === 0 ? first.commandId : allAtOnce ? newId() : null;
    try {
      await reserveCompartment(s.tx.db, w.compartmentId, 'loaded', {
        transactionId,
        purpose: 'collect_flagged',
        commandId,
        now: s.tx.now,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict')
        throw new DomainError('compartment_fault', `Door ${w.compartmentNumber} is busy; please try again`);
      throw error;
    }
    announceCompartment(s.tx, s.ctx.stationId, { id: w.compartmentId, number: w.compartmentNumber }, 'reserved');
    if (i > 0 && commandId) {
      const door = { id: w.compartmentId, number: w.compartmentNumber };
      await issueUnlock(s.tx, s.ctx.stationId, door, transactionId, 'collect_flagged', commandId);
    }
  }
  const openDoors = allAtOnce ? toOpen.map((w) => w.compartmentNumber) : undefined;
  return startStep(s, transactionId, 'technician_collect', first, 'collect_flagged', { openDoors });
}

/**
 * Where this collection goes once a door is done: the next held door to
 * unlock (one after the other), the doors still open (all at once), or the end.
 */
async function afterDoor(step: StepAt): Promise<{ next: CompartmentRow } | { stillOpen: StillOpen } | undefined> {
  // Held: reserved (unlocked or waiting its turn) or already open.
  const held = (await compartmentsOfTransaction(step.tx.db, step.txn.id)).filter(
    (c) => c.id !== step.door.id && c.purpose === 'collect_flagged' && (c.status === 'reserved' || c.status === 'open'),
  );
  // A held door without an unlock yet waits for its turn; one with an unlock was opened with the others.
  const next = held.find((c) => c.command_id === null);
  if (next) return { next };
  const open = held.map((c) => c.number).sort((a, b) => a - b);
  return open.length ? { stillOpen: { doors: open, purpose: 'collect_flagged' } } : undefined;
}

/** The door shut: with the device gone, its ticket is collected; left inside, it stays awaiting collection. */
export async function onFlaggedDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, door } = step;
  const ticket = await awaitingCollectionBehind(tx.db, door.id);
  let tally = tallyOf(step);
  if (ticket && !presence) {
    tally = await countDoor(step, 'collected');
    const status = await moveRepairTicket(tx.db, {
      id: ticket.id,
      from: 'awaiting_collection',
      event: { type: 'collected' },
      now: tx.now,
      set: { compartment_id: null },
    });
    announceRepair(tx, { id: ticket.id, deviceId: ticket.device_id }, status);
    await moveDevice(tx.db, {
      id: ticket.device_id,
      from: 'awaiting_collection',
      event: { type: 'collect_for_repair' },
      now: tx.now,
    });
    tx.audit({
      ...personAt(step),
      action: 'repair.collected',
      entityType: 'repair_ticket',
      entityId: ticket.id,
      data: { deviceId: ticket.device_id, compartment: door.number },
    });
  } else if (!ticket) {
    // A device a drop-off task left here: taken, it goes with the technician (on the bench, no ticket).
    // The door row as read before it shut still names the device that was behind it.
    const behind = door.device_id ? await findDevice(tx.db, door.device_id) : undefined;
    const dropped = behind?.status === 'awaiting_collection' ? { deviceId: behind.id } : undefined;
    if (dropped && !presence) {
      tally = await countDoor(step, 'collected');
      await moveDevice(tx.db, {
        id: dropped.deviceId,
        from: 'awaiting_collection',
        event: { type: 'collect_for_repair' },
        now: tx.now,
      });
      tx.audit({
        ...personAt(step),
        action: 'task.device_collected',
        entityType: 'device',
        entityId: dropped.deviceId,
        data: { deviceId: dropped.deviceId, compartment: door.number },
      });
    } else if (dropped) tally = await countDoor(step, 'leftInside');
  } else if (ticket) {
    tally = await countDoor(step, 'leftInside');
    tx.audit({
      ...personAt(step),
      action: 'repair.collection_left_inside',
      entityType: 'repair_ticket',
      entityId: ticket.id,
      data: { deviceId: ticket.device_id, compartment: door.number },
    });
  }
  return (await afterDoor(step)) ?? { summary: tally };
}

export const collectFlagged: StepHandler = {
  // Left inside, the flagged device is still behind its door.
  deviceLeftIn: ({ door }) => door.device_id,
  closed: onFlaggedDoorClosed,
  // The jammed door is out of service and its device still awaits collection; the next door serves,
  // or, at the last door, the collection ends with what it did.
  jammed: async (step) => {
    const tally = await countDoor(step, 'jammedDoors');
    const then = await afterDoor(step);
    if (!then) return { summary: tally };
    return 'next' in then ? { id: then.next.id, number: then.next.number } : then;
  },
};

export const technicianCollect: KioskAct<TechnicianCollect> = {
  kind: 'technician_collect',
  start: startTechnicianCollect,
  steps: { collect_flagged: collectFlagged },
};
