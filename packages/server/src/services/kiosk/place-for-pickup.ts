import { DomainError } from '@cubby/core';
import { moveDevice, moveRepairTicket, parseJson } from '@cubby/db';
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
}

/**
 * A technician places a repaired device for its owner: they scan (or type)
 * its asset tag, an empty door is held for it and opens, and once the device
 * is inside its ticket is ready for pickup there, where the owner's own
 * pickup at this station finds it.
 */
export async function startPlaceForPickup(s: Start, action: PlaceForPickup) {
  await assertTechnicianHere(s);
  const device = await scannedDevice(s, action.assetTag);
  if (device.compartment_number !== null)
    throw new DomainError('device_in_compartment', `${device.asset_tag} is already behind door ${device.compartment_number}`);
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

/** The door shut: with the device inside, its ticket is ready for pickup behind this door and the owner is to be told. */
export async function onPlaceDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, door } = step;
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was placed') };
  const detail = parseJson<Detail>(txn.detail);
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
