import { DomainError } from '@cubby/core';
import {
  compartmentsHoldingDevice,
  findCompartment,
  moveCompartment,
  moveDevice,
  moveLoan,
  returnableLoans,
  setChargeCompartment,
  type Tx,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { enqueueEmail } from '../notifications/receipts.js';
import { announceCompartment } from '../deps.js';
import {
  personAt,
  type Decision,
  type KioskAct,
  type Outcome,
  type Replay,
  type Start,
  type StepAt,
  type StepHandler,
} from './act.js';
import { openReplayRecord } from './offline-record.js';
import { holdFirstDoor, holdFreeDoor, openKioskTransaction, startStep } from './steps.js';

type Return = Extract<KioskAction, { kind: 'return' }>;

/**
 * A student brings a loaner back to an empty door. One return per loan at a
 * time: a second door opened for the same loan (a double tap, the same
 * student at two kiosks) would close on "a device" that cannot be this
 * loaner, which already sits behind the first door. Serialised per person on
 * PostgreSQL by the request's lock on the person.
 */
export async function startReturn(s: Start, action: Return) {
  const loans = await returnableLoans(s.tx.db, s.personId);
  if (loans.length === 0) throw new DomainError('no_active_loan');
  const assetTag = action.assetTag;
  const loan = assetTag ? loans.find((l) => l.asset_tag === assetTag.trim()) : (loans.find((l) => !l.being_returned) ?? loans[0]);
  if (!loan) throw new DomainError('wrong_loaner', `Loaner ${assetTag} is not on loan to you`);
  if (loan.being_returned) throw new DomainError('no_active_loan', 'This loaner is already being returned at an open door');
  const transactionId = await openKioskTransaction(s, 'return', { deviceId: loan.device_id }, { loan_id: loan.id });
  const door = await holdFirstDoor(s, transactionId, 'return_loaner', false);
  return startStep(s, transactionId, 'return', door, 'return_loaner');
}

const returnable: ReadonlySet<string> = new Set(['active', 'overdue', 'lost']);

/** The door shut: a return counts only if a device is inside. */
export async function onReturnDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, stationId, door } = step;
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was returned') };
  const loan = txn.loan;
  if (!loan) throw new DomainError('not_found', 'loan missing');
  await moveLoan(tx.db, {
    id: loan.id,
    from: loan.status,
    event: { type: 'returned' },
    set: { ended_at: tx.now, return_station_id: stationId },
  });
  await moveDevice(tx.db, { id: loan.deviceId, from: loan.deviceStatus, event: { type: 'returned' }, now: tx.now });
  tx.audit({
    ...personAt(step),
    action: 'loan.returned',
    entityType: 'loan',
    entityId: loan.id,
    data: { deviceId: loan.deviceId, compartment: door.number },
  });
  tx.emit({ type: 'loan.returned', loanId: loan.id, stationId, personId: txn.person_id, deviceId: loan.deviceId });
  await enqueueEmail(tx, { template: 'return_receipt', personId: txn.person_id, stationId, loanId: loan.id });
  return {};
}

/** A door that takes something in jammed: another empty door of the station serves instead (chargers for a charge). */
export async function onDepositDoorJammed(step: StepAt) {
  const { tx, txn, stationId, door } = step;
  const purpose = door.purpose!;
  const chargerOnly = purpose === 'deposit_for_charge';
  const replacement = await holdFreeDoor(tx, stationId, { transactionId: txn.id, purpose, chargerOnly, commandId: null });
  if (replacement && chargerOnly && txn.charge_session_id)
    await setChargeCompartment(tx.db, txn.charge_session_id, replacement.id);
  return replacement;
}

