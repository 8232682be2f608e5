import { assertNever, invalidTransition, type DomainError } from '../errors.js';

/**
 * Single-use tasks (issue 14, as a FUYL locker's "single use"): staff set up,
 * on the dashboard, one hand-over at one station for one named person.
 *
 * - `pick_up`: IT hands a device to the person (a new 1:1 device). A technician
 *   loads it at the kiosk (`awaiting_load → ready`), the person's badge opens
 *   that door and they take it (`ready → done`).
 * - `drop_off`: IT collects a device from the person (a leaving student's
 *   Chromebook). The task is `ready` at once; their badge opens an empty door
 *   and they leave it (`ready → done`); a technician's "Collect flagged
 *   devices" takes it out afterwards.
 *
 * Either is `cancelled` from the dashboard until it is done.
 */
export const taskKinds = ['pick_up', 'drop_off'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const taskStates = ['awaiting_load', 'ready', 'done', 'cancelled'] as const;
export type TaskState = (typeof taskStates)[number];

/** How the dashboard filters the list: open (awaiting load or ready), done, cancelled. */
export const taskFilters = ['open', 'done', 'cancelled'] as const;
export type TaskFilter = (typeof taskFilters)[number];

export type TaskEvent =
  | { type: 'loaded' } // a technician put the device behind its door
  | { type: 'completed' } // the person took it (pick-up) or left it (drop-off)
  | { type: 'cancel' };

/** A new task's first state: a pick-up waits for its device to be loaded; a drop-off waits for the person. */
export function initialTaskState(kind: TaskKind): TaskState {
  switch (kind) {
    case 'pick_up':
      return 'awaiting_load';
    case 'drop_off':
      return 'ready';
    default:
      return assertNever(kind);
  }
}

export function nextTask(state: TaskState, event: TaskEvent): TaskState | DomainError {
  const bad = () => invalidTransition('task', state, event.type);
  switch (event.type) {
    case 'loaded':
      return state === 'awaiting_load' ? 'ready' : bad();
    case 'completed':
      return state === 'ready' ? 'done' : bad();
    case 'cancel':
      return state === 'awaiting_load' || state === 'ready' ? 'cancelled' : bad();
    default:
      return assertNever(event);
  }
}

/** A task still to be carried out. */
export function isOpenTask(state: TaskState): boolean {
  return state === 'awaiting_load' || state === 'ready';
}

/** The states a list filter stands for. */
export function taskStatesOf(filter: TaskFilter): readonly TaskState[] {
  return filter === 'open' ? ['awaiting_load', 'ready'] : [filter];
}

/** Column holding the time (and, with `_by`, who) a task entered each later state. */
export function taskTimestampColumn(state: Exclude<TaskState, 'awaiting_load'>): 'ready_at' | 'done_at' | 'cancelled_at' {
  return `${state}_at`;
}
