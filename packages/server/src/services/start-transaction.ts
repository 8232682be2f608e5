import {
  checkCollectable,
  checkLoanLimit,
  DomainError,
  loanDueAt,
  type LoanReason,
  type RepairSymptom,
  type StepPurpose,
  type TransactionKind,
  type TransactionView,
} from '@cubby/core';
import {
  acceptAgreement,
  countOpenLoans,
  emptyCompartments,
  findOwnDevice,
  findPerson,
  insertChargeSession,
  insertKioskTransaction,
  insertLoan,
  isRequestSeen,
  loansBeingReturned,
  lockPerson,
  moveChargeSession,
  nearbyStationsWithLoaners,
  newId,
  openChargeSession,
  pickupWaiting,
  reserveCompartment,
  returnableLoans,
  type Tx,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { announceCompartment, announceTransaction, issueUnlock, stationContext, transact, type Services } from './deps.js';
import { claimLoaner } from './loaner-claim.js';
import { personOfSession } from './kiosk-session.js';

type Ctx = Awaited<ReturnType<typeof stationContext>>;

export interface Started {
  transaction: TransactionView;
}

/**
 * A signed-in person asks a station for something. Decides with core, claims
 * doors and devices atomically, and sends the first unlock once it commits.
 */
export async function startTransaction(
  services: Services,
  stationId: string,
  requestId: string,
  sessionToken: string,
  action: KioskAction,
): Promise<Started | { accepted: true }> {
  const personId = personOfSession(services, stationId, sessionToken);
  return transact(services, async (tx) => {
    if (await isRequestSeen(tx.db, stationId, requestId)) throw new DomainError('replayed_message');
    const ctx = await stationContext(tx, stationId);
    const person = await findPerson(tx.db, personId);
    if (!person || person.active !== 1) throw new DomainError('not_eligible');
    if (action.kind === 'accept_agreement') {
      // Accepting again (or a replayed message) keeps the first acceptance and its audit event.
      if (person.agreement_accepted_at === null) {
        await acceptAgreement(tx.db, personId, tx.now);
        tx.audit({
          actorType: 'person',
          actorId: personId,
          action: 'person.agreement_accepted',
          entityType: 'person',
          entityId: personId,
          stationId,
        });
      }
      return { accepted: true as const };
    }
    const start = { tx, ctx, personId, requestId };
    switch (action.kind) {
      case 'borrow':
        if (ctx.policy.requireAgreement && person.agreement_accepted_at === null) throw new DomainError('agreement_required');
        return borrow(start, action.reason);
      case 'return':
        return returnLoaner(start, action.assetTag);
      case 'swap':
        return swap(start, action.symptom, action.notes ?? '');
      case 'charge':
        return charge(start);
      case 'collect':
        return collect(start);
      case 'pickup':
        return pickup(start);
    }
  });
}

interface Start {
  tx: Tx;
  ctx: Ctx;
  personId: string;
  requestId: string;
}

type Links = Partial<Record<'loan_id' | 'repair_ticket_id' | 'charge_session_id', string>>;

async function openKioskTransaction(
  s: Start,
  kind: TransactionKind,
  detail: Record<string, unknown> = {},
  links: Links = {},
): Promise<string> {
  const id = newId();
  await insertKioskTransaction(s.tx.db, {
    id,
    station_id: s.ctx.stationId,
    person_id: s.personId,
    request_id: s.requestId,
    kind,
    status: 'in_progress',
    error_code: null,
    loan_id: links.loan_id ?? null,
    repair_ticket_id: links.repair_ticket_id ?? null,
    charge_session_id: links.charge_session_id ?? null,
    detail: JSON.stringify(detail),
    created_at: s.tx.now,
    completed_at: null,
  });
  return id;
}

/** Holds the first free compartment that is still free when we reach it. */
async function holdEmptyCompartment(
  s: Start,
  transactionId: string,
  purpose: StepPurpose,
  chargerOnly: boolean,
  commandId: string,
) {
  const candidates = await emptyCompartments(s.tx.db, s.ctx.stationId, { chargerOnly, preferCharger: true });
  for (const c of candidates) {
    if (await reserveCompartment(s.tx.db, { id: c.id, from: 'empty', transactionId, purpose, commandId, now: s.tx.now })) {
      announceCompartment(s.tx, s.ctx.stationId, c, 'reserved');
      return { ...c, commandId };
    }
  }
  throw new DomainError('no_compartment_available', chargerOnly ? 'No free charging compartment at this station' : undefined);
}

/** The first door of a transaction, reserved with its unlock command id already set. */
async function startStep(
  s: Start,
  transactionId: string,
  kind: TransactionKind,
  door: { id: string; number: number; commandId: string },
  purpose: StepPurpose,
  dueAt?: number,
): Promise<Started> {
  await issueUnlock(s.tx, s.ctx.stationId, door, transactionId, purpose, door.commandId);
  const view: TransactionView = {
    id: transactionId,
    kind,
    status: 'in_progress',
    compartment: door.number,
    purpose,
    ...(dueAt ? { dueAt } : {}),
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
    data: { compartment: door.number, purpose },
  });
  return { transaction: view };
}

