import { canSeeSite, DomainError, initialTaskState, isDomainError, nextTask, type Principal } from '@cubby/core';
import {
  deviceByAssetTag,
  findOwnDevice,
  findStationContext,
  findTask,
  insertTask,
  listTasks,
  moveDevice,
  moveTask,
  newId,
  openTaskOfDevice,
  type Tx,
} from '@cubby/db';
import type { Task, TaskCreate, TaskListQuery } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { refuseAssignment } from '../devices/assignment.js';
import { byWhom, deviceFor, personFor, theDistrictId } from '../district-records.js';

/**
 * Single-use tasks from the dashboard (issue 14, docs/tasks.md): create a
 * pick-up or drop-off for a named person at a station of the caller's
 * campuses, list them, cancel one. The kiosk carries them out
 * (services/kiosk/task.ts, place-for-pickup.ts). Each state change is core's
 * (nextTask) applied by db's conditional move, audited with its actor.
 */

const actor = (principal: Principal) => ({ actorType: 'user' as const, actorId: principal.id });

/** A station of the district at one of the caller's campuses; any other is refused the same way. */
async function stationFor(tx: Tx, principal: Principal, stationId: string) {
  const [station, districtId] = await Promise.all([findStationContext(tx.db, stationId), theDistrictId(tx)]);
  if (!station || station.districtId !== districtId || !canSeeSite(principal, station.siteId))
    throw new DomainError('bad_request', 'That station is not one of yours', { reason: 'unknown_station' });
  return { ...station, districtId };
}

/** The device a pick-up hands over: IT's own (in service, not in a locker, not on loan), of the assigned pool, assignable to the person. */
async function pickUpDevice(
  tx: Tx,
  principal: Principal,
  districtId: string,
  person: Awaited<ReturnType<typeof personFor>>,
  assetTag: string | undefined,
) {
  if (!assetTag)
    throw new DomainError('bad_request', 'A pick-up needs the asset tag of the device to hand over', {
      reason: 'asset_tag_required',
    });
  const found = await deviceByAssetTag(tx.db, districtId, assetTag);
  if (!found)
    throw new DomainError('bad_request', `No device of this district has asset tag ${assetTag.trim()}`, {
      reason: 'unknown_asset_tag',
    });
  const device = await deviceFor(tx, principal, found.id);
  // A loaner leaves a locker on a loan, with its due time; a task hands over a device for good.
  if (device.pool === 'loaner')
    throw new DomainError('conflict', 'A loaner goes out on a loan at the kiosk, not by a task', { reason: 'loaner' });
  if (device.ownerId !== person.id) await refuseAssignment(tx, person, device);
  if (device.status !== 'in_service' || Boolean(Number(found.on_loan)) || found.compartment_number !== null)
    throw new DomainError('conflict', `${device.assetTag} is not in IT's hands (it is ${device.status})`, {
      reason: device.status === 'on_loan' || Boolean(Number(found.on_loan)) ? 'on_loan' : 'not_in_service',
    });
  return device;
}

/** The device a drop-off collects: the one named (it must be the person's), or the person's own 1:1 device. */
async function dropOffDevice(tx: Tx, principal: Principal, districtId: string, personId: string, assetTag: string | undefined) {
  const found = assetTag ? await deviceByAssetTag(tx.db, districtId, assetTag) : await findOwnDevice(tx.db, personId);
  if (!found)
    throw new DomainError(
      assetTag ? 'bad_request' : 'conflict',
      assetTag
        ? `No device of this district has asset tag ${assetTag.trim()}`
        : 'This person has no device of their own on record: name one',
      { reason: assetTag ? 'unknown_asset_tag' : 'no_device' },
    );
  const device = await deviceFor(tx, principal, found.id);
  if (device.ownerId !== personId || device.pool !== 'assigned')
    throw new DomainError('conflict', `${device.assetTag} is not this person's own device`, { reason: 'not_theirs' });
  if (device.status === 'lost' || device.status === 'retired')
    throw new DomainError('conflict', 'This device is lost or retired', { reason: 'not_in_service' });
  return device;
}

