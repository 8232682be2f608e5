import { DomainError, type RepairSymptom } from '@cubby/core';
import { findOwnDevice, parseJson } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import type { KioskAct, Outcome, Start, StepAt, StepHandler } from './act.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, openKioskTransaction, startStep } from './steps.js';
import { openRepairTicket } from './swap.js';

type DropOff = Extract<KioskAction, { kind: 'drop_off' }>;

/**
 * A student's own device is broken but no loaner can go with it (none is
 * lendable here, or they are at the loan limit): they still leave it for
 * repair, behind an empty door, and the menu told them where a loaner is.
 * No loan limit applies: nothing is lent.
 */
export async function startDropOff(s: Start, action: DropOff) {
  const own = await findOwnDevice(s.tx.db, s.personId);
  if (!own) throw new DomainError('no_device_on_record', 'We have no device of yours on record; please see a technician');
  const detail = { deviceId: own.id, symptom: action.symptom, notes: action.notes ?? '' };
  const transactionId = await openKioskTransaction(s, 'drop_off', detail);
  const door = await holdFirstDoor(s, transactionId, 'deposit_for_repair', false);
  return startStep(s, transactionId, 'drop_off', door, 'deposit_for_repair');
}

/** The door shut: with the device inside, its repair ticket opens and it waits there for a technician. */
export async function onRepairDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was left for repair') };
  await openRepairTicket(step, parseJson<{ deviceId: string; symptom: RepairSymptom; notes: string }>(step.txn.detail));
  return {};
}

/** The door did not open: another empty one, or (none) the drop-off fails and nothing changed. */
export function onRepairDoorJammed(step: StepAt) {
  return onDepositDoorJammed(step);
}

export const depositForRepair: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<{ deviceId?: string | null }>(txn.detail).deviceId ?? null,
  closed: onRepairDoorClosed,
  jammed: onRepairDoorJammed,
};

export const dropOff: KioskAct<DropOff> = {
  kind: 'drop_off',
  start: startDropOff,
  steps: { deposit_for_repair: depositForRepair },
  // Nothing but the door is claimed at the start, and the steps machinery frees it.
};
