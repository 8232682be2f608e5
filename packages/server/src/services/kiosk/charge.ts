import { DomainError } from '@cubby/core';
import {
  findChargeSession,
  findOwnDevice,
  insertChargeSession,
  moveChargeSession,
  moveDevice,
  newId,
  openChargeSession,
  parseJson,
} from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { sendCommand } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, openKioskTransaction, startStep } from './steps.js';

type Charge = Extract<KioskAction, { kind: 'charge' }>;

/** "Charge my device": a student locks their own device in a charging compartment. */
export async function startCharge(s: Start) {
  if (await openChargeSession(s.tx.db, s.personId)) throw new DomainError('already_charging');
  const own = await findOwnDevice(s.tx.db, s.personId);
  const sessionId = newId();
  const transactionId = await openKioskTransaction(s, 'charge', { deviceId: own?.id ?? null }, { charge_session_id: sessionId });
  const door = await holdFirstDoor(s, transactionId, 'deposit_for_charge', true);
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

export async function chargeSessionOf(step: StepAt) {
  const session = step.txn.charge_session_id ? await findChargeSession(step.tx.db, step.txn.charge_session_id) : undefined;
  if (!session) throw new DomainError('not_found', 'charge session missing');
  return session;
}

/** The door shut: with a device inside, charging starts. */
export async function onChargeDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, stationId, door } = step;
  const session = await chargeSessionOf(step);
  if (!presence) {
    await moveChargeSession(tx.db, { id: session.id, from: session.status, event: { type: 'deposit_failed' } });
    return { error: new DomainError('nothing_returned', 'No device was detected in the compartment') };
  }
  await moveChargeSession(tx.db, {
    id: session.id,
    from: session.status,
    event: { type: 'deposited' },
    set: { deposited_at: tx.now },
  });
  // It was in service when the charge started (findOwnDevice).
  if (session.device_id)
    await moveDevice(tx.db, { id: session.device_id, from: 'in_service', event: { type: 'deposit_for_charge' }, now: tx.now });
  sendCommand(tx, stationId, { kind: 'set_charging', compartment: door.number, on: true });
  tx.audit({
    ...personAt(step),
    action: 'charge.started',
    entityType: 'charge_session',
    entityId: session.id,
    data: { compartment: door.number },
  });
  return {};
}

export const depositForCharge: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<{ deviceId?: string | null }>(txn.detail).deviceId ?? null,
  // The charger goes on with the closing (the station is told by set_charging).
  closedFields: (presence) => (presence ? { charging: 1 } : {}),
  closed: onChargeDoorClosed,
  jammed: onDepositDoorJammed,
};

/** A deposit given up: the session is cancelled. */
export async function onChargeAbandoned(step: StepAt) {
  const session = await chargeSessionOf(step);
  if (session.status === 'depositing')
    await moveChargeSession(step.tx.db, { id: session.id, from: 'depositing', event: { type: 'deposit_failed' } });
}

export const charge: KioskAct<Charge> = {
  kind: 'charge',
  start: startCharge,
  steps: { deposit_for_charge: depositForCharge },
  abandoned: onChargeAbandoned,
};
