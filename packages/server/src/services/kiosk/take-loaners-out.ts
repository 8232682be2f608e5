import { DomainError } from '@cubby/core';
import { compartmentsOfTransaction, loanersBehindDoors, moveDevice, newId, reserveCompartment } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { announceCompartment } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, countDoor, emptyTally } from './technician-mode.js';

type TakeLoanersOut = Extract<KioskAction, { kind: 'take_loaners_out' }>;

/**
 * A technician takes available loaners out (to move spares to another campus,
 * or for repair): up to `count` doors holding one are held now and opened one
 * after the other. A loaner that leaves is with staff (in service) again.
 */
export async function startTakeOut(s: Start, action: TakeLoanersOut) {
  await assertTechnicianHere(s);
  const loaners = await loanersBehindDoors(s.tx.db, s.ctx.stationId).limit(action.count).execute();
  if (loaners.length === 0) throw new DomainError('no_loaner_available', 'No available loaner is behind this station’s doors');
  const transactionId = await openKioskTransaction(s, 'take_loaners_out', { tally: emptyTally() });
  const firstCommand = newId();
  for (const [i, l] of loaners.entries()) {
    try {
      await reserveCompartment(s.tx.db, l.compartmentId, 'loaded', {
        transactionId,
        purpose: 'take_loaner_out',
        commandId: i === 0 ? firstCommand : null,
        now: s.tx.now,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict')
        throw new DomainError('compartment_fault', `Door ${l.compartmentNumber} is busy; please try again`);
      throw error;
    }
    announceCompartment(s.tx, s.ctx.stationId, { id: l.compartmentId, number: l.compartmentNumber }, 'reserved');
  }
  const first = { id: loaners[0]!.compartmentId, number: loaners[0]!.compartmentNumber, commandId: firstCommand };
  return startStep(s, transactionId, 'take_loaners_out', first, 'take_loaner_out');
}

async function nextDoor(step: StepAt) {
  return (await compartmentsOfTransaction(step.tx.db, step.txn.id)).find(
    (c) => c.id !== step.door.id && c.purpose === 'take_loaner_out' && c.status === 'reserved',
  );
}

/** The door shut: a loaner that is gone left the station; one left inside stays available there. */
export async function onTakeOutDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, door } = step;
  let tally;
  if (!presence && door.device_id) {
    tally = await countDoor(step, 'collected');
    await moveDevice(tx.db, { id: door.device_id, from: 'available', event: { type: 'take_out' }, now: tx.now });
    tx.audit({
      ...personAt(step),
      action: 'device.taken_out',
      entityType: 'device',
      entityId: door.device_id,
      data: { compartment: door.number },
    });
  } else {
    tally = await countDoor(step, 'leftInside');
  }
  const next = await nextDoor(step);
  return next ? { next } : { summary: tally };
}

export const takeLoanerOut: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id,
  closed: onTakeOutDoorClosed,
  // The jammed door is out of service with its loaner inside; the next door serves, or the take-out ends.
  jammed: async (step) => {
    const tally = await countDoor(step, 'jammedDoors');
    const next = await nextDoor(step);
    return next ? { id: next.id, number: next.number } : { summary: tally };
  },
};

export const takeLoanersOut: KioskAct<TakeLoanersOut> = {
  kind: 'take_loaners_out',
  start: startTakeOut,
  steps: { take_loaner_out: takeLoanerOut },
};
