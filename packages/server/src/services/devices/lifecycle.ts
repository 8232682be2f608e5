import {
  DomainError,
  isDomainError,
  lifecycleEvent,
  type DeviceStatus,
  type LifecycleStep,
  type Principal,
  type RetireReason,
  type WipeMethod,
} from '@cubby/core';
import {
  hasOpenLoan,
  moveDevice,
  moveLoan,
  openLoanOfDevice,
  lostLoanOfDevice,
  recordWipe,
  updateDeviceFields,
  type Tx,
} from '@cubby/db';
import type { Device, DeviceBulkAction } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { byWhom, campusFor, deviceFor } from '../district-records.js';
import { rereadDevice } from './device-profile.js';

/**
 * The device lifecycle outside the locker (issue 14): wipe, retire, lost,
 * found, one device or many. Each step is core's (lifecycleEvent: what the
 * state allows and why not), applied by db's conditional move from the
 * status just read, and audited with the actor and the step's method or
 * reason. A refusal is a 409 problem with its `reason`.
 */
export async function deviceLifecycleStep(
  services: Services,
  principal: Principal,
  deviceId: string,
  step: LifecycleStep,
  note?: string,
): Promise<Device> {
  return transact(services, async (tx) => {
    await applyStep(tx, principal, deviceId, step, note);
    return rereadDevice(tx.db, principal, deviceId);
  });
}

/**
 * Many devices at once (the device list's selection): every device is
 * checked first, and nothing changes unless all of them can; the refusal
 * lists each device that cannot, with its reason.
 */
export async function bulkDeviceAction(services: Services, principal: Principal, body: DeviceBulkAction) {
  return transact(services, async (tx) => {
    const { action } = body;
    if (action.type === 'move_campus') await campusFor(tx, principal, action.siteId);
    const errors: { deviceId: string; code: string; reason: string | null; detail: string }[] = [];
    for (const deviceId of body.deviceIds) {
      const refusal = await checkRow(tx, principal, deviceId, action);
      if (refusal)
        errors.push({
          deviceId,
          code: refusal.code,
          reason: typeof refusal.details.reason === 'string' ? refusal.details.reason : null,
          detail: refusal.message,
        });
    }
    if (errors.length)
      throw new DomainError('conflict', `${errors.length} of ${body.deviceIds.length} devices cannot be changed; nothing was`, {
        reason: 'bulk_refused',
        errors,
      });
    for (const deviceId of body.deviceIds) {
      if (action.type === 'move_campus') await moveCampus(tx, principal, deviceId, action.siteId);
      else await applyStep(tx, principal, deviceId, stepOf(action));
    }
    return { items: await Promise.all(body.deviceIds.map((id) => rereadDevice(tx.db, principal, id))) };
  });
}

type BulkAction = DeviceBulkAction['action'];

function stepOf(action: Exclude<BulkAction, { type: 'move_campus' }>): LifecycleStep {
  return action.type === 'wipe'
    ? { type: 'wipe', method: action.method }
    : { type: 'retire', reason: action.reason, certificateRef: action.certificateRef ?? null };
}

async function checkRow(tx: Tx, principal: Principal, deviceId: string, action: BulkAction): Promise<DomainError | null> {
  try {
    const device = await deviceFor(tx, principal, deviceId);
    if (action.type === 'move_campus')
      return device.status === 'retired'
        ? new DomainError('invalid_transition', 'This device is retired', { reason: 'retired' })
        : null;
    const event = lifecycleEvent({ status: device.status, onLoan: await hasOpenLoan(tx.db, deviceId) }, stepOf(action));
    return isDomainError(event) ? event : null;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
}

async function applyStep(tx: Tx, principal: Principal, deviceId: string, step: LifecycleStep, note?: string) {
  const device = await deviceFor(tx, principal, deviceId);
  const event = lifecycleEvent({ status: device.status, onLoan: await hasOpenLoan(tx.db, deviceId) }, step);
  if (isDomainError(event)) throw event;
  const to = await moveByStep(tx, deviceId, device.status, step);
  if (step.type === 'wipe') await recordWipe(tx.db, deviceId, tx.now);
  const loanId = await settleLoan(tx, principal, deviceId, step);
  tx.audit({
    actorType: 'user',
    actorId: principal.id,
    action: auditActions[step.type],
    entityType: 'device',
    entityId: deviceId,
    data: {
      deviceId,
      from: device.status,
      to,
      ...stepDetails(step),
      ...(note ? { note } : {}),
      ...(loanId ? { loanId } : {}),
      by: byWhom(principal),
    },
  });
}

const auditActions: Record<LifecycleStep['type'], string> = {
  wipe: 'device.wiped',
  retire: 'device.retired',
  lost: 'device.marked_lost',
  found: 'device.found',
};

function stepDetails(step: LifecycleStep): { method?: WipeMethod; reason?: RetireReason; certificateRef?: string | null } {
  if (step.type === 'wipe') return { method: step.method };
  if (step.type === 'retire') return { reason: step.reason, certificateRef: step.certificateRef ?? null };
  return {};
}

/**
 * The loan of a device that goes missing while out: marked lost (or retired
 * as lost or stolen) on loan, its loan is declared lost, so the student is no
 * longer counted as holding a loaner on time; found, that lost loan ends as
 * returned (the device is back, in repair). The loan id, when one moved.
 */
async function settleLoan(tx: Tx, principal: Principal, deviceId: string, step: LifecycleStep): Promise<string | null> {
  const goesMissing = step.type === 'lost' || (step.type === 'retire' && (step.reason === 'lost' || step.reason === 'stolen'));
  const loan = goesMissing
    ? await openLoanOfDevice(tx.db, deviceId)
    : step.type === 'found'
      ? await lostLoanOfDevice(tx.db, deviceId)
      : undefined;
  if (!loan) return null;
  if (goesMissing) await moveLoan(tx.db, { id: loan.id, from: loan.status, event: { type: 'declared_lost' } });
  else await moveLoan(tx.db, { id: loan.id, from: loan.status, event: { type: 'returned' }, set: { ended_at: tx.now } });
  tx.audit({
    actorType: 'user',
    actorId: principal.id,
    action: goesMissing ? 'loan.declared_lost' : 'loan.returned_found',
    entityType: 'loan',
    entityId: loan.id,
    data: { loanId: loan.id, deviceId, personId: loan.person_id, by: byWhom(principal) },
  });
  return loan.id;
}

/** Each step's move, spelled as core's event (the state-change test reads these literals). */
function moveByStep(tx: Tx, id: string, from: DeviceStatus, step: LifecycleStep): Promise<DeviceStatus> {
  const now = tx.now;
  switch (step.type) {
    case 'wipe':
      return moveDevice(tx.db, { id, from, event: { type: 'wipe' }, now });
    case 'retire':
      return moveDevice(tx.db, { id, from, event: { type: 'retire' }, now });
    case 'lost':
      return moveDevice(tx.db, { id, from, event: { type: 'lost' }, now });
    case 'found':
      return moveDevice(tx.db, { id, from, event: { type: 'found' }, now });
  }
}

async function moveCampus(tx: Tx, principal: Principal, deviceId: string, siteId: string) {
  const device = await deviceFor(tx, principal, deviceId);
  if (device.siteId === siteId) return;
  await updateDeviceFields(tx.db, deviceId, { site_id: siteId }, tx.now);
  tx.audit({
    actorType: 'user',
    actorId: principal.id,
    action: 'device.campus_moved',
    entityType: 'device',
    entityId: deviceId,
    data: { deviceId, fromSiteId: device.siteId, toSiteId: siteId, bulk: true, by: byWhom(principal) },
  });
}
