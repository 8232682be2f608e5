import { DomainError, isInCompartment, wipeRequired, type Principal } from '@cubby/core';
import { hasOpenLoan, listDevices, setDeviceOwner, wipeAndLastHolder, type Tx } from '@cubby/db';
import { transact, type Services } from '../deps.js';
import { byWhom, deviceFor, personFor } from '../district-records.js';
import { rereadDevice, toDevice } from './device-profile.js';

/**
 * A student's own 1:1 device: its `owner_id` and pool `assigned`. The kiosk
 * finds it by its owner (findOwnDevice, findKioskPerson's own device), so a
 * swap or a drop-off takes this one. Refused, with the reason, for a loaner
 * out on loan, a device someone else owns, one sitting in a locker (it
 * would be lent or held there), one lost or retired, one not wiped since its
 * last holder, and for a person who already has one (unassign it first: the
 * kiosk would not know which).
 */
/** Who is given a device of their own: students (1:1) and staff (a teacher's Chromebook). */
const holderRoles = new Set(['student', 'staff']);

export async function assignDevice(services: Services, principal: Principal, deviceId: string, personId: string) {
  return transact(services, async (tx) => {
    const person = await personFor(tx, principal, personId);
    const device = await deviceFor(tx, principal, deviceId);
    if (device.ownerId === personId) return toDevice(device, principal);
    await refuseAssignment(tx, person, device);
    if (!(await setDeviceOwner(tx.db, { id: deviceId, from: null, to: personId, pool: 'assigned', now: tx.now })))
      throw new DomainError('conflict');
    audit(tx, principal, 'device.assigned', deviceId, personId, device.pool);
    return rereadDevice(tx.db, principal, deviceId);
  });
}

/**
 * Why this device may not become this person's own, thrown (the rules above);
 * a single-use pick-up task checks the same when it is created
 * (services/tasks/tasks.ts), since its device becomes the person's at the locker.
 */
export async function refuseAssignment(
  tx: Tx,
  person: Awaited<ReturnType<typeof personFor>>,
  device: Awaited<ReturnType<typeof deviceFor>>,
): Promise<void> {
  if (!holderRoles.has(person.role) || Number(person.active) !== 1 || person.erasedAt != null)
    throw new DomainError('conflict', 'Only an active student or staff member is given a device of their own', {
      reason: 'not_a_student',
    });
  if (device.ownerId) throw new DomainError('conflict', 'This device belongs to another student', { reason: 'owned_by_other' });
  if (device.status === 'on_loan' || (await hasOpenLoan(tx.db, device.id)))
    throw new DomainError('conflict', 'This loaner is out on loan: it must be returned first', { reason: 'on_loan' });
  if (isInCompartment(device.status))
    throw new DomainError('conflict', 'This device is in a locker: take it out first', { reason: 'in_locker' });
  if (device.status === 'lost' || device.status === 'retired')
    throw new DomainError('conflict', 'This device is lost or retired', { reason: 'not_in_service' });
  // Reassigned (to a younger grade, a staff member) or out of the loaner pool: wiped since its last holder.
  const unwiped = wipeRequired(await wipeAndLastHolder(tx.db, device.id));
  if (unwiped) throw unwiped;
  const own = await listDevices(tx.db, { ownerId: person.id, limit: 1 });
  if (own.items.length > 0)
    throw new DomainError('conflict', `This person already has ${own.items[0]!.assetTag}: unassign it first`, {
      reason: 'has_device',
    });
}

/** The device is nobody's again (a spare of the assigned pool), unless it waits in a locker for its owner. */
export async function unassignDevice(services: Services, principal: Principal, deviceId: string) {
  return transact(services, async (tx) => {
    const device = await deviceFor(tx, principal, deviceId);
    if (!device.ownerId) return toDevice(device, principal);
    if (isInCompartment(device.status))
      throw new DomainError('conflict', 'This device is in a locker for its owner: they collect it first', {
        reason: 'in_locker',
      });
    if (!(await setDeviceOwner(tx.db, { id: deviceId, from: device.ownerId, to: null, pool: device.pool, now: tx.now })))
      throw new DomainError('conflict');
    audit(tx, principal, 'device.unassigned', deviceId, device.ownerId, device.pool);
    return rereadDevice(tx.db, principal, deviceId);
  });
}

function audit(tx: Tx, principal: Principal, action: string, deviceId: string, personId: string, pool: string) {
  tx.audit({
    actorType: 'user',
    actorId: principal.id,
    action,
    entityType: 'device',
    entityId: deviceId,
    data: { deviceId, personId, pool, by: byWhom(principal) },
  });
}
