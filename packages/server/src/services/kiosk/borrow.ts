import { checkLoanLimit, DomainError, isDomainError, loanDueAt, nextDevice } from '@cubby/core';
import {
  compartmentsHoldingDevice,
  countOpenLoans,
  findCompartment,
  findDevice,
  insertLoan,
  lockPerson,
  moveCompartment,
  moveDevice,
  moveLoan,
  newId,
  openLoanOfDevice,
  recordLoanerTaken,
  repointPendingLoan,
  type Tx,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { enqueueEmail } from '../notifications/receipts.js';
import { announceCompartment, stationContext } from '../deps.js';
import {
  personAt,
  stationAt,
  type Decision,
  type KioskAct,
  type Outcome,
  type Replay,
  type Start,
  type StepAt,
  type StepHandler,
} from './act.js';
import { cancelPendingLoan, claimLoaner, claimPendingLoan } from './loaners.js';
import { openReplayRecord } from './offline-record.js';
import { openKioskTransactionWithinLimit, startStep } from './steps.js';

type Borrow = Extract<KioskAction, { kind: 'borrow' }>;

/** A student asks for a loaner: the best charged one is claimed and its door opens. */
export async function startBorrow(s: Start, action: Borrow) {
  if (s.ctx.policy.requireAgreement && s.agreementAcceptedAt === null) throw new DomainError('agreement_required');
  const loanId = newId();
  const commandId = newId();
  // The loan limit is checked with the record's insert (openKioskTransactionWithinLimit).
  const transactionId = await openKioskTransactionWithinLimit(s, 'borrow', { reason: action.reason }, { loan_id: loanId });
  const claimed = await claimPendingLoan(s, { id: loanId, transactionId, reason: action.reason, commandId });
  const door = { id: claimed.compartmentId, number: claimed.compartmentNumber, commandId };
  return startStep(s, transactionId, 'borrow', door, 'take_loaner', { dueAt: claimed.dueAt });
}

/** The loaner's door shut: the loan starts only if the loaner left. */
export async function onLoanerDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, stationId } = step;
  const loan = txn.loan;
  if (!loan) throw new DomainError('not_found', 'loan missing');
  if (presence) {
    await cancelPendingLoan(tx, txn);
    tx.audit({
      ...personAt(step),
      action: 'loan.cancelled',
      entityType: 'loan',
      entityId: loan.id,
      data: { reason: 'loaner_not_taken' },
    });
    tx.emit({ type: 'loan.cancelled', loanId: loan.id, stationId });
    return { error: new DomainError('loaner_not_taken', 'The loaner was left in the locker, so no loan was recorded') };
  }
  await moveLoan(tx.db, { id: loan.id, from: loan.status, event: { type: 'taken' }, set: { started_at: tx.now } });
  await recordLoanerTaken(tx.db, loan.deviceId, tx.now);
  tx.audit({
    ...personAt(step),
    action: 'loan.started',
    entityType: 'loan',
    entityId: loan.id,
    data: { deviceId: loan.deviceId, dueAt: loan.dueAt },
  });
  tx.emit({ type: 'loan.started', loanId: loan.id, stationId, personId: txn.person_id, deviceId: loan.deviceId });
  const swapped = txn.kind === 'swap' ? { template: 'swap_receipt' as const, ticketId: txn.repair_ticket_id } : null;
  await enqueueEmail(tx, { template: 'borrow_receipt', ...swapped, personId: txn.person_id, stationId, loanId: loan.id });
  return {};
}

/** The loaner's lock jammed: the loaner stays inside, available once the door is fixed, and another is claimed. */
export async function onLoanerDoorJammed(step: StepAt) {
  const { tx, txn, stationId, door } = step;
  const loan = txn.loan;
  if (!loan) return undefined;
  await moveDevice(tx.db, { id: loan.deviceId, from: loan.deviceStatus, event: { type: 'lend_cancelled' }, now: tx.now });
  const { policy, charge } = await stationContext(tx, stationId);
  const claimed = await claimLoaner(tx, stationId, policy.minChargePercent, txn.id, null, charge);
  if (!claimed) {
    await moveLoan(tx.db, { id: loan.id, from: loan.status, event: { type: 'not_taken' }, set: { ended_at: tx.now } });
    tx.audit({
      ...stationAt(step),
      action: 'loan.cancelled',
      entityType: 'loan',
      entityId: loan.id,
      data: { reason: 'lock_fault' },
    });
    return undefined;
  }
  await repointPendingLoan(tx.db, loan.id, claimed);
  tx.audit({
    ...stationAt(step),
    action: 'loan.failed_over',
    entityType: 'loan',
    entityId: loan.id,
    data: { from: door.number, to: claimed.compartmentNumber, deviceId: claimed.deviceId },
  });
  return { id: claimed.compartmentId, number: claimed.compartmentNumber };
}

/** Taking a loaner is also the second door of a swap. */
export const takeLoaner: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id, // it was left behind
  closed: onLoanerDoorClosed,
  jammed: onLoanerDoorJammed,
};

/** A borrow given up before its loaner left: the loan is cancelled and the loaner goes back to the pool. */
export async function onBorrowAbandoned(step: StepAt) {
  if (!(await cancelPendingLoan(step.tx, step.txn))) return;
  step.tx.audit({
    ...stationAt(step),
    action: 'loan.cancelled',
    entityType: 'loan',
    entityId: step.txn.loan!.id,
    data: { reason: 'step_abandoned' },
  });
}

