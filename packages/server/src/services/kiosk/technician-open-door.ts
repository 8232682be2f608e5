import { newId } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import type { KioskAct, Outcome, Start, StepAt, StepHandler } from './act.js';
import { doorRecord, holdForLook, lookDetail, lookSummary, noteDoorShut, pickedDoor } from './door-check.js';
import { openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, countDoor } from './technician-mode.js';

type OpenDoor = Extract<KioskAction, { kind: 'technician_open_door' }>;

/**
 * A technician opens one door from the technician menu, for a reason (core's
 * `doorOpenReasons`): picked on the locker map, refused while a visit uses it
 * or while it is out of service. When it shuts, its sensor updates the
 * records as any door's does, and the done screen says how what is inside
 * differs from what the records expected.
 */
export async function startOpenDoor(s: Start, action: OpenDoor) {
  await assertTechnicianHere(s);
  const door = await pickedDoor(s, action.compartment);
  const expected = await doorRecord(s, door);
  const transactionId = await openKioskTransaction(s, 'technician_open_door', lookDetail([expected], { reason: action.reason }));
  const commandId = newId();
  await holdForLook(s, door, { transactionId, purpose: 'technician_open', commandId });
  s.tx.audit({
    actorType: 'person',
    actorId: s.personId,
    action: 'compartment.technician_opened',
    entityType: 'compartment',
    entityId: door.id,
    stationId: s.ctx.stationId,
    transactionId,
    data: { number: door.number, reason: action.reason, deviceId: door.device_id },
  });
  return startStep(s, transactionId, 'technician_open_door', { id: door.id, number: door.number, commandId }, 'technician_open');
}

async function onOpenedDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const tally = await noteDoorShut(step, presence);
  return { summary: lookSummary(tally) };
}

export const technicianOpen: StepHandler = {
  // Something inside is what the records had there (or nothing known: the summary says so).
  deviceLeftIn: ({ door }) => door.device_id,
  closed: onOpenedDoorClosed,
  // The lock did not open: the door is out of service now, and the done screen says so.
  jammed: async (step) => ({ summary: lookSummary(await countDoor(step, 'jammedDoors')) }),
};

export const technicianOpenDoor: KioskAct<OpenDoor> = {
  kind: 'technician_open_door',
  start: startOpenDoor,
  steps: { technician_open: technicianOpen },
};
