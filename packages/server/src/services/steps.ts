import { DomainError, type StepPurpose, type TransactionView } from '@cubby/core';
import {
  compartmentsOfTransaction,
  findChargeSession,
  findKioskTransaction,
  findLoan,
  finishKioskTransaction,
  inSavepoint,
  insertAlert,
  insertRepairTicket,
  closeRepairTicket,
  linkKioskTransaction,
  moveChargeSession,
  moveDevice,
  moveLoan,
  newId,
  parseJson,
  recordLoanerTaken,
  releaseFields,
  updateCompartment,
  emptyCompartments,
  reserveCompartment,
  type CompartmentRow,
  type KioskTransactionRow,
  type Tx,
} from '@cubby/db';
import { announceCompartment, announceTransaction, issueUnlock, problemOf, sendCommand, stationContext } from './deps.js';
import { claimLoaner } from './loaner-claim.js';

type Outcome = { next?: CompartmentRow } | { error: DomainError };

/**
 * A door of a transaction closed. The presence sensor, not the plan, decides
 * what happened: a loan starts only if the loaner left, a return counts only
 * if a device is inside.
 */
export async function completeStep(tx: Tx, stationId: string, door: CompartmentRow, presence: boolean): Promise<void> {
  const txn = await findKioskTransaction(tx.db, door.transaction_id!);
  if (!txn) throw new DomainError('not_found', 'transaction of this compartment is missing');
  const purpose = door.purpose as StepPurpose;
  const deviceInside = presence ? await deviceLeftIn(tx, txn, purpose, door) : null;
  if (deviceInside) {
    // A device is in one place: say so plainly rather than fail on the unique index.
    const elsewhere = await tx.db
      .selectFrom('compartments')
      .select(['number', 'station_id'])
      .where('device_id', '=', deviceInside)
      .where('id', '!=', door.id)
      .executeTakeFirst();
    if (elsewhere)
      throw new DomainError(
        'invalid_transition',
        `device ${deviceInside} is already in compartment ${elsewhere.number} of station ${elsewhere.station_id}, so it cannot be behind door ${door.number}`,
      );
  }
  const status = presence ? 'loaded' : 'empty';
  await updateCompartment(
    tx.db,
    door.id,
    { door: 'closed', presence: presence ? 1 : 0, status, device_id: deviceInside, ...releaseFields() },
    tx.now,
  );
  announceCompartment(tx, stationId, door, status);
  const outcome = await applyStep(tx, stationId, txn, purpose, door, presence);
  tx.audit({
    actorType: 'station',
    actorId: stationId,
    action: 'compartment.door_closed',
    entityType: 'compartment',
    entityId: door.id,
    stationId,
    transactionId: txn.id,
    data: { number: door.number, presence, purpose },
  });
  await advance(tx, stationId, txn, outcome);
}

const returnable: ReadonlySet<string> = new Set(['active', 'overdue', 'lost']);

/**
 * completeStep for a door whose step settles alongside other work (a station's
 * hello settles every door that closed while its link was down). The step runs
 * in its own savepoint: one that the database refuses is rolled back alone,
 * its transaction fails, its door goes out of service with a `step_unsettled`
 * alert saying why, and the caller's other work still commits. Returns whether
 * the step settled as the reading says.
 */
export async function settleStep(tx: Tx, stationId: string, door: CompartmentRow, presence: boolean): Promise<boolean> {
  const settled = await inSavepoint(tx, (inner) => completeStep(inner, stationId, door, presence));
  if (settled.ok) return true;
  const reason = settled.error instanceof Error ? settled.error.message : String(settled.error);
  // Abandoning can fail too (the same bad row); the alert below is raised either way.
  const abandoned = await inSavepoint(tx, (inner) =>
    abandonStep(
      inner,
      stationId,
      door,
      { outOfService: true, presence },
      'This locker door needs a technician; nothing was recorded for it',
    ),
  );
  await flagUnsettledStep(tx, stationId, door, { presence, reason, abandoned: abandoned.ok });
  return false;
}

