import { checkCollectable, DomainError } from '@cubby/core';
import { moveChargeSession, moveDevice, openChargeSession } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { sendCommand } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { chargeSessionOf } from './charge.js';
import { holdLoadedDoor, openKioskTransaction, startStep } from './steps.js';

type Collect = Extract<KioskAction, { kind: 'collect' }>;

/** A student collects their charged device with the credential that locked it in, within the time limit. */
export async function startCollect(s: Start) {
  const session = await openChargeSession(s.tx.db, s.personId);
  if (!session || session.status !== 'charging') throw new DomainError('nothing_to_collect');
  if (session.station_id !== s.ctx.stationId)
    throw new DomainError('nothing_to_collect', 'Your device is charging at another station');
  const expired = checkCollectable(Number(session.deposited_at), s.tx.now, s.ctx.policy.chargeTimeLimitMinutes);
  if (expired) throw expired;
  const transactionId = await openKioskTransaction(s, 'collect', {}, { charge_session_id: session.id });
  const door = await holdLoadedDoor(
    s,
    { id: session.compartmentId, number: session.compartmentNumber },
    transactionId,
    'collect_own',
  );
  await moveChargeSession(s.tx.db, { id: session.id, from: 'charging', event: { type: 'collect' } });
  return startStep(s, transactionId, 'collect', door, 'collect_own');
}

/** The door shut: the device is collected only if it left; left inside, it stays there charging. */
export async function onCollectDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, stationId, door } = step;
  const session = await chargeSessionOf(step);
  if (presence) {
    await moveChargeSession(tx.db, { id: session.id, from: session.status, event: { type: 'collect_failed' } });
    return { error: new DomainError('device_not_taken', 'Your device is still in the locker; it stays there safely') };
  }
  await moveChargeSession(tx.db, {
    id: session.id,
    from: session.status,
    event: { type: 'collected' },
    set: { collected_at: tx.now },
  });
  // It has been charging since the deposit (charge.ts).
  if (session.device_id)
    await moveDevice(tx.db, { id: session.device_id, from: 'charging', event: { type: 'collect_from_charge' }, now: tx.now });
  sendCommand(tx, stationId, { kind: 'set_charging', compartment: door.number, on: false });
  tx.audit({
    ...personAt(step),
    action: 'charge.collected',
    entityType: 'charge_session',
    entityId: session.id,
    data: { compartment: door.number },
  });
  return {};
}

/** A collection given up (a jammed lock, an abandoned step): the device stays, charging. */
export async function onCollectAbandoned(step: StepAt) {
  const session = await chargeSessionOf(step);
  if (session.status === 'collecting')
    await moveChargeSession(step.tx.db, { id: session.id, from: 'collecting', event: { type: 'collect_failed' } });
}

export const collectOwn: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id, // it was left behind
  closedFields: (presence) => (presence ? {} : { charging: 0 }),
  closed: onCollectDoorClosed,
  jammed: async (step) => {
    await onCollectAbandoned(step);
    return undefined;
  },
};

export const collect: KioskAct<Collect> = {
  kind: 'collect',
  start: startCollect,
  steps: { collect_own: collectOwn },
  abandoned: onCollectAbandoned,
};