export const returnLoaner: StepHandler = {
  deviceLeftIn: ({ txn, door }) => {
    const loan = txn.loan;
    if (loan && !returnable.has(loan.status)) {
      // Returned meanwhile at another door (or by an offline replay): whatever is in here is not that loaner.
      throw new DomainError(
        'invalid_transition',
        `loan ${loan.id} was already ${loan.status}; the device behind door ${door.number} is unidentified`,
      );
    }
    return loan?.deviceId ?? null;
  },
  closed: onReturnDoorClosed,
  jammed: onDepositDoorJammed,
};

export const returnAct: KioskAct<Return> = {
  kind: 'return',
  start: startReturn,
  steps: { return_loaner: returnLoaner },
  replay: replayReturn,
};

/** A device went into an empty door while offline: it ends the person's loan it belongs to. */
export async function replayReturn({ tx, stationId, personId, entry }: Replay): Promise<Decision> {
  const compartment = await findCompartment(tx.db, stationId, entry.compartment);
  if (!compartment) return { decision: 'rejected', note: `compartment ${entry.compartment} is not part of this station` };
  const loans = await returnableLoans(tx.db, personId);
  const assetTag = entry.action.kind === 'return' ? entry.action.assetTag?.trim() : undefined;
  const loan = assetTag ? loans.find((l) => l.asset_tag === assetTag) : loans[0];
  if (!loan) {
    const note = `no open loan of this person matches; an unidentified device is in compartment ${entry.compartment} for a technician`;
    tx.audit({
      actorType: 'person',
      actorId: personId,
      action: 'compartment.unidentified_device_left',
      entityType: 'compartment',
      entityId: compartment.id,
      stationId,
      data: { number: compartment.number, journalKey: entry.key },
    });
    return { decision: 'flagged', note };
  }
  const notes: string[] = [];
  const transactionId = await openReplayRecord(
    tx,
    { stationId, personId, entry, kind: 'return', loanId: loan.id },
    { deviceId: loan.device_id },
  );
  await moveLoan(tx.db, {
    id: loan.id,
    from: loan.status,
    event: { type: 'returned' },
    set: { ended_at: entry.at, return_station_id: stationId },
  });
  if (loan.device_status === 'on_loan')
    await moveDevice(tx.db, { id: loan.device_id, from: 'on_loan', event: { type: 'returned' }, now: tx.now });
  else notes.push('the server did not have the loaner on loan');
  await placeReturnedOffline(tx, stationId, compartment, loan.device_id, notes);
  const note = notes.length ? notes.join('; ') : null;
  tx.audit({
    actorType: 'person',
    actorId: personId,
    action: 'loan.returned',
    entityType: 'loan',
    entityId: loan.id,
    stationId,
    transactionId,
    data: {
      deviceId: loan.device_id,
      compartment: entry.compartment,
      offline: true,
      journalKey: entry.key,
      ...(note ? { note } : {}),
    },
  });
  tx.emit({ type: 'loan.returned', loanId: loan.id, stationId, personId, deviceId: loan.device_id });
  return { decision: note ? 'flagged' : 'applied', note };
}

/** The loaner is behind this door now, and in no other compartment. */
async function placeReturnedOffline(
  tx: Tx,
  stationId: string,
  compartment: { id: string; number: number; status: Parameters<typeof moveCompartment>[1]['from'] },
  deviceId: string,
  notes: string[],
) {
  for (const c of await compartmentsHoldingDevice(tx.db, deviceId)) {
    notes.push(`the server had the loaner in compartment ${c.number} of station ${c.station_id}`);
    await moveCompartment(tx.db, {
      id: c.id,
      from: c.status,
      event: { type: 'emptied_offline' },
      now: tx.now,
      set: { device_id: null },
    });
  }
  if (compartment.status !== 'empty') {
    notes.push(`compartment ${compartment.number} was ${compartment.status} on the server; a technician should check it`);
    return;
  }
  await moveCompartment(tx.db, {
    id: compartment.id,
    from: 'empty',
    event: { type: 'filled_offline' },
    now: tx.now,
    set: { device_id: deviceId, presence: 1 },
  });
  announceCompartment(tx, stationId, compartment, 'loaded');
}
