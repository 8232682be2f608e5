import { DomainError, type RepairSymptom } from '@cubby/core';
import {
  compartmentsOfTransaction,
  findOwnDevice,
  insertRepairTicket,
  linkKioskTransaction,
  moveCompartment,
  moveDevice,
  newId,
  parseJson,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { announceCompartment } from '../deps.js';
import { personAt, stationAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { onBorrowAbandoned } from './borrow.js';
import { cancelPendingLoan, claimPendingLoan } from './loaners.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, openKioskTransactionWithinLimit, startStep } from './steps.js';

type Swap = Extract<KioskAction, { kind: 'swap' }>;

/**
 * A student's own device is broken: they leave it behind one door and take
 * a loaner from another. Both doors are held now, so the student never
 * deposits a device and then finds no loaner.
 */
export async function startSwap(s: Start, action: Swap) {
  const own = await findOwnDevice(s.tx.db, s.personId);
  if (!own) throw new DomainError('no_device_on_record', 'We have no device of yours on record; please see a technician');
  const loanId = newId();
  const detail = { deviceId: own.id, symptom: action.symptom, notes: action.notes ?? '' };
  // The loan limit is checked with the record's insert.
  const transactionId = await openKioskTransactionWithinLimit(s, 'swap', detail, { loan_id: loanId });
  const depositDoor = await holdFirstDoor(s, transactionId, 'deposit_broken', false);
  const claimed = await claimPendingLoan(s, { id: loanId, transactionId, reason: 'broken', commandId: null, swapFor: own.id });
  return startStep(s, transactionId, 'swap', depositDoor, 'deposit_broken', { dueAt: claimed.dueAt });
}

/** The broken device's door shut: with it inside, a repair ticket opens and the loaner's door is next. */
export async function onBrokenDeviceDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn } = step;
  const detail = parseJson<{ deviceId: string; symptom: RepairSymptom; notes: string }>(txn.detail);
  if (!presence) {
    await giveBackLoaner(step);
    return { error: new DomainError('nothing_returned', 'No device was detected, so the swap was cancelled') };
  }
  await openRepairTicket(step, detail);
  const [loanerDoor] = (await compartmentsOfTransaction(tx.db, txn.id)).filter((c) => c.purpose === 'take_loaner');
  return loanerDoor ? { next: loanerDoor } : { error: new DomainError('no_loaner_available') };
}

/**
 * The student's broken device is behind the door: it is flagged broken and a
 * repair ticket opens, awaiting collection from that compartment (a swap's
 * first door, and a drop-off's only one).
 */
export async function openRepairTicket(step: StepAt, detail: { deviceId: string; symptom: RepairSymptom; notes: string }) {
  const { tx, txn, stationId, door } = step;
  // It was in service when the act started (findOwnDevice).
  await moveDevice(tx.db, { id: detail.deviceId, from: 'in_service', event: { type: 'flag_broken' }, now: tx.now });
  const ticketId = newId();
  await insertRepairTicket(tx.db, {
    id: ticketId,
    device_id: detail.deviceId,
    person_id: txn.person_id,
    transaction_id: txn.id,
    loan_id: txn.loan_id,
    status: 'awaiting_collection',
    symptom: detail.symptom,
    notes: detail.notes,
    cost_cents: null,
    warranty_claim: 0,
    fee_cents: null,
    compartment_id: door.id,
    reported_at: tx.now,
    awaiting_collection_at: tx.now,
    collected_at: null,
    in_repair_at: null,
    repaired_at: null,
    ready_for_pickup_at: null,
    closed_at: null,
    retired_at: null,
  });
  await linkKioskTransaction(tx.db, txn.id, { repair_ticket_id: ticketId });
  tx.audit({
    ...personAt(step),
    action: 'repair.created',
    entityType: 'repair_ticket',
    entityId: ticketId,
    data: { deviceId: detail.deviceId, symptom: detail.symptom, compartment: door.number },
  });
  tx.emit({ type: 'repair.created', ticketId, deviceId: detail.deviceId, stationId });
  return ticketId;
}

/** The deposit door jammed: another empty door, or, with none, the loaner goes back to the pool. */
export async function onBrokenDeviceDoorJammed(step: StepAt) {
  const replacement = await onDepositDoorJammed(step);
  if (!replacement) await giveBackLoaner(step);
  return replacement;
}

/** A swap whose broken device never went in: the held loaner goes back to the pool. */
async function giveBackLoaner(step: StepAt) {
  const { tx, txn, stationId } = step;
  for (const c of await compartmentsOfTransaction(tx.db, txn.id)) {
    if (c.purpose !== 'take_loaner') continue;
    await moveCompartment(tx.db, {
      id: c.id,
      from: c.status,
      event: { type: 'release', presence: true },
      now: tx.now,
      release: true,
    });
    announceCompartment(tx, stationId, c, 'loaded');
  }
  if (!(await cancelPendingLoan(tx, txn))) return;
  tx.audit({
    ...stationAt(step),
    action: 'loan.cancelled',
    entityType: 'loan',
    entityId: txn.loan!.id,
    data: { reason: 'swap_cancelled' },
  });
}

export const depositBroken: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<{ deviceId?: string | null }>(txn.detail).deviceId ?? null,
  closed: onBrokenDeviceDoorClosed,
  jammed: onBrokenDeviceDoorJammed,
};

export const swap: KioskAct<Swap> = {
  kind: 'swap',
  start: startSwap,
  // Its second door is a borrow's: take_loaner (borrow.ts).
  steps: { deposit_broken: depositBroken },
  abandoned: onBorrowAbandoned,
};
