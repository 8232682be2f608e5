import { DomainError, type StepPurpose } from '@cubby/core';
import {
  compartmentsHoldingDevice,
  compartmentsOfTransaction,
  findKioskStep,
  inSavepoint,
  insertAlert,
  moveCompartment,
  newId,
  type CompartmentRow,
  type KioskStep,
  type Tx,
} from '@cubby/db';
import { announceCompartment } from '../deps.js';
import type { StepAt } from './act.js';
import { actFor, stepHandler } from './acts.js';
import { advance } from './steps.js';

/**
 * What a station reports about a door of a kiosk transaction, routed to the
 * act that opened it (acts.ts): the door closed, its lock jammed, or the step
 * can never settle from it.
 */

async function stepOf(tx: Tx, door: CompartmentRow): Promise<KioskStep> {
  const txn = await findKioskStep(tx.db, door.transaction_id!);
  if (!txn) throw new DomainError('not_found', 'transaction of this compartment is missing');
  return txn;
}

/**
 * A door of a transaction closed. The presence sensor, not the plan, decides
 * what happened: a loan starts only if the loaner left, a return counts only
 * if a device is inside.
 */
export async function completeStep(
  tx: Tx,
  stationId: string,
  door: CompartmentRow,
  presence: boolean,
  /** The door's step when it was read with the door (findCompartmentWithStep). */
  known?: KioskStep,
): Promise<void> {
  const step: StepAt = { tx, stationId, txn: known ?? (await stepOf(tx, door)), door };
  const purpose = door.purpose as StepPurpose;
  const handler = stepHandler(purpose);
  const deviceInside = presence ? handler.deviceLeftIn(step) : null;
  // A device is in one place: say so plainly rather than fail on the unique index.
  // (The one already recorded behind this door can be in no other.)
  if (deviceInside && deviceInside !== door.device_id) {
    const [elsewhere] = (await compartmentsHoldingDevice(tx.db, deviceInside)).filter((c) => c.id !== door.id);
    if (elsewhere)
      throw new DomainError(
        'invalid_transition',
        `device ${deviceInside} is already in compartment ${elsewhere.number} of station ${elsewhere.station_id}, so it cannot be behind door ${door.number}`,
      );
  }
  const status = await moveCompartment(tx.db, {
    id: door.id,
    from: door.status,
    event: { type: 'door_closed', presence },
    now: tx.now,
    set: { door: 'closed', presence: presence ? 1 : 0, device_id: deviceInside, ...handler.closedFields?.(presence) },
    release: true,
  });
  announceCompartment(tx, stationId, door, status);
  const outcome = await handler.closed(step, presence);
  tx.audit({
    actorType: 'station',
    actorId: stationId,
    action: 'compartment.door_closed',
    entityType: 'compartment',
    entityId: door.id,
    stationId,
    transactionId: step.txn.id,
    data: { number: door.number, presence, purpose },
  });
  await advance(tx, stationId, step.txn, outcome);
}

/**
 * completeStep for a door whose step settles alongside other work (a station's
 * hello settles every door that closed while its link was down). The step runs
 * in its own savepoint: one that the database refuses is rolled back alone,
 * its transaction fails, its door goes out of service with a `step_unsettled`
 * alert saying why, and the caller's other work still commits. Returns whether
 * the step settled as the reading says.
 */
export async function settleStep(
  tx: Tx,
  stationId: string,
  door: CompartmentRow,
  presence: boolean,
  known?: KioskStep,
): Promise<boolean> {
  const settled = await inSavepoint(tx, (inner) => completeStep(inner, stationId, door, presence, known));
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

/** The door goes out of service (a technician must look at it), no longer held by its step. */
async function takeOutOfService(tx: Tx, stationId: string, door: CompartmentRow, readings: { presence: boolean } | null) {
  await moveCompartment(tx.db, {
    id: door.id,
    from: door.status,
    event: { type: 'take_out_of_service' },
    now: tx.now,
    ...(readings ? { set: { door: 'closed' as const, presence: readings.presence ? 1 : 0 } } : {}),
    release: true,
  });
  announceCompartment(tx, stationId, door, 'out_of_service');
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
  const txn = door.transaction_id ? await findKioskStep(tx.db, door.transaction_id) : undefined;
  if (how.outOfService) await takeOutOfService(tx, stationId, door, { presence: how.presence });
  if (!txn || txn.status !== 'in_progress') return;
  for (const c of await compartmentsOfTransaction(tx.db, txn.id)) {
    const presence = c.device_id !== null;
    const status = await moveCompartment(tx.db, {
      id: c.id,
      from: c.status,
      event: { type: 'step_abandoned', presence },
      now: tx.now,
      release: true,
    });
    announceCompartment(tx, stationId, c, status);
  }
  const step: StepAt = { tx, stationId, txn, door };
  await actFor(txn.kind).abandoned?.(step);
  await advance(tx, stationId, txn, { error: new DomainError('compartment_fault', detail) });
}

/**
 * A lock did not open. The compartment goes out of service (a technician must
 * look at it) and the step moves to another door where one can serve.
 */
export async function failOver(tx: Tx, stationId: string, jammed: CompartmentRow, known?: KioskStep): Promise<void> {
  await takeOutOfService(tx, stationId, jammed, null);
  if (!jammed.transaction_id || !jammed.purpose) return;
  const txn = known ?? (await findKioskStep(tx.db, jammed.transaction_id));
  if (!txn || txn.status !== 'in_progress') return;
  const purpose = jammed.purpose;
  const replacement = await stepHandler(purpose).jammed({ tx, stationId, txn, door: jammed });
  if (replacement && 'summary' in replacement) {
    // The act ends with what it did at its other doors.
    await advance(tx, stationId, txn, { summary: replacement.summary });
    return;
  }
  if (replacement && 'stillOpen' in replacement) {
    // Its other doors, unlocked with it, are still open.
    await advance(tx, stationId, txn, { stillOpen: replacement.stillOpen });
    return;
  }
  if (replacement) {
    // Holding it announced it reserved.
    await advance(tx, stationId, txn, { next: { ...jammed, id: replacement.id, number: replacement.number, purpose } });
    return;
  }
  await advance(tx, stationId, txn, {
    error: new DomainError(
      'compartment_fault',
      'The locker door did not open and no other door can serve; please see a technician',
    ),
  });
}