/** A `step_unsettled` alert (and its audit event) for a technician to look behind this door. */
export async function flagUnsettledStep(
  tx: Tx,
  stationId: string,
  door: CompartmentRow,
  detail: Record<string, unknown> & { reason: string },
): Promise<void> {
  const alertId = newId();
  const data = { transactionId: door.transaction_id, purpose: door.purpose, ...detail };
  await insertAlert(tx.db, {
    id: alertId,
    kind: 'step_unsettled',
    station_id: stationId,
    compartment_id: door.id,
    detail: data,
    raised_at: tx.now,
    cleared_at: null,
  });
  tx.emit({ type: 'alert.raised', alertId, kind: 'step_unsettled', stationId, compartmentNumber: door.number });
  tx.audit({
    actorType: 'station',
    actorId: stationId,
    action: 'compartment.step_unsettled',
    entityType: 'compartment',
    entityId: door.id,
    stationId,
    transactionId: door.transaction_id,
    data: { number: door.number, ...data },
  });
}

/**
 * A step that will never settle from its door: nothing changes hands, the
 * transaction fails, and every door it held is let go, back to what the server
 * knows is inside — or, with `outOfService`, this door is taken out of service
 * until a technician has looked, since nobody knows what is inside.
 */
export async function abandonStep(
  tx: Tx,
  stationId: string,
  door: CompartmentRow,
  how: { outOfService: true; presence: boolean } | { outOfService: false },
  detail: string,
): Promise<void> {
  const txn = door.transaction_id ? await findKioskTransaction(tx.db, door.transaction_id) : undefined;
  if (how.outOfService) {
    await updateCompartment(
      tx.db,
      door.id,
      { door: 'closed', presence: how.presence ? 1 : 0, status: 'out_of_service', ...releaseFields() },
      tx.now,
    );
    announceCompartment(tx, stationId, door, 'out_of_service');
  }
  if (!txn || txn.status !== 'in_progress') return;
  for (const c of await compartmentsOfTransaction(tx.db, txn.id)) {
    const status = c.device_id ? 'loaded' : 'empty';
    await updateCompartment(tx.db, c.id, { status, ...releaseFields() }, tx.now);
    announceCompartment(tx, stationId, c, status);
  }
  const loan = txn.loan_id ? await findLoan(tx.db, txn.loan_id) : undefined;
  if (loan?.status === 'pending') {
    await moveLoan(tx.db, loan.id, ['pending'], 'cancelled', { ended_at: tx.now });
    await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', tx.now);
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'loan.cancelled',
      entityType: 'loan',
      entityId: loan.id,
      stationId,
      transactionId: txn.id,
      data: { reason: 'step_abandoned' },
    });
  }
  if (txn.charge_session_id) {
    await moveChargeSession(tx.db, txn.charge_session_id, 'depositing', 'cancelled');
    await moveChargeSession(tx.db, txn.charge_session_id, 'collecting', 'charging');
  }
  await advance(tx, stationId, txn, { error: new DomainError('compartment_fault', detail) });
}

/** Which device now sits behind a closed door, given what the step was for. */
async function deviceLeftIn(
  tx: Tx,
  txn: KioskTransactionRow,
  purpose: StepPurpose,
  door: CompartmentRow,
): Promise<string | null> {
  switch (purpose) {
    case 'take_loaner':
    case 'collect_own':
    case 'pickup_repaired':
      return door.device_id; // it was left behind
    case 'return_loaner': {
      const loan = txn.loan_id ? await findLoan(tx.db, txn.loan_id) : undefined;
      if (loan && !returnable.has(loan.status)) {
        // Returned meanwhile at another door (or by an offline replay): whatever is in here is not that loaner.
        throw new DomainError(
          'invalid_transition',
          `loan ${loan.id} was already ${loan.status}; the device behind door ${door.number} is unidentified`,
        );
      }
      return loan?.device_id ?? null;
    }
    case 'deposit_broken':
    case 'deposit_for_charge':
      return (parseJson<{ deviceId?: string | null }>(txn.detail).deviceId ?? null) as string | null;
  }
}