async function noLoanerError(s: Start): Promise<DomainError> {
  const nearby = await nearbyStationsWithLoaners(s.tx.db, s.ctx.siteId, s.ctx.stationId, s.ctx.policy.minChargePercent);
  return new DomainError('no_loaner_available', undefined, {
    nearby: nearby.map((n) => ({ stationId: n.stationId, stationName: n.stationName, available: Number(n.available) })),
  });
}

async function checkLimit(s: Start): Promise<void> {
  await lockPerson(s.tx.db, s.tx.dialect, s.personId);
  const limitError = checkLoanLimit(await countOpenLoans(s.tx.db, s.personId), s.ctx.policy);
  if (limitError) throw limitError;
}

async function borrow(s: Start, reason: LoanReason): Promise<Started> {
  await checkLimit(s);
  const loanId = newId();
  const commandId = newId();
  const transactionId = await openKioskTransaction(s, 'borrow', { reason }, { loan_id: loanId });
  const dueAt = loanDueAt(s.tx.now, { timeZone: s.ctx.timeZone, endOfDay: s.ctx.schoolDayEnd });
  const claimed = await claimLoaner(s.tx, s.ctx.stationId, s.ctx.policy.minChargePercent, transactionId, commandId);
  if (!claimed) throw await noLoanerError(s);
  await insertLoan(s.tx.db, {
    id: loanId,
    device_id: claimed.deviceId,
    person_id: s.personId,
    station_id: s.ctx.stationId,
    compartment_id: claimed.compartmentId,
    transaction_id: transactionId,
    reason,
    status: 'pending',
    created_at: s.tx.now,
    started_at: null,
    due_at: dueAt,
    ended_at: null,
    return_station_id: null,
  });
  s.tx.audit({
    actorType: 'person',
    actorId: s.personId,
    action: 'loan.claimed',
    entityType: 'loan',
    entityId: loanId,
    stationId: s.ctx.stationId,
    transactionId,
    data: { deviceId: claimed.deviceId, reason, dueAt },
  });
  return startStep(
    s,
    transactionId,
    'borrow',
    { id: claimed.compartmentId, number: claimed.compartmentNumber, commandId },
    'take_loaner',
    dueAt,
  );
}

async function returnLoaner(s: Start, assetTag: string | undefined): Promise<Started> {
  // One return per loan at a time: a second door opened for the same loan (a double tap,
  // the same student at two kiosks) would close on "a device" that cannot be this loaner,
  // which already sits behind the first door. Serialised per person on PostgreSQL.
  await lockPerson(s.tx.db, s.tx.dialect, s.personId);
  const returning = await loansBeingReturned(s.tx.db, s.personId);
  const loans = await returnableLoans(s.tx.db, s.personId);
  if (loans.length === 0) throw new DomainError('no_active_loan');
  const loan = assetTag
    ? loans.find((l) => l.asset_tag === assetTag.trim())
    : (loans.find((l) => !returning.has(l.id)) ?? loans[0]);
  if (!loan) throw new DomainError('wrong_loaner', `Loaner ${assetTag} is not on loan to you`);
  if (returning.has(loan.id)) throw new DomainError('no_active_loan', 'This loaner is already being returned at an open door');
  const transactionId = await openKioskTransaction(s, 'return', { deviceId: loan.device_id }, { loan_id: loan.id });
  const door = await holdEmptyCompartment(s, transactionId, 'return_loaner', false, newId());
  return startStep(s, transactionId, 'return', door, 'return_loaner');
}

