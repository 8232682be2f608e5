import { DomainError } from '@cubby/core';
import { moveDevice, moveRepairTicket, moveTask, parseJson, taskToLoad } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { enqueueEmail } from '../notifications/receipts.js';
import { announceRepair } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, scannedDevice } from './technician-mode.js';

type PlaceForPickup = Extract<KioskAction, { kind: 'place_for_pickup' }>;

interface Detail {
  deviceId: string;
  ownerId: string | null;
  assetTag: string;
  /** A single-use pick-up task this device is loaded for (instead of a repaired ticket). */
  taskId?: string;
}

/**
 * A technician places a repaired device for its owner: they scan (or type)
 * its asset tag, an empty door is held for it and opens, and once the device
 * is inside its ticket is ready for pickup there, where the owner's own
 * pickup at this station finds it. A device with a single-use pick-up task
 * waiting to be loaded here goes in for that task's person instead.
 */
export async function startPlaceForPickup(s: Start, action: PlaceForPickup) {
  await assertTechnicianHere(s);
  const device = await scannedDevice(s, action.assetTag);
  if (device.compartment_number !== null)
    throw new DomainError('device_in_compartment', `${device.asset_tag} is already behind door ${device.compartment_number}`);
  const task = await taskToLoad(s.tx.db, s.ctx.stationId, device.id);
  if (task) return startLoadTask(s, device, task);
  if (!device.repaired_ticket_id || device.status !== 'in_repair')
    throw new DomainError('not_repaired', `${device.asset_tag} has no repaired ticket waiting to be placed`);
  const detail: Detail = { deviceId: device.id, ownerId: device.owner_id, assetTag: device.asset_tag };
  const transactionId = await openKioskTransaction(
    s,
    'place_for_pickup',
    { ...detail },
    { repair_ticket_id: device.repaired_ticket_id },
  );
  const door = await holdFirstDoor(s, transactionId, 'place_repaired', false);
  return startStep(s, transactionId, 'place_for_pickup', door, 'place_repaired');
}

/**
 * The scanned device has a single-use pick-up task at this station (core/task):
 * an empty door is held for the task's person instead, and the task is ready
 * once the device is inside.
 */
async function startLoadTask(
  s: Start,
  device: { id: string; asset_tag: string; status: string; on_loan: unknown },
  task: { id: string; person_id: string },
) {
  // In IT's hands: not on loan, not in repair, not in a locker (checked above).
  if (device.status !== 'in_service' || Boolean(Number(device.on_loan)))
    throw new DomainError('invalid_transition', `${device.asset_tag} is not in IT's hands to load (it is ${device.status})`, {
      entity: 'device',
      state: device.status,
      event: 'loaded_for_task',
    });
  const detail: Detail = { deviceId: device.id, ownerId: task.person_id, assetTag: device.asset_tag, taskId: task.id };
  const transactionId = await openKioskTransaction(s, 'place_for_pickup', { ...detail });
  const door = await holdFirstDoor(s, transactionId, 'place_repaired', false);
  return startStep(s, transactionId, 'place_for_pickup', door, 'place_repaired');
}

/** A task's device is inside: the task is ready behind this door, and its person is to be told. */
async function onTaskLoaded(step: StepAt, detail: Detail & { taskId: string }): Promise<Outcome> {
  const { tx, txn, door } = step;
  await moveTask(tx.db, {
    id: detail.taskId,
    from: 'awaiting_load',
    event: { type: 'loaded' },
    now: tx.now,
    by: txn.person_id,
    compartmentId: door.id,
  });
  await moveDevice(tx.db, { id: detail.deviceId, from: 'in_service', event: { type: 'loaded_for_task' }, now: tx.now });
  tx.audit({
    ...personAt(step),
    action: 'task.ready',
    entityType: 'task',
    entityId: detail.taskId,
    // The notification issue sends it; this records who is to be told.
    data: { deviceId: detail.deviceId, compartment: door.number, notify: detail.ownerId },
  });
  return {};
}

/** The door shut: with the device inside, its ticket is ready for pickup behind this door and the owner is to be told. */
export async function onPlaceDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, door } = step;
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was placed') };
  const detail = parseJson<Detail>(txn.detail);
  if (detail.taskId) return onTaskLoaded(step, { ...detail, taskId: detail.taskId });
  const ticketId = txn.repair_ticket_id!;
  // Both were checked at the start (repaired ticket, device on the bench); a move since is a conflict.
  const status = await moveRepairTicket(tx.db, {
    id: ticketId,
    from: 'repaired',
    event: { type: 'placed_for_pickup' },
    now: tx.now,
    set: { compartment_id: door.id },
  });
  announceRepair(tx, { id: ticketId, deviceId: detail.deviceId }, status);
  await moveDevice(tx.db, { id: detail.deviceId, from: 'in_repair', event: { type: 'repaired' }, now: tx.now });
  tx.audit({
    ...personAt(step),
    action: 'repair.ready_for_pickup',
    entityType: 'repair_ticket',
    entityId: ticketId,
    // The notification issue sends it; this records who is to be told.
    data: { deviceId: detail.deviceId, compartment: door.number, notify: detail.ownerId },
  });
  if (detail.ownerId) {
    await enqueueEmail(tx, {
      template: 'ready_for_pickup',
      personId: detail.ownerId,
      stationId: step.stationId,
      ticketId,
      compartment: door.number,
    });
  }
  return {};
}

export const placeRepaired: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<Detail>(txn.detail).deviceId,
  closed: onPlaceDoorClosed,
  // Another empty door of the station serves instead.
  jammed: onDepositDoorJammed,
};

export const placeForPickup: KioskAct<PlaceForPickup> = {
  kind: 'place_for_pickup',
  start: startPlaceForPickup,
  steps: { place_repaired: placeRepaired },
};