async function applyStep(
  tx: Tx,
  stationId: string,
  txn: KioskTransactionRow,
  purpose: StepPurpose,
  door: CompartmentRow,
  presence: boolean,
): Promise<Outcome> {
  const now = tx.now;
  const person = { actorType: 'person' as const, actorId: txn.person_id, stationId, transactionId: txn.id };
  switch (purpose) {
    case 'take_loaner': {
      const loan = await findLoan(tx.db, txn.loan_id!);
      if (!loan) throw new DomainError('not_found', 'loan missing');
      if (presence) {
        await moveLoan(tx.db, loan.id, ['pending'], 'cancelled', { ended_at: now });
        await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', now);
        tx.audit({
          ...person,
          action: 'loan.cancelled',
          entityType: 'loan',
          entityId: loan.id,
          data: { reason: 'loaner_not_taken' },
        });
        tx.emit({ type: 'loan.cancelled', loanId: loan.id, stationId });
        return { error: new DomainError('loaner_not_taken', 'The loaner was left in the locker, so no loan was recorded') };
      }
      await moveLoan(tx.db, loan.id, ['pending'], 'active', { started_at: now });
      await recordLoanerTaken(tx.db, loan.device_id, now);
      tx.audit({
        ...person,
        action: 'loan.started',
        entityType: 'loan',
        entityId: loan.id,
        data: { deviceId: loan.device_id, dueAt: loan.due_at },
      });
      tx.emit({ type: 'loan.started', loanId: loan.id, stationId, personId: txn.person_id, deviceId: loan.device_id });
      return {};
    }
    case 'return_loaner': {
      if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was returned') };
      const loan = await findLoan(tx.db, txn.loan_id!);
      if (!loan) throw new DomainError('not_found', 'loan missing');
      await moveLoan(tx.db, loan.id, ['active', 'overdue', 'lost'], 'returned', { ended_at: now, return_station_id: stationId });
      await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', now);
      tx.audit({
        ...person,
        action: 'loan.returned',
        entityType: 'loan',
        entityId: loan.id,
        data: { deviceId: loan.device_id, compartment: door.number },
      });
      tx.emit({ type: 'loan.returned', loanId: loan.id, stationId, personId: txn.person_id, deviceId: loan.device_id });
      return {};
    }
    case 'deposit_broken': {
      const detail = parseJson<{ deviceId: string; symptom: string; notes: string }>(txn.detail);
      if (!presence) {
        await abandonSwapLoaner(tx, stationId, txn);
        return { error: new DomainError('nothing_returned', 'No device was detected, so the swap was cancelled') };
      }
      await moveDevice(tx.db, detail.deviceId, 'in_service', 'awaiting_collection', now);
      const ticketId = newId();
      await insertRepairTicket(tx.db, {
        id: ticketId,
        device_id: detail.deviceId,
        person_id: txn.person_id,
        transaction_id: txn.id,
        loan_id: txn.loan_id,
        status: 'awaiting_collection',
        symptom: detail.symptom as never,
        notes: detail.notes,
        cost_cents: null,
        warranty_claim: 0,
        fee_cents: null,
        compartment_id: door.id,
        reported_at: now,
        awaiting_collection_at: now,
        collected_at: null,
        in_repair_at: null,
        repaired_at: null,
        ready_for_pickup_at: null,
        closed_at: null,
        retired_at: null,
      });
      await linkKioskTransaction(tx.db, txn.id, { repair_ticket_id: ticketId });
      tx.audit({
        ...person,
        action: 'repair.created',
        entityType: 'repair_ticket',
        entityId: ticketId,
        data: { deviceId: detail.deviceId, symptom: detail.symptom, compartment: door.number },
      });
      tx.emit({ type: 'repair.created', ticketId, deviceId: detail.deviceId, stationId });
      const [loanerDoor] = (await compartmentsOfTransaction(tx.db, txn.id)).filter((c) => c.purpose === 'take_loaner');
      return loanerDoor ? { next: loanerDoor } : { error: new DomainError('no_loaner_available') };
    }
    case 'deposit_for_charge': {
      const session = await findChargeSession(tx.db, txn.charge_session_id!);
      if (!session) throw new DomainError('not_found', 'charge session missing');
      if (!presence) {
        await moveChargeSession(tx.db, session.id, 'depositing', 'cancelled');
        return { error: new DomainError('nothing_returned', 'No device was detected in the compartment') };
      }
      await moveChargeSession(tx.db, session.id, 'depositing', 'charging', { deposited_at: now });
      if (session.device_id) await moveDevice(tx.db, session.device_id, 'in_service', 'charging', now);
      await updateCompartment(tx.db, door.id, { charging: 1 }, now);
      sendCommand(tx, stationId, { kind: 'set_charging', compartment: door.number, on: true });
      tx.audit({
        ...person,
        action: 'charge.started',
        entityType: 'charge_session',
        entityId: session.id,
        data: { compartment: door.number },
      });
      return {};
    }
    case 'collect_own': {
      const session = await findChargeSession(tx.db, txn.charge_session_id!);
      if (!session) throw new DomainError('not_found', 'charge session missing');
      if (presence) {
        await moveChargeSession(tx.db, session.id, 'collecting', 'charging');
        return { error: new DomainError('device_not_taken', 'Your device is still in the locker; it stays there safely') };
      }
      await moveChargeSession(tx.db, session.id, 'collecting', 'collected', { collected_at: now });
      if (session.device_id) await moveDevice(tx.db, session.device_id, 'charging', 'in_service', now);
      await updateCompartment(tx.db, door.id, { charging: 0 }, now);
      sendCommand(tx, stationId, { kind: 'set_charging', compartment: door.number, on: false });
      tx.audit({
        ...person,
        action: 'charge.collected',
        entityType: 'charge_session',
        entityId: session.id,
        data: { compartment: door.number },
      });
      return {};
    }
    case 'pickup_repaired': {
      if (presence) return { error: new DomainError('device_not_taken', 'Your device is still in the locker') };
      const ticketId = txn.repair_ticket_id!;
      await closeRepairTicket(tx.db, ticketId, now);
      const deviceId = parseJson<{ deviceId: string }>(txn.detail).deviceId;
      await moveDevice(tx.db, deviceId, 'ready_for_pickup', 'in_service', now);
      tx.audit({ ...person, action: 'repair.picked_up', entityType: 'repair_ticket', entityId: ticketId, data: { deviceId } });
      return {};
    }
  }
}

