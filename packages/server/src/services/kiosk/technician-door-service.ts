import { DomainError } from '@cubby/core';
import type { KioskAction } from '@cubby/protocol';
import { changeCompartmentService } from '../compartment-operations.js';
import type { KioskAct, Start } from './act.js';
import { pickedDoor } from './door-check.js';
import { assertTechnicianHere } from './technician-mode.js';

type DoorService = Extract<KioskAction, { kind: 'technician_door_service' }>;

/**
 * A technician takes a door out of service, or puts it back, from the
 * technician menu: the dashboard's rules and audit (changeCompartmentService),
 * with the technician as actor. Opens no door. Refused: a door a visit uses
 * (`door_in_use`); a door holding a repaired device for its owner, which
 * would strand the pickup (`door_holds_pickup`: place it elsewhere first);
 * back in service, a door whose sensor disagrees with the records
 * (`door_contents_unknown`: open it and look first).
 */
export async function startDoorService(s: Start, action: DoorService): Promise<{ accepted: true }> {
  await assertTechnicianHere(s);
  const door = await pickedDoor(s, action.compartment);
  if (action.outOfService && door.device_id) {
    const device = await s.tx.db.selectFrom('devices').select('status').where('id', '=', door.device_id).executeTakeFirst();
    if (device?.status === 'ready_for_pickup')
      throw new DomainError(
        'door_holds_pickup',
        `Locker ${door.number} holds a repaired device waiting for its owner; leave it in service until it is picked up`,
        { compartment: door.number },
      );
  }
  try {
    await changeCompartmentService(s.tx, door, action.outOfService, {
      actorType: 'person',
      actorId: s.personId,
      reason: action.reason,
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict' && error.details.reason === 'contents_unknown')
      throw new DomainError('door_contents_unknown', error.message, { compartment: door.number });
    throw error;
  }
  return { accepted: true };
}

export const technicianDoorService: KioskAct<DoorService> = { kind: 'technician_door_service', start: startDoorService };