export async function createTask(services: Services, principal: Principal, body: TaskCreate): Promise<Task> {
  const id = await transact(services, async (tx) => {
    const station = await stationFor(tx, principal, body.stationId);
    const person = await personFor(tx, principal, body.personId);
    if (Number(person.active) !== 1 || person.erasedAt != null)
      throw new DomainError('conflict', 'This person is not active', { reason: 'not_active' });
    const device =
      body.kind === 'pick_up'
        ? await pickUpDevice(tx, principal, station.districtId, person, body.assetTag)
        : await dropOffDevice(tx, principal, station.districtId, person.id, body.assetTag);
    const open = await openTaskOfDevice(tx.db, device.id);
    if (open)
      throw new DomainError('conflict', `${device.assetTag} already has an open task`, { reason: 'open_task', taskId: open.id });
    const taskId = newId();
    await insertTask(tx.db, {
      id: taskId,
      district_id: station.districtId,
      station_id: station.stationId,
      kind: body.kind,
      person_id: person.id,
      device_id: device.id,
      compartment_id: null,
      state: initialTaskState(body.kind),
      note: body.note?.trim() ?? '',
      created_by: principal.id,
      created_at: tx.now,
      ready_at: null,
      ready_by: null,
      done_at: null,
      done_by: null,
      cancelled_at: null,
      cancelled_by: null,
    });
    tx.audit({
      ...actor(principal),
      action: 'task.created',
      entityType: 'task',
      entityId: taskId,
      stationId: station.stationId,
      data: { kind: body.kind, personId: person.id, deviceId: device.id, by: byWhom(principal) },
    });
    return taskId;
  });
  return taskFor(services, principal, id);
}

/**
 * Cancelled before it is done. A drop-off holds no door until it opens. A
 * pick-up still waiting to be loaded releases nothing; one already loaded
 * leaves its device behind its door, awaiting collection, so a technician's
 * "Collect flagged devices" takes it out (docs/tasks.md).
 */
export async function cancelTask(services: Services, principal: Principal, taskId: string): Promise<Task> {
  await transact(services, async (tx) => {
    const task = await visibleTask(tx, principal, taskId);
    const next = nextTask(task.state, { type: 'cancel' });
    if (isDomainError(next)) throw next;
    await moveTask(tx.db, { id: task.id, from: task.state, event: { type: 'cancel' }, now: tx.now, by: principal.id });
    const loaded = task.kind === 'pick_up' && task.state === 'ready' && task.device_id;
    if (loaded)
      await moveDevice(tx.db, { id: task.device_id!, from: 'ready_for_pickup', event: { type: 'task_cancelled' }, now: tx.now });
    tx.audit({
      ...actor(principal),
      action: 'task.cancelled',
      entityType: 'task',
      entityId: task.id,
      stationId: task.station_id,
      data: {
        kind: task.kind,
        from: task.state,
        deviceId: task.device_id,
        leftBehindDoor: Boolean(loaded),
        by: byWhom(principal),
      },
    });
  });
  return taskFor(services, principal, taskId);
}

async function visibleTask(tx: Tx, principal: Principal, taskId: string) {
  const task = await findTask(tx.db, taskId);
  const districtId = await theDistrictId(tx);
  const station = task ? await findStationContext(tx.db, task.station_id) : undefined;
  if (!task || task.district_id !== districtId || !station || !canSeeSite(principal, station.siteId))
    throw new DomainError('not_found', 'No such task');
  return task;
}

export async function taskList(services: Services, principal: Principal, query: TaskListQuery): Promise<{ items: Task[] }> {
  return { items: await tasksOf(services, principal, query) };
}

async function taskFor(services: Services, principal: Principal, taskId: string): Promise<Task> {
  const [task] = await tasksOf(services, principal, { taskId, limit: 1 });
  if (!task) throw new DomainError('not_found', 'No such task');
  return task;
}

async function tasksOf(services: Services, principal: Principal, query: TaskListQuery & { taskId?: string }): Promise<Task[]> {
  const districtId = await theDistrictId(services.cubby);
  const rows = await listTasks(services.cubby.db, {
    districtId,
    scope: principal.siteIds ?? undefined,
    filter: query.state,
    stationId: query.stationId,
    siteId: query.siteId,
    personId: query.personId,
    taskId: query.taskId,
    limit: query.limit ?? 200,
  });
  const withNames = principal.permissions.has('people:read');
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    state: r.state,
    note: r.note,
    personId: r.personId,
    personName: withNames ? `${r.givenName} ${r.familyName}`.trim() : null,
    stationId: r.stationId,
    stationName: r.stationName,
    siteId: r.siteId,
    siteName: r.siteName,
    deviceId: r.deviceId,
    assetTag: r.assetTag,
    compartment: r.compartment === null ? null : Number(r.compartment),
    createdBy: r.createdByName ?? r.createdBy,
    createdAt: Number(r.createdAt),
    readyAt: r.readyAt === null ? null : Number(r.readyAt),
    doneAt: r.doneAt === null ? null : Number(r.doneAt),
    cancelledAt: r.cancelledAt === null ? null : Number(r.cancelledAt),
  }));
}
