import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { anyEventOf, expectMove, machineContract, terminalContract, transitionTable, walk } from '../testing/machine-contract.js';
import {
  initialTaskState,
  isOpenTask,
  nextTask,
  taskKinds,
  taskStates,
  taskStatesOf,
  type TaskEvent,
  type TaskState,
} from './task.js';

type EventType = TaskEvent['type'];

const allowed: Record<EventType, Partial<Record<TaskState, TaskState>>> = {
  loaded: { awaiting_load: 'ready' },
  completed: { ready: 'done' },
  cancel: { awaiting_load: 'cancelled', ready: 'cancelled' },
};
const eventTypes = Object.keys(allowed) as EventType[];
const anEvent = anyEventOf(eventTypes);

describe('single-use task state machine', () => {
  it.each(transitionTable(taskStates, allowed))('a $from task given $event $outcome', ({ from, event, to }) =>
    expectMove(nextTask(from, { type: event }), to),
  );

  it('a pick-up is loaded, then taken; a drop-off is ready at once and done when left', () => {
    expect(initialTaskState('pick_up')).toBe('awaiting_load');
    expect(initialTaskState('drop_off')).toBe('ready');
    const pickUp = walk(nextTask, initialTaskState('pick_up'), [{ type: 'loaded' }, { type: 'completed' }]);
    expect(pickUp.steps.map((s) => s.result)).toEqual(['ready', 'done']);
    expect(walk(nextTask, initialTaskState('drop_off'), [{ type: 'completed' }]).end).toBe('done');
  });

  it('any sequence of events keeps the task in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextTask, taskStates, anEvent), { numRuns: 500 });
  });

  it('done and cancelled are final: nothing moves a task out of them', () => {
    fc.assert(terminalContract(nextTask, 'done', anEvent));
    fc.assert(terminalContract(nextTask, 'cancelled', anEvent));
  });

  it('from its first state, whatever happens, a task is done at most once and never done after being cancelled', () => {
    fc.assert(
      fc.property(fc.constantFrom(...taskKinds), fc.array(anEvent, { maxLength: 20 }), (kind, events) => {
        const { steps } = walk(nextTask, initialTaskState(kind), events);
        const reached = steps.filter((s) => !isDomainError(s.result)).map((s) => s.result);
        expect(reached.filter((s) => s === 'done').length).toBeLessThanOrEqual(1);
        const cancelledAt = reached.indexOf('cancelled');
        if (cancelledAt >= 0) expect(reached.slice(cancelledAt + 1)).toEqual([]);
        // Only a loaded task can be completed: a pick-up is never done without passing `ready`.
        for (const s of steps) if (s.result === 'done') expect(s.before).toBe('ready');
      }),
    );
  });

  it('the open filter is exactly the states still to be carried out', () => {
    expect(taskStates.filter(isOpenTask)).toEqual(taskStatesOf('open'));
    expect(taskStatesOf('done')).toEqual(['done']);
  });
});
