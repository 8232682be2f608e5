import { assertNever, invalidTransition, type DomainError } from '../errors.js';

export const devicePools = ['assigned', 'loaner'] as const;
export type DevicePool = (typeof devicePools)[number];

export const deviceStatuses = [
  'in_service', // with its owner (assigned pool)
  'available', // loaner sitting in a compartment, ready to hand out
  'on_loan',
  'charging', // owner's device locked in a charging compartment
  'awaiting_collection', // flagged broken (or left by a drop-off task), in a compartment, waiting for a technician
  'in_repair',
  'ready_for_pickup',
  'lost',
  'retired',
] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

export type DeviceEvent =
  | { type: 'stock' } // placed in a compartment as a loaner
  | { type: 'take_out' } // a technician took an available loaner out of its compartment (to another campus, for repair)
  | { type: 'lend' } // claimed for a loan (the loan itself is pending until the door closes)
  | { type: 'lend_cancelled' }
  | { type: 'lent_offline' } // a station replayed a loan it made offline: the loaner left, whatever the server thought
  | { type: 'returned' }
  | { type: 'deposit_for_charge' }
  | { type: 'collect_from_charge' }
  | { type: 'flag_broken' } // deposited at a kiosk (swap) or reported
  | { type: 'collect_for_repair' }
  | { type: 'repaired' } // placed in a compartment for its owner
  | { type: 'picked_up' }
  | { type: 'loaded_for_task' } // a technician put it behind a door for a single-use pick-up task (core/task)
  | { type: 'dropped_off' } // its holder left it behind a door for a single-use drop-off task; a technician collects it
  | { type: 'task_cancelled' } // its pick-up task was cancelled while it waited behind its door: a technician collects it
  | { type: 'lost' }
  | { type: 'found' }
  | { type: 'retire' }
  | { type: 'wipe' }; // erased in the IT office (see lifecycle.ts): the device stays where it is

export function nextDevice(state: DeviceStatus, event: DeviceEvent): DeviceStatus | DomainError {
  const bad = () => invalidTransition('device', state, event.type);
  switch (event.type) {
    case 'stock':
      return state === 'in_repair' || state === 'in_service' || state === 'on_loan' ? 'available' : bad();
    case 'take_out':
      return state === 'available' ? 'in_service' : bad();
    case 'lend':
      return state === 'available' ? 'on_loan' : bad();
    case 'lend_cancelled':
      return state === 'on_loan' ? 'available' : bad();
    case 'lent_offline':
      // The door already opened and the loaner is gone: the record follows the fact whatever
      // the server believed (the replay notes it for staff). A lost or retired device cannot
      // have been behind the door, and one on loan already is.
      return state === 'on_loan' || state === 'lost' || state === 'retired' ? bad() : 'on_loan';
    case 'returned':
      return state === 'on_loan' || state === 'lost' ? 'available' : bad();
    case 'deposit_for_charge':
      return state === 'in_service' ? 'charging' : bad();
    case 'collect_from_charge':
      return state === 'charging' ? 'in_service' : bad();
    case 'flag_broken':
      return state === 'in_service' || state === 'on_loan' || state === 'available' ? 'awaiting_collection' : bad();
    case 'collect_for_repair':
      return state === 'awaiting_collection' ? 'in_repair' : bad();
    case 'repaired':
      return state === 'in_repair' ? 'ready_for_pickup' : bad();
    case 'picked_up':
      return state === 'ready_for_pickup' ? 'in_service' : bad();
    case 'loaded_for_task':
      // From IT's hands (in service, not in a locker) to a door held for the task's person.
      return state === 'in_service' ? 'ready_for_pickup' : bad();
    case 'dropped_off':
      return state === 'in_service' ? 'awaiting_collection' : bad();
    case 'task_cancelled':
      return state === 'ready_for_pickup' ? 'awaiting_collection' : bad();
    case 'lost':
      return state === 'on_loan' || state === 'in_service' ? 'lost' : bad();
    case 'found':
      return state === 'lost' ? 'in_repair' : bad();
    case 'retire':
      return state === 'retired' ? bad() : 'retired';
    case 'wipe':
      // Only a device in hand: with staff (in service, not in a locker) or on the repair bench.
      return state === 'in_service' || state === 'in_repair' ? state : bad();
    default:
      return assertNever(event);
  }
}

/** A device sits in a compartment exactly in these states. */
export function isInCompartment(status: DeviceStatus): boolean {
  return status === 'available' || status === 'charging' || status === 'awaiting_collection' || status === 'ready_for_pickup';
}