/** A swap whose broken device never went in: give the held loaner back to the pool. */
async function abandonSwapLoaner(tx: Tx, stationId: string, txn: KioskTransactionRow) {
  for (const c of await compartmentsOfTransaction(tx.db, txn.id)) {
    if (c.purpose !== 'take_loaner') continue;
    await updateCompartment(tx.db, c.id, { status: 'loaded', ...releaseFields() }, tx.now);
    announceCompartment(tx, stationId, c, 'loaded');
  }
  const loan = txn.loan_id ? await findLoan(tx.db, txn.loan_id) : undefined;
  if (loan && loan.status === 'pending') {
    await moveLoan(tx.db, loan.id, ['pending'], 'cancelled', { ended_at: tx.now });
    await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', tx.now);
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'loan.cancelled',
      entityType: 'loan',
      entityId: loan.id,
      stationId,
      transactionId: txn.id,
      data: { reason: 'swap_cancelled' },
    });
  }
}

/** Opens the next door of the transaction, or finishes it. */
async function advance(tx: Tx, stationId: string, txn: KioskTransactionRow, outcome: Outcome): Promise<void> {
  const loan = txn.loan_id ? await findLoan(tx.db, txn.loan_id) : undefined;
  const dueAt = loan && (txn.kind === 'borrow' || txn.kind === 'swap') ? Number(loan.due_at) : undefined;
  const base = { id: txn.id, kind: txn.kind, ...(dueAt ? { dueAt } : {}) };
  if ('error' in outcome) {
    await finishKioskTransaction(tx.db, txn.id, 'failed', outcome.error.code, tx.now);
    const view: TransactionView = {
      ...base,
      status: 'failed',
      compartment: null,
      purpose: null,
      error: problemOf(outcome.error),
    };
    announceTransaction(tx, stationId, view);
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'transaction.failed',
      entityType: 'kiosk_transaction',
      entityId: txn.id,
      stationId,
      transactionId: txn.id,
      data: { code: outcome.error.code },
    });
    return;
  }
  if (outcome.next) {
    await issueUnlock(tx, stationId, outcome.next, txn.id, outcome.next.purpose!);
    announceTransaction(tx, stationId, {
      ...base,
      status: 'in_progress',
      compartment: outcome.next.number,
      purpose: outcome.next.purpose,
    });
    return;
  }
  await finishKioskTransaction(tx.db, txn.id, 'completed', null, tx.now);
  announceTransaction(tx, stationId, { ...base, status: 'completed', compartment: null, purpose: null });
}

