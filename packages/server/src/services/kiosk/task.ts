import { DomainError } from '@cubby/core';
import { findDevice, moveDevice, moveTask, parseJson, readyTaskHere, setDeviceOwner } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, holdLoadedDoor, openKioskTransaction, startStep } from './steps.js';

type TaskAction = Extract<KioskAction, { kind: 'task' }>;

interface Detail {
  taskId: string;
  deviceId: string;
}

/**
 * A person carries out their single-use task (core/task, docs/tasks.md): one
 * tap opens exactly that task's door — the loaded door of a pick-up, or an
 * empty door for a drop-off. Only the person's own ready task at this
 * station is found; any other task id (someone else's, another station's, a
 * forged one) is refused the same way and changes nothing.
 */
export async function startTask(s: Start, action: TaskAction) {
  const task = await readyTaskHere(s.tx.db, s.personId, s.ctx.stationId);
  if (!task || task.id !== action.taskId || !task.deviceId)
    throw new DomainError('nothing_to_collect', 'No task of yours is waiting at this station');
  const detail: Detail = { taskId: task.id, deviceId: task.deviceId };
  if (task.kind === 'pick_up') {
    if (!task.compartmentId || task.compartmentNumber === null)
      throw new DomainError('nothing_to_collect', 'No task of yours is waiting at this station');
    const transactionId = await openKioskTransaction(s, 'task', { ...detail });
    const door = await holdLoadedDoor(
      s,
      { id: task.compartmentId, number: task.compartmentNumber },
      transactionId,
      'task_pick_up',
    );
    return startStep(s, transactionId, 'task', door, 'task_pick_up');
  }
  // A drop-off: the device must still be with its holder (not lent, charging or in a locker since).
  const device = await findDevice(s.tx.db, task.deviceId);
  if (device?.status !== 'in_service')
    throw new DomainError('invalid_transition', `${task.assetTag ?? 'The device'} is not with you to leave; please see IT`, {
      entity: 'device',
      state: device?.status ?? null,
      event: 'dropped_off',
    });
  const transactionId = await openKioskTransaction(s, 'task', { ...detail });
  const door = await holdFirstDoor(s, transactionId, 'task_drop_off', false);
  return startStep(s, transactionId, 'task', door, 'task_drop_off');
}

/**
 * The pick-up's door shut with nothing inside: the task is done and the
 * device, in service with the person, is their own 1:1 device (the
 * assignment's rules were checked when the task was created, tasks/tasks.ts).
 */
export async function onTaskPickUpClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, door } = step;
  if (presence) return { error: new DomainError('device_not_taken', 'Your device is still in the locker') };
  const { taskId, deviceId } = parseJson<Detail>(txn.detail);
  // Both were ready when the visit started (readyTaskHere); a move since is a conflict.
  await moveTask(tx.db, { id: taskId, from: 'ready', event: { type: 'completed' }, now: tx.now, by: txn.person_id });
  await moveDevice(tx.db, { id: deviceId, from: 'ready_for_pickup', event: { type: 'picked_up' }, now: tx.now });
  const device = await findDevice(tx.db, deviceId);
  if (device && device.owner_id === null) {
    if (!(await setDeviceOwner(tx.db, { id: deviceId, from: null, to: txn.person_id, pool: 'assigned', now: tx.now })))
      throw new DomainError('conflict');
    tx.audit({
      ...personAt(step),
      action: 'device.assigned',
      entityType: 'device',
      entityId: deviceId,
      data: { deviceId, personId: txn.person_id, pool: device.pool, taskId },
    });
  }
  tx.audit({
    ...personAt(step),
    action: 'task.done',
    entityType: 'task',
    entityId: taskId,
    data: { kind: 'pick_up', deviceId, compartment: door.number },
  });
  return {};
}

/** The drop-off's door shut with the device inside: done; it waits there for a technician's collection. */
export async function onTaskDropOffClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, door } = step;
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was left') };
  const { taskId, deviceId } = parseJson<Detail>(txn.detail);
  await moveTask(tx.db, {
    id: taskId,
    from: 'ready',
    event: { type: 'completed' },
    now: tx.now,
    by: txn.person_id,
    compartmentId: door.id,
  });
  await moveDevice(tx.db, { id: deviceId, from: 'in_service', event: { type: 'dropped_off' }, now: tx.now });
  tx.audit({
    ...personAt(step),
    action: 'task.done',
    entityType: 'task',
    entityId: taskId,
    data: { kind: 'drop_off', deviceId, compartment: door.number },
  });
  return {};
}

export const taskPickUp: StepHandler = {
  deviceLeftIn: ({ door }) => door.device_id, // not taken: it stays behind its door, the task still ready
  closed: onTaskPickUpClosed,
  // Nothing was claimed but the door: the device waits behind it, the task stays ready, and the kiosk says why.
  jammed: async () => undefined,
};

export const taskDropOff: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<Detail>(txn.detail).deviceId,
  closed: onTaskDropOffClosed,
  // Another empty door of the station serves instead, or the drop-off is refused and nothing changed.
  jammed: onDepositDoorJammed,
};

export const taskAct: KioskAct<TaskAction> = {
  kind: 'task',
  start: startTask,
  steps: { task_pick_up: taskPickUp, task_drop_off: taskDropOff },
};
