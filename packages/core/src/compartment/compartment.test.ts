import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { machineContract, walk } from '../testing/machine-contract.js';
import { isUsable, nextCompartment, type CompartmentEvent, type CompartmentStatus } from './compartment.js';

const statuses: readonly CompartmentStatus[] = ['empty', 'loaded', 'reserved', 'open', 'out_of_service'];

const anEvent: fc.Arbitrary<CompartmentEvent> = fc.oneof(
  fc.constant({ type: 'reserve' as const }),
  fc.boolean().map((presence) => ({ type: 'release' as const, presence })),
  fc.constant({ type: 'door_opened' as const }),
  fc.boolean().map((presence) => ({ type: 'door_closed' as const, presence })),
  fc.constant({ type: 'take_out_of_service' as const }),
  fc.boolean().map((presence) => ({ type: 'return_to_service' as const, presence })),
  fc.boolean().map((presence) => ({ type: 'step_abandoned' as const, presence })),
  fc.constant({ type: 'emptied_offline' as const }),
  fc.constant({ type: 'filled_offline' as const }),
  fc.constant({ type: 'stocked' as const }),
);

/** What the presence sensor decides when a door shuts. */
const byPresence = (presence: boolean): CompartmentStatus => (presence ? 'loaded' : 'empty');

type Row = [from: CompartmentStatus, event: CompartmentEvent, to: CompartmentStatus | 'refused'];

const table: Row[] = [
  ['empty', { type: 'reserve' }, 'reserved'],
  ['loaded', { type: 'reserve' }, 'reserved'],
  ['reserved', { type: 'reserve' }, 'refused'],
  ['open', { type: 'reserve' }, 'refused'],
  ['out_of_service', { type: 'reserve' }, 'refused'],
  ['reserved', { type: 'release', presence: true }, 'loaded'],
  ['reserved', { type: 'release', presence: false }, 'empty'],
  ['empty', { type: 'release', presence: false }, 'refused'],
  ['loaded', { type: 'release', presence: true }, 'refused'],
  ['open', { type: 'release', presence: true }, 'refused'],
  ['out_of_service', { type: 'release', presence: false }, 'refused'],
  ['reserved', { type: 'door_opened' }, 'open'],
  ['empty', { type: 'door_opened' }, 'open'],
  ['loaded', { type: 'door_opened' }, 'open'],
  ['open', { type: 'door_opened' }, 'open'],
  ['out_of_service', { type: 'door_opened' }, 'out_of_service'],
  ['open', { type: 'door_closed', presence: true }, 'loaded'],
  ['open', { type: 'door_closed', presence: false }, 'empty'],
  ['reserved', { type: 'door_closed', presence: true }, 'loaded'],
  ['reserved', { type: 'door_closed', presence: false }, 'empty'],
  ['out_of_service', { type: 'door_closed', presence: true }, 'out_of_service'],
  ['empty', { type: 'door_closed', presence: false }, 'refused'],
  ['loaded', { type: 'door_closed', presence: true }, 'refused'],
  ...statuses.map((from): Row => [from, { type: 'take_out_of_service' }, 'out_of_service']),
  ['out_of_service', { type: 'return_to_service', presence: true }, 'loaded'],
  ['out_of_service', { type: 'return_to_service', presence: false }, 'empty'],
  ...(['empty', 'loaded', 'reserved', 'open'] as const).map((from): Row => [
    from,
    { type: 'return_to_service', presence: false },
    'refused',
  ]),
  ['reserved', { type: 'step_abandoned', presence: true }, 'loaded'],
  ['reserved', { type: 'step_abandoned', presence: false }, 'empty'],
  ['open', { type: 'step_abandoned', presence: true }, 'loaded'],
  ['open', { type: 'step_abandoned', presence: false }, 'empty'],
  ...(['empty', 'loaded', 'out_of_service'] as const).map((from): Row => [
    from,
    { type: 'step_abandoned', presence: true },
    'refused',
  ]),
  ...statuses.map((from): Row => [from, { type: 'emptied_offline' }, 'empty']),
  ['empty', { type: 'filled_offline' }, 'loaded'],
  ...(['loaded', 'reserved', 'open', 'out_of_service'] as const).map((from): Row => [
    from,
    { type: 'filled_offline' },
    'refused',
  ]),
  ['empty', { type: 'stocked' }, 'loaded'],
  ...(['loaded', 'reserved', 'open', 'out_of_service'] as const).map((from): Row => [from, { type: 'stocked' }, 'refused']),
];

describe('compartment state machine', () => {
  it.each(table)('a %s compartment given %o ends %s', (from, event, to) => {
    const result = nextCompartment(from, event);
    if (to === 'refused') {
      expect(isDomainError(result) && result.code).toBe('invalid_transition');
    } else {
      expect(result).toBe(to);
    }
  });

  it('a kiosk borrow walks empty-handed from loaded through reserved and open to empty', () => {
    const { steps, end } = walk(nextCompartment, 'loaded', [
      { type: 'reserve' },
      { type: 'door_opened' },
      { type: 'door_closed', presence: false },
    ]);
    expect(steps.map((s) => s.result)).toEqual(['reserved', 'open', 'empty']);
    expect(end).toBe('empty');
  });

  it('a refusal names the compartment, the state and the event it refused', () => {
    const result = nextCompartment('open', { type: 'reserve' });
    expect(isDomainError(result)).toBe(true);
    expect(isDomainError(result) && result.details).toEqual({ entity: 'compartment', state: 'open', event: 'reserve' });
  });

  it('any sequence of events keeps the compartment in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextCompartment, statuses, anEvent), { numRuns: 500 });
  });

  it('out_of_service is reachable in one step from wherever a sequence of events leaves the compartment', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.array(anEvent, { maxLength: 30 }), (start, events) => {
        const { end } = walk(nextCompartment, start, events);
        expect(nextCompartment(end, { type: 'take_out_of_service' })).toBe('out_of_service');
      }),
    );
  });

  it('an out-of-service compartment leaves that state only by being returned to service, or emptied by an offline replay', () => {
    fc.assert(
      fc.property(anEvent, (event) => {
        const result = nextCompartment('out_of_service', event);
        if (event.type === 'return_to_service') expect(result).toBe(byPresence(event.presence));
        else if (event.type === 'emptied_offline') expect(result).toBe('empty');
        else expect(isDomainError(result) ? 'out_of_service' : result).toBe('out_of_service');
      }),
    );
  });

  it('whenever a door shuts or a hold ends, the presence sensor alone decides loaded or empty', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), anEvent, (from, event) => {
        const result = nextCompartment(from, event);
        if (isDomainError(result) || from === 'out_of_service') return;
        if (event.type === 'door_closed' || event.type === 'release' || event.type === 'step_abandoned')
          expect(result).toBe(byPresence(event.presence));
      }),
    );
  });

  it('only an empty or loaded compartment, and so only one no transaction holds, can be reserved', () => {
    for (const status of statuses) {
      expect(isUsable(status)).toBe(status === 'empty' || status === 'loaded');
      expect(isDomainError(nextCompartment(status, { type: 'reserve' }))).toBe(!isUsable(status));
    }
  });
});