async function swap(s: Start, symptom: RepairSymptom, notes: string): Promise<Started> {
  const own = await findOwnDevice(s.tx.db, s.personId);
  if (!own) throw new DomainError('no_device_on_record', 'We have no device of yours on record; please see a technician');
  await checkLimit(s);
  const loanId = newId();
  const transactionId = await openKioskTransaction(s, 'swap', { deviceId: own.id, symptom, notes }, { loan_id: loanId });
  // Both doors are held now, so the student never deposits a device and then finds no loaner.
  const depositDoor = await holdEmptyCompartment(s, transactionId, 'deposit_broken', false, newId());
  const claimed = await claimLoaner(s.tx, s.ctx.stationId, s.ctx.policy.minChargePercent, transactionId, null);
  if (!claimed) throw await noLoanerError(s);
  const dueAt = loanDueAt(s.tx.now, { timeZone: s.ctx.timeZone, endOfDay: s.ctx.schoolDayEnd });
  await insertLoan(s.tx.db, {
    id: loanId,
    device_id: claimed.deviceId,
    person_id: s.personId,
    station_id: s.ctx.stationId,
    compartment_id: claimed.compartmentId,
    transaction_id: transactionId,
    reason: 'broken',
    status: 'pending',
    created_at: s.tx.now,
    started_at: null,
    due_at: dueAt,
    ended_at: null,
    return_station_id: null,
  });
  s.tx.audit({
    actorType: 'person',
    actorId: s.personId,
    action: 'loan.claimed',
    entityType: 'loan',
    entityId: loanId,
    stationId: s.ctx.stationId,
    transactionId,
    data: { deviceId: claimed.deviceId, reason: 'broken', dueAt, swapFor: own.id },
  });
  return startStep(s, transactionId, 'swap', depositDoor, 'deposit_broken', dueAt);
}

async function charge(s: Start): Promise<Started> {
  if (await openChargeSession(s.tx.db, s.personId)) throw new DomainError('already_charging');
  const own = await findOwnDevice(s.tx.db, s.personId);
  const sessionId = newId();
  const transactionId = await openKioskTransaction(s, 'charge', { deviceId: own?.id ?? null }, { charge_session_id: sessionId });
  const door = await holdEmptyCompartment(s, transactionId, 'deposit_for_charge', true, newId());
  await insertChargeSession(s.tx.db, {
    id: sessionId,
    person_id: s.personId,
    device_id: own?.id ?? null,
    station_id: s.ctx.stationId,
    compartment_id: door.id,
    transaction_id: transactionId,
    status: 'depositing',
    created_at: s.tx.now,
    deposited_at: null,
    collected_at: null,
  });
  return startStep(s, transactionId, 'charge', door, 'deposit_for_charge');
}

async function collect(s: Start): Promise<Started> {
  const session = await openChargeSession(s.tx.db, s.personId);
  if (!session || session.status !== 'charging') throw new DomainError('nothing_to_collect');
  if (session.station_id !== s.ctx.stationId)
    throw new DomainError('nothing_to_collect', 'Your device is charging at another station');
  const expired = checkCollectable(Number(session.deposited_at), s.tx.now, s.ctx.policy.chargeTimeLimitMinutes);
  if (expired) throw expired;
  const transactionId = await openKioskTransaction(s, 'collect', {}, { charge_session_id: session.id });
  const door = { id: session.compartmentId, number: session.compartmentNumber, commandId: newId() };
  if (
    !(await reserveCompartment(s.tx.db, {
      id: door.id,
      from: 'loaded',
      transactionId,
      purpose: 'collect_own',
      commandId: door.commandId,
      now: s.tx.now,
    }))
  ) {
    throw new DomainError('compartment_fault', 'That compartment is not available; please see a technician');
  }
  if (!(await moveChargeSession(s.tx.db, session.id, 'charging', 'collecting'))) throw new DomainError('nothing_to_collect');
  announceCompartment(s.tx, s.ctx.stationId, door, 'reserved');
  return startStep(s, transactionId, 'collect', door, 'collect_own');
}

async function pickup(s: Start): Promise<Started> {
  const waiting = await pickupWaiting(s.tx.db, s.personId, s.ctx.stationId);
  if (!waiting) throw new DomainError('nothing_to_collect', 'No repaired device is waiting for you here');
  const transactionId = await openKioskTransaction(
    s,
    'pickup',
    { deviceId: waiting.deviceId },
    { repair_ticket_id: waiting.ticketId },
  );
  const door = { id: waiting.compartmentId, number: waiting.compartmentNumber, commandId: newId() };
  if (
    !(await reserveCompartment(s.tx.db, {
      id: door.id,
      from: 'loaded',
      transactionId,
      purpose: 'pickup_repaired',
      commandId: door.commandId,
      now: s.tx.now,
    }))
  ) {
    throw new DomainError('compartment_fault', 'That compartment is not available; please see a technician');
  }
  announceCompartment(s.tx, s.ctx.stationId, door, 'reserved');
  return startStep(s, transactionId, 'pickup', door, 'pickup_repaired');
}