/**
 * A lock did not open. The compartment goes out of service (a technician must
 * look at it) and the step moves to another door where one can serve.
 */
export async function failOver(tx: Tx, stationId: string, jammed: CompartmentRow): Promise<void> {
  await updateCompartment(tx.db, jammed.id, { status: 'out_of_service', ...releaseFields() }, tx.now);
  announceCompartment(tx, stationId, jammed, 'out_of_service');
  if (!jammed.transaction_id || !jammed.purpose) return;
  const txn = await findKioskTransaction(tx.db, jammed.transaction_id);
  if (!txn || txn.status !== 'in_progress') return;
  const purpose = jammed.purpose as StepPurpose;
  let replacement: { id: string; number: number } | undefined;
  if (purpose === 'take_loaner') {
    // The jammed loaner stays inside, available again once the door is fixed.
    const loan = await findLoan(tx.db, txn.loan_id!);
    if (loan) {
      await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', tx.now);
      const { policy } = await stationContext(tx, stationId);
      const claimed = await claimLoaner(tx, stationId, policy.minChargePercent, txn.id, null);
      if (claimed) {
        await moveLoan(tx.db, loan.id, ['pending'], 'pending', {
          device_id: claimed.deviceId,
          compartment_id: claimed.compartmentId,
        });
        tx.audit({
          actorType: 'station',
          actorId: stationId,
          action: 'loan.failed_over',
          entityType: 'loan',
          entityId: loan.id,
          stationId,
          transactionId: txn.id,
          data: { from: jammed.number, to: claimed.compartmentNumber, deviceId: claimed.deviceId },
        });
        replacement = { id: claimed.compartmentId, number: claimed.compartmentNumber };
      } else {
        await moveLoan(tx.db, loan.id, ['pending'], 'cancelled', { ended_at: tx.now });
        tx.audit({
          actorType: 'station',
          actorId: stationId,
          action: 'loan.cancelled',
          entityType: 'loan',
          entityId: loan.id,
          stationId,
          transactionId: txn.id,
          data: { reason: 'lock_fault' },
        });
      }
    }
  } else if (purpose === 'return_loaner' || purpose === 'deposit_broken' || purpose === 'deposit_for_charge') {
    for (const c of await emptyCompartments(tx.db, stationId, {
      chargerOnly: purpose === 'deposit_for_charge',
      preferCharger: true,
    })) {
      if (
        await reserveCompartment(tx.db, { id: c.id, from: 'empty', transactionId: txn.id, purpose, commandId: null, now: tx.now })
      ) {
        replacement = c;
        break;
      }
    }
    if (replacement && purpose === 'deposit_for_charge' && txn.charge_session_id) {
      await tx.db
        .updateTable('charge_sessions')
        .set({ compartment_id: replacement.id })
        .where('id', '=', txn.charge_session_id)
        .execute();
    }
  } else if (purpose === 'collect_own' && txn.charge_session_id) {
    await moveChargeSession(tx.db, txn.charge_session_id, 'collecting', 'charging');
  }
  if (replacement) {
    announceCompartment(tx, stationId, replacement, 'reserved');
    await advance(tx, stationId, txn, { next: { ...jammed, id: replacement.id, number: replacement.number, purpose } });
    return;
  }
  if (txn.kind === 'swap' && purpose === 'deposit_broken') await abandonSwapLoaner(tx, stationId, txn);
  await advance(tx, stationId, txn, {
    error: new DomainError(
      'compartment_fault',
      'The locker door did not open and no other door can serve; please see a technician',
    ),
  });
}
