import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { anyEventOf, expectMove, machineContract, transitionTable, walk } from '../testing/machine-contract.js';
import { isInCompartment, nextDevice, type DeviceEvent, type DeviceStatus } from './device.js';

const statuses: readonly DeviceStatus[] = [
  'in_service',
  'available',
  'on_loan',
  'charging',
  'awaiting_collection',
  'in_repair',
  'ready_for_pickup',
  'lost',
  'retired',
];

type EventType = DeviceEvent['type'];

const allowed: Record<EventType, Partial<Record<DeviceStatus, DeviceStatus>>> = {
  stock: { in_repair: 'available', in_service: 'available', on_loan: 'available' },
  take_out: { available: 'in_service' },
  lend: { available: 'on_loan' },
  lend_cancelled: { on_loan: 'available' },
  lent_offline: Object.fromEntries(
    statuses.filter((s) => s !== 'on_loan' && s !== 'lost' && s !== 'retired').map((s) => [s, 'on_loan']),
  ),
  returned: { on_loan: 'available', lost: 'available' },
  deposit_for_charge: { in_service: 'charging' },
  collect_from_charge: { charging: 'in_service' },
  flag_broken: { in_service: 'awaiting_collection', on_loan: 'awaiting_collection', available: 'awaiting_collection' },
  collect_for_repair: { awaiting_collection: 'in_repair' },
  repaired: { in_repair: 'ready_for_pickup' },
  picked_up: { ready_for_pickup: 'in_service' },
  loaded_for_task: { in_service: 'ready_for_pickup' },
  dropped_off: { in_service: 'awaiting_collection' },
  task_cancelled: { ready_for_pickup: 'awaiting_collection' },
  lost: { on_loan: 'lost', in_service: 'lost' },
  found: { lost: 'in_repair' },
  retire: Object.fromEntries(statuses.filter((s) => s !== 'retired').map((s) => [s, 'retired'])),
  wipe: { in_service: 'in_service', in_repair: 'in_repair' },
};

const eventTypes = Object.keys(allowed) as EventType[];
const anEvent = anyEventOf(eventTypes);

describe('device state machine', () => {
  it.each(transitionTable(statuses, allowed))('a $from device given $event $outcome', ({ from, event, to }) =>
    expectMove(nextDevice(from, { type: event }), to),
  );

  it("a student's own device goes to repair and comes back to them", () => {
    const { steps } = walk(nextDevice, 'in_service', [
      { type: 'flag_broken' },
      { type: 'collect_for_repair' },
      { type: 'repaired' },
      { type: 'picked_up' },
    ]);
    expect(steps.map((s) => s.result)).toEqual(['awaiting_collection', 'in_repair', 'ready_for_pickup', 'in_service']);
  });

  it('a loaner cycles between its compartment and a student without passing through any other state', () => {
    const { end, steps } = walk(nextDevice, 'available', [
      { type: 'lend' },
      { type: 'returned' },
      { type: 'lend' },
      { type: 'lend_cancelled' },
    ]);
    expect(steps.every((s) => !isDomainError(s.result))).toBe(true);
    expect(end).toBe('available');
  });

  it('any sequence of events keeps the device in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextDevice, statuses, anEvent), { numRuns: 500 });
  });

  it('a retired device accepts no further event', () => {
    for (const type of eventTypes) expect(isDomainError(nextDevice('retired', { type }))).toBe(true);
  });

  it('once retired, a device stays retired whatever happens next', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 30 }), (events) => {
        expect(walk(nextDevice, 'retired', events).end).toBe('retired');
      }),
    );
  });

  it('a lost device comes back only by being returned, found (to repair) or retired', () => {
    const ways = eventTypes.filter((type) => !isDomainError(nextDevice('lost', { type })));
    expect(ways.sort()).toEqual(['found', 'retire', 'returned']);
    expect(nextDevice('lost', { type: 'found' })).toBe('in_repair');
  });

  // The one other way onto a loan is a station's offline journal: the loaner already left.
  it('a device can be lent only while it sits available in a compartment, unless a station lent it offline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.array(anEvent, { maxLength: 30 }), (start, events) => {
        for (const { before, event, result } of walk(nextDevice, start, events).steps) {
          if (result === 'on_loan' && event.type === 'lend') expect(before).toBe('available');
          if (result === 'on_loan') expect(['lend', 'lent_offline']).toContain(event.type);
        }
      }),
    );
  });

  it('a device is in a compartment exactly while available, charging, awaiting collection or ready for pickup', () => {
    const inside = statuses.filter(isInCompartment);
    expect(inside).toEqual(['available', 'charging', 'awaiting_collection', 'ready_for_pickup']);
  });
});
