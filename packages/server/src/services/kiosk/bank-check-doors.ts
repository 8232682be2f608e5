import { DomainError } from '@cubby/core';
import { compartmentsOfStation, compartmentsOfTransaction, newId } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import type { KioskAct, Outcome, Start, StepAt, StepHandler } from './act.js';
import { doorRecord, holdForLook, lookDetail, lookSummary, noteDoorShut } from './door-check.js';
import { openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, countDoor } from './technician-mode.js';
import { isMidTransaction } from '../compartment-operations.js';

type BankCheckDoors = Extract<KioskAction, { kind: 'bank_check_doors' }>;

/**
 * The bank check that opens each door, one after the other, so the
 * technician can look inside: every door in service that no visit holds is
 * held now (as a collection holds its doors), each shut reports what is
 * inside, and the end lists every difference from the records (core's
 * `bankDifference`, the same comparison as the sensor-only check).
 */
export async function startBankCheckDoors(s: Start) {
  await assertTechnicianHere(s);
  const doors = (await compartmentsOfStation(s.tx.db, s.ctx.stationId)).filter(
    (door) => (door.status === 'empty' || door.status === 'loaded') && !isMidTransaction(door),
  );
  if (doors.length === 0) throw new DomainError('no_compartment_available', 'Every door here is in use or out of service');
  const records = await Promise.all(doors.map((d) => doorRecord(s, d)));
  const transactionId = await openKioskTransaction(s, 'bank_check_doors', lookDetail(records));
  const commandId = newId();
  for (const [i, door] of doors.entries())
    await holdForLook(s, door, { transactionId, purpose: 'bank_check', commandId: i === 0 ? commandId : null });
  const first = doors[0]!;
  return startStep(s, transactionId, 'bank_check_doors', { id: first.id, number: first.number, commandId }, 'bank_check');
}

/** The next held door of this check, other than this one. */
async function nextDoor(step: StepAt) {
  return (await compartmentsOfTransaction(step.tx.db, step.txn.id)).find(
    (c) => c.id !== step.door.id && c.purpose === 'bank_check' && c.status === 'reserved',
  );
}

async function onCheckedDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const tally = await noteDoorShut(step, presence);
  const next = await nextDoor(step);
  return next ? { next } : { summary: lookSummary(tally) };
}

export const bankCheck: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id,
  closed: onCheckedDoorClosed,
  // A jammed door is out of service now; the next door serves, or the check ends with what it found.
  jammed: async (step) => {
    const tally = await countDoor(step, 'jammedDoors');
    const next = await nextDoor(step);
    return next ? { id: next.id, number: next.number } : { summary: lookSummary(tally) };
  },
};

export const bankCheckDoors: KioskAct<BankCheckDoors> = {
  kind: 'bank_check_doors',
  start: startBankCheckDoors,
  steps: { bank_check: bankCheck },
};
