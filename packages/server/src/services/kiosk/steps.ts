import { checkLoanLimit, DomainError, type StepPurpose, type TransactionKind, type TransactionView } from '@cubby/core';
import {
  finishKioskTransaction,
  holdFreeCompartment,
  insertKioskTransaction,
  insertKioskTransactionCountingLoans,
  newId,
  reserveCompartment,
  type KioskStep,
  type Tx,
} from '@cubby/db';
import { announceCompartment, announceTransaction, issueUnlock, problemOf } from '../deps.js';
import type { Outcome, Start, Started } from './act.js';

/**
 * The step machinery every kiosk act shares: the transaction record, holding
 * a door, sending its unlock, and moving on to the next door or the end.
 */

type Links = Partial<Record<'loan_id' | 'repair_ticket_id' | 'charge_session_id', string>>;

export async function openKioskTransaction(
  s: Start,
  kind: TransactionKind,
  detail: Record<string, unknown> = {},
  links: Links = {},
): Promise<string> {
  const row = kioskTransactionRow(s, kind, detail, links);
  await insertKioskTransaction(s.tx.db, row);
  return row.id;
}

/**
 * openKioskTransaction for an act that lends (borrow, swap): the loan limit is
 * counted in the record's own insert, with the person's row locked on
 * PostgreSQL (findKioskRequest) so two kiosks cannot both pass it. A refusal
 * throws, and the record rolls back with the rest of the request.
 */
export async function openKioskTransactionWithinLimit(
  s: Start,
  kind: TransactionKind,
  detail: Record<string, unknown>,
  links: Links,
): Promise<string> {
  const row = kioskTransactionRow(s, kind, detail, links);
  const limitError = checkLoanLimit(await insertKioskTransactionCountingLoans(s.tx.db, row), s.ctx.policy);
  if (limitError) throw limitError;
  return row.id;
}

function kioskTransactionRow(s: Start, kind: TransactionKind, detail: Record<string, unknown>, links: Links) {
  return {
    id: newId(),
    station_id: s.ctx.stationId,
    person_id: s.personId,
    request_id: s.requestId,
    kind,
    status: 'in_progress' as const,
    error_code: null,
    loan_id: links.loan_id ?? null,
    repair_ticket_id: links.repair_ticket_id ?? null,
    charge_session_id: links.charge_session_id ?? null,
    detail: JSON.stringify(detail),
    created_at: s.tx.now,
    completed_at: null,
  };
}

/** As many tries as a station has doors worth trying: each lost race means another kiosk took that door. */
const holdAttempts = 20;

/**
 * Holds the first free compartment that is still free when we reach it
 * (one statement per try; a try finds nothing only when another kiosk took
 * the same door first, or none is free).
 */
export async function holdFreeDoor(
  tx: Tx,
  stationId: string,
  hold: { transactionId: string; purpose: StepPurpose; chargerOnly: boolean; commandId: string | null },
) {
  for (let i = 0; i < holdAttempts; i++) {
    const door = await holdFreeCompartment(tx.db, stationId, hold.chargerOnly, { ...hold, now: tx.now });
    if (door) {
      announceCompartment(tx, stationId, door, 'reserved');
      return door;
    }
    if (tx.dialect === 'sqlite') break; // one writer at a time: nobody raced us, nothing is free
  }
  return undefined;
}

/** holdFreeDoor for a step's first door, which must exist for the act to start. */
export async function holdFirstDoor(s: Start, transactionId: string, purpose: StepPurpose, chargerOnly: boolean) {
  const commandId = newId();
  const door = await holdFreeDoor(s.tx, s.ctx.stationId, { transactionId, purpose, chargerOnly, commandId });
  if (!door)
    throw new DomainError('no_compartment_available', chargerOnly ? 'No free charging compartment at this station' : undefined);
  return { ...door, commandId };
}

/** Holds the loaded door of a known device (collect, pickup); a door in any other state needs a technician. */
export async function holdLoadedDoor(
  s: Start,
  door: { id: string; number: number },
  transactionId: string,
  purpose: StepPurpose,
) {
  const commandId = newId();
  try {
    await reserveCompartment(s.tx.db, door.id, 'loaded', { transactionId, purpose, commandId, now: s.tx.now });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict')
      throw new DomainError('compartment_fault', 'That compartment is not available; please see a technician');
    throw error;
  }
  announceCompartment(s.tx, s.ctx.stationId, door, 'reserved');
  return { ...door, commandId };
}

/** The first door of a transaction, reserved with its unlock command id already set. */
export async function startStep(
  s: Start,
  transactionId: string,
  kind: TransactionKind,
  door: { id: string; number: number; commandId: string },
  purpose: StepPurpose,
  more: Pick<TransactionView, 'dueAt' | 'openDoors'> = {},
): Promise<Started> {
  await issueUnlock(s.tx, s.ctx.stationId, door, transactionId, purpose, door.commandId);
  const view: TransactionView = {
    id: transactionId,
    kind,
    status: 'in_progress',
    compartment: door.number,
    purpose,
    ...(more.dueAt ? { dueAt: more.dueAt } : {}),
    ...(more.openDoors ? { openDoors: more.openDoors } : {}),
  };
  announceTransaction(s.tx, s.ctx.stationId, view);
  s.tx.audit({
    actorType: 'person',
    actorId: s.personId,
    action: `transaction.${kind}_started`,
    entityType: 'kiosk_transaction',
    entityId: transactionId,
    stationId: s.ctx.stationId,
    transactionId,
    data: { compartment: door.number, purpose, ...(more.openDoors ? { openDoors: more.openDoors } : {}) },
  });
  return { transaction: view };
}

/** Opens the next door of the transaction, waits on the doors still open, or finishes it. */
export async function advance(tx: Tx, stationId: string, txn: KioskStep, outcome: Outcome): Promise<void> {
  const lent = txn.loan && (txn.kind === 'borrow' || txn.kind === 'swap') ? txn.loan : undefined;
  const base = {
    id: txn.id,
    kind: txn.kind,
    ...(lent ? { dueAt: lent.dueAt } : {}),
    ...(lent?.assetTag ? { assetTag: lent.assetTag } : {}),
  };
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
  if (outcome.stillOpen) {
    // Doors unlocked together (a collection all at once): nothing to unlock, the kiosk lists what is still open.
    const { doors, purpose } = outcome.stillOpen;
    announceTransaction(tx, stationId, { ...base, status: 'in_progress', compartment: doors[0]!, purpose, openDoors: doors });
    return;
  }
  await finishKioskTransaction(tx.db, txn.id, 'completed', null, tx.now);
  announceTransaction(tx, stationId, {
    ...base,
    status: 'completed',
    compartment: null,
    purpose: null,
    ...(outcome.summary ? { summary: outcome.summary } : {}),
  });
}