export const borrow: KioskAct<Borrow> = {
  kind: 'borrow',
  start: startBorrow,
  steps: { take_loaner: takeLoaner },
  abandoned: onBorrowAbandoned,
  replay: replayBorrow,
};

/**
 * A loaner left through a door while offline: the loan is real whatever the
 * server thought. Entries arrive in order and only this station opens its
 * doors, so the device the server has behind that door now is the one that
 * left; the snapshot's device id is the station's (possibly stale) guess.
 */
export async function replayBorrow(r: Replay): Promise<Decision> {
  const { tx, stationId, personId, entry } = r;
  const compartment = await findCompartment(tx.db, stationId, entry.compartment);
  const deviceId = compartment?.device_id ?? entry.deviceId;
  const device = deviceId ? await findDevice(tx.db, deviceId) : undefined;
  if (!device) return { decision: 'rejected', note: 'nobody knows which loaner left' };
  const checked = await checkOfflineBorrow(r, device);
  if ('decision' in checked) return checked;
  const { ctx, notes } = checked;
  if (!compartment) return { decision: 'rejected', note: `compartment ${entry.compartment} is not part of this station` };
  const loanId = newId();
  const reason = entry.action.kind === 'borrow' ? entry.action.reason : 'other';
  const transactionId = await openReplayRecord(
    tx,
    { stationId, personId, entry, kind: 'borrow', loanId },
    { reason, deviceId: device.id },
  );
  const dueAt = loanDueAt(entry.at, { timeZone: ctx.timeZone, endOfDay: ctx.schoolDayEnd });
  await insertLoan(tx.db, {
    id: loanId,
    device_id: device.id,
    person_id: personId,
    station_id: stationId,
    compartment_id: compartment.id,
    transaction_id: transactionId,
    reason,
    status: 'active',
    created_at: entry.at,
    started_at: entry.at,
    due_at: dueAt,
    ended_at: null,
    return_station_id: null,
  });
  await markLentOffline(tx, device, entry.at, notes);
  await emptyHoldersOffline(tx, device.id, compartment.id, notes);
  const note = notes.length ? notes.join('; ') : null;
  tx.audit({
    actorType: 'person',
    actorId: personId,
    action: 'loan.started',
    entityType: 'loan',
    entityId: loanId,
    stationId,
    transactionId,
    data: {
      deviceId: device.id,
      dueAt,
      offline: true,
      journalKey: entry.key,
      compartment: entry.compartment,
      ...(note ? { note } : {}),
    },
  });
  tx.emit({ type: 'loan.started', loanId, stationId, personId, deviceId: device.id });
  return { decision: note ? 'flagged' : 'applied', note };
}

/** What staff should know about an offline borrow; rejected only when the loaner already has an open loan. */
async function checkOfflineBorrow(
  { tx, stationId, personId, entry }: Replay,
  device: { id: string; asset_tag: string; pool: string; status: string },
): Promise<Decision | { ctx: Awaited<ReturnType<typeof stationContext>>; notes: string[] }> {
  const notes: string[] = [];
  if (entry.deviceId && entry.deviceId !== device.id)
    notes.push(
      `the station's snapshot named another loaner; recorded ${device.asset_tag}, which the server had behind door ${entry.compartment}`,
    );
  if (device.pool !== 'loaner') notes.push(`device ${device.asset_tag} behind door ${entry.compartment} is not a loaner`);
  if (await openLoanOfDevice(tx.db, device.id))
    return {
      decision: 'rejected',
      note: `loaner ${device.asset_tag} already has an open loan; a technician must check compartment ${entry.compartment}`,
    };
  const ctx = await stationContext(tx, stationId);
  await lockPerson(tx.db, tx.dialect, personId);
  const open = await countOpenLoans(tx.db, personId);
  // The same rule as online; offline it cannot refuse (the loaner left), so it is noted for staff.
  if (checkLoanLimit(open, ctx.policy))
    notes.push(`over the loan limit: ${open} open loans elsewhere when this one was replayed`);
  if (device.status !== 'available') notes.push(`the server had loaner ${device.asset_tag} as ${device.status}`);
  return { ctx, notes };
}

/** The loaner is on loan now, counted for wear-spreading; a status core will not move it from stays, for staff. */
async function markLentOffline(
  tx: Tx,
  device: { id: string; status: Parameters<typeof nextDevice>[0] },
  at: number,
  notes: string[],
) {
  if (isDomainError(nextDevice(device.status, { type: 'lent_offline' }))) {
    if (device.status !== 'on_loan') notes.push(`its status ${device.status} was left for staff to check`);
    await recordLoanerTaken(tx.db, device.id, at);
    return;
  }
  await moveDevice(tx.db, { id: device.id, from: device.status, event: { type: 'lent_offline' }, now: tx.now, loanedAt: at });
}

/** Wherever the server thought the loaner was, it is in no compartment now. */
async function emptyHoldersOffline(tx: Tx, deviceId: string, doorId: string, notes: string[]) {
  for (const c of await compartmentsHoldingDevice(tx.db, deviceId)) {
    if (c.id !== doorId) notes.push(`the server had the loaner in compartment ${c.number} of station ${c.station_id}`);
    await moveCompartment(tx.db, {
      id: c.id,
      from: c.status,
      event: { type: 'emptied_offline' },
      now: tx.now,
      set: { device_id: null, presence: c.id === doorId ? 0 : 1 },
    });
    announceCompartment(tx, c.station_id, c, 'empty');
  }
}
