import { DomainError } from '@cubby/core';
import { moveDevice, moveRepairTicket, parseJson, pickupWaiting } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { announceRepair } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { holdLoadedDoor, openKioskTransaction, startStep } from './steps.js';

type Pickup = Extract<KioskAction, { kind: 'pickup' }>;

/** A student picks up their repaired device from the door it waits behind. */
export async function startPickup(s: Start) {
  const waiting = await pickupWaiting(s.tx.db, s.personId, s.ctx.stationId);
  if (!waiting) throw new DomainError('nothing_to_collect', 'No repaired device is waiting for you here');
  const transactionId = await openKioskTransaction(
    s,
    'pickup',
    { deviceId: waiting.deviceId },
    { repair_ticket_id: waiting.ticketId },
  );
  const door = await holdLoadedDoor(
    s,
    { id: waiting.compartmentId, number: waiting.compartmentNumber },
    transactionId,
    'pickup_repaired',
  );
  return startStep(s, transactionId, 'pickup', door, 'pickup_repaired');
}

/** The door shut: with the device gone, the ticket closes and the device is back in service. */
export async function onPickupDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn } = step;
  if (presence) return { error: new DomainError('device_not_taken', 'Your device is still in the locker') };
  const ticketId = txn.repair_ticket_id!;
  // Both were waiting for pickup when the visit started (pickupWaiting).
  const status = await moveRepairTicket(tx.db, {
    id: ticketId,
    from: 'ready_for_pickup',
    event: { type: 'picked_up' },
    now: tx.now,
    set: { compartment_id: null },
  });
  const deviceId = parseJson<{ deviceId: string }>(txn.detail).deviceId;
  announceRepair(tx, { id: ticketId, deviceId }, status);
  await moveDevice(tx.db, { id: deviceId, from: 'ready_for_pickup', event: { type: 'picked_up' }, now: tx.now });
  tx.audit({
    ...personAt(step),
    action: 'repair.picked_up',
    entityType: 'repair_ticket',
    entityId: ticketId,
    data: { deviceId },
  });
  return {};
}

export const pickupRepaired: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id, // it was left behind
  closed: onPickupDoorClosed,
  // Nothing was claimed but the door: the device waits behind it for a technician.
  jammed: async () => undefined,
};

export const pickup: KioskAct<Pickup> = {
  kind: 'pickup',
  start: startPickup,
  steps: { pickup_repaired: pickupRepaired },
};
