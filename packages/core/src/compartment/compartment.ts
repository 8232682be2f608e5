import { assertNever, invalidTransition, type DomainError } from '../errors.js';

/**
 * A compartment's door/occupancy lifecycle. `reserved` and `open` belong to one
 * kiosk transaction; where the door ends (`loaded` or `empty`) is decided by the
 * presence sensor when it closes, never by what the transaction expected.
 */
export const compartmentStatuses = ['empty', 'loaded', 'reserved', 'open', 'out_of_service'] as const;
export type CompartmentStatus = (typeof compartmentStatuses)[number];

export type CompartmentEvent =
  | { type: 'reserve' }
  | { type: 'release'; presence: boolean }
  | { type: 'door_opened' }
  | { type: 'door_closed'; presence: boolean }
  | { type: 'step_abandoned'; presence: boolean } // a transaction gave up a door it held or had opened
  | { type: 'take_out_of_service' }
  | { type: 'return_to_service'; presence: boolean }
  // An offline replay: the station's journal says what went in or out while the server could not hear.
  | { type: 'emptied_offline' }
  | { type: 'filled_offline' }
  // Staff (or the demo's seed) put a device behind a closed, empty door outside any kiosk visit.
  | { type: 'stocked' };

export function nextCompartment(state: CompartmentStatus, event: CompartmentEvent): CompartmentStatus | DomainError {
  switch (event.type) {
    case 'reserve':
      return state === 'empty' || state === 'loaded' ? 'reserved' : invalidTransition('compartment', state, event.type);
    case 'release':
      return state === 'reserved' ? occupancy(event.presence) : invalidTransition('compartment', state, event.type);
    case 'door_opened':
      // A door can also be opened by a technician key; only out_of_service stays put.
      return state === 'out_of_service' ? state : 'open';
    case 'door_closed':
      if (state === 'out_of_service') return state;
      return state === 'open' || state === 'reserved'
        ? occupancy(event.presence)
        : invalidTransition('compartment', state, event.type);
    case 'step_abandoned':
      return state === 'reserved' || state === 'open'
        ? occupancy(event.presence)
        : invalidTransition('compartment', state, event.type);
    case 'take_out_of_service':
      return 'out_of_service';
    case 'emptied_offline':
      // The loaner left through a door the server could not watch: wherever the server had it, it is gone.
      return 'empty';
    case 'filled_offline':
    case 'stocked':
      return state === 'empty' ? 'loaded' : invalidTransition('compartment', state, event.type);
    case 'return_to_service':
      return state === 'out_of_service' ? occupancy(event.presence) : invalidTransition('compartment', state, event.type);
    default:
      return assertNever(event);
  }
}

function occupancy(presence: boolean): CompartmentStatus {
  return presence ? 'loaded' : 'empty';
}

export function isUsable(status: CompartmentStatus): boolean {
  return status === 'empty' || status === 'loaded';
}
