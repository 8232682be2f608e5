import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { anyEventOf, expectMove, machineContract, terminalContract, transitionTable, walk } from '../testing/machine-contract.js';
import {
  isRepairProgress,
  nextRepair,
  repairSymptoms,
  repairTimestampColumn,
  type RepairEvent,
  type RepairStatus,
} from './repair-ticket.js';

/** The documented order of a ticket's life; `retired` may end it from any open step. */
const order: readonly RepairStatus[] = [
  'reported',
  'awaiting_collection',
  'collected',
  'in_repair',
  'repaired',
  'ready_for_pickup',
  'closed',
];
const statuses: readonly RepairStatus[] = [...order, 'retired'];

type EventType = RepairEvent['type'];

const allowed: Record<EventType, Partial<Record<RepairStatus, RepairStatus>>> = {
  deposited: { reported: 'awaiting_collection' },
  collected: { awaiting_collection: 'collected' },
  repair_started: { collected: 'in_repair' },
  repair_finished: { in_repair: 'repaired' },
  placed_for_pickup: { repaired: 'ready_for_pickup' },
  picked_up: { ready_for_pickup: 'closed' },
  retire: Object.fromEntries(order.filter((s) => s !== 'closed').map((s) => [s, 'retired' as const])),
};

const eventTypes = Object.keys(allowed) as EventType[];
const anEvent = anyEventOf(eventTypes);

describe('repair ticket state machine', () => {
  it.each(transitionTable(statuses, allowed))('a $from ticket given $event $outcome', ({ from, event, to }) =>
    expectMove(nextRepair(from, { type: event }), to),
  );

  it('a ticket walks the whole documented order from reported to closed', () => {
    const { steps, end } = walk(nextRepair, 'reported', [
      { type: 'deposited' },
      { type: 'collected' },
      { type: 'repair_started' },
      { type: 'repair_finished' },
      { type: 'placed_for_pickup' },
      { type: 'picked_up' },
    ]);
    expect(['reported', ...steps.map((s) => s.result)]).toEqual(order);
    expect(end).toBe('closed');
  });

  it('any sequence of events keeps the ticket in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextRepair, statuses, anEvent), { numRuns: 500 });
  });

  it('a ticket only ever moves one step forward along its order, or to retired', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.array(anEvent, { maxLength: 40 }), (start, events) => {
        for (const { before, result } of walk(nextRepair, start, events).steps) {
          if (isDomainError(result)) continue;
          expect(isRepairProgress(before, result)).toBe(true);
          if (result !== 'retired') expect(order.indexOf(result)).toBe(order.indexOf(before) + 1);
        }
      }),
    );
  });

  it.each(['closed', 'retired'] as const)('a %s ticket accepts no further event', (terminal) => {
    fc.assert(terminalContract(nextRepair, terminal, anEvent));
  });

  it('progress means the next step in the order or retirement, never a skip or a step back', () => {
    expect(isRepairProgress('reported', 'awaiting_collection')).toBe(true);
    expect(isRepairProgress('in_repair', 'retired')).toBe(true);
    expect(isRepairProgress('reported', 'collected')).toBe(false);
    expect(isRepairProgress('repaired', 'in_repair')).toBe(false);
    expect(isRepairProgress('collected', 'collected')).toBe(false);
  });

  it('each state has its own timestamp column for turnaround analytics', () => {
    const columns = statuses.map(repairTimestampColumn);
    expect(new Set(columns).size).toBe(statuses.length);
    expect(repairTimestampColumn('ready_for_pickup')).toBe('ready_for_pickup_at');
  });

  it('symptom categories cover the usual Chromebook failures and an escape hatch', () => {
    expect(repairSymptoms).toContain('screen');
    expect(repairSymptoms).toContain('other');
    expect(new Set(repairSymptoms).size).toBe(repairSymptoms.length);
  });
});
