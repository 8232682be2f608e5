import {
  nextTask,
  orThrow,
  taskStatesOf,
  taskTimestampColumn,
  type TaskEvent,
  type TaskFilter,
  type TaskState,
} from '@cubby/core';
import type { Expression } from 'kysely';
import type { TaskTable } from './schema.js';
import { expectChanged } from './state-change.js';
import type { Executor } from './transaction.js';

/**
 * Single-use tasks (core/task): what the kiosk asks at a sign-in and at a
 * technician's scan, the dashboard's list, and every state change as a
 * conditional update from the state the caller read.
 */

export async function insertTask(db: Executor, task: TaskTable) {
  await db.insertInto('tasks').values(task).execute();
}

export interface TaskMove {
  id: string;
  from: TaskState;
  event: TaskEvent;
  now: number;
  /** Who caused it: the technician, the person at the kiosk, the dashboard user. */
  by: string;
  compartmentId?: string | null;
}

/** The UPDATE of a task move, from exactly `from` to what core's machine says, with its time and actor. */
export function moveTaskQuery(db: Executor, move: TaskMove) {
  const to = orThrow(nextTask(move.from, move.event));
  if (to === 'awaiting_load') throw new Error('no move leads back to awaiting_load');
  const at = taskTimestampColumn(to);
  const by = at.replace('_at', '_by') as 'ready_by' | 'done_by' | 'cancelled_by';
  return db
    .updateTable('tasks')
    .set({
      state: to,
      [at]: move.now,
      [by]: move.by,
      ...(move.compartmentId === undefined ? {} : { compartment_id: move.compartmentId }),
    })
    .where('id', '=', move.id)
    .where('state', '=', move.from);
}

/** Moves a task by a core event; `conflict` when it was no longer in `from`. */
export async function moveTask(db: Executor, move: TaskMove): Promise<TaskState> {
  const r = await moveTaskQuery(db, move).executeTakeFirst();
  expectChanged(r.numUpdatedRows, 'task', move.id, move.from);
  return orThrow(nextTask(move.from, move.event));
}

export function findTask(db: Executor, id: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The person's ready task at this station, oldest first, with its door (a
 * loaded pick-up has one; a drop-off gets one when the person opens it).
 * Nothing of another station or another person is ever returned. A query, so
 * the kiosk's sign-in reads it in the same statement as the rest of the menu.
 */
export function readyTaskQuery(db: Executor, personId: string | Expression<string>, stationId: string) {
  return db
    .selectFrom('tasks')
    .leftJoin('compartments', 'compartments.id', 'tasks.compartment_id')
    .leftJoin('devices', 'devices.id', 'tasks.device_id')
    .select([
      'tasks.id',
      'tasks.kind',
      'tasks.device_id as deviceId',
      'tasks.compartment_id as compartmentId',
      'compartments.number as compartmentNumber',
      'devices.asset_tag as assetTag',
    ])
    .where('tasks.person_id', '=', personId)
    .where('tasks.station_id', '=', stationId)
    .where('tasks.state', '=', 'ready')
    .orderBy('tasks.created_at')
    .orderBy('tasks.id')
    .limit(1);
}

export function readyTaskHere(db: Executor, personId: string, stationId: string) {
  return readyTaskQuery(db, personId, stationId).executeTakeFirst();
}

/** The pick-up task of this device waiting to be loaded at this station, if any. */
export function taskToLoad(db: Executor, stationId: string, deviceId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'person_id', 'device_id'])
    .where('station_id', '=', stationId)
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'pick_up')
    .where('state', '=', 'awaiting_load')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** How many pick-ups wait to be loaded at this station (the technician menu's count). */
export function tasksToLoadQuery(db: Executor, stationId: string) {
  return db
    .selectFrom('tasks')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('station_id', '=', stationId)
    .where('kind', '=', 'pick_up')
    .where('state', '=', 'awaiting_load');
}

/** An open task of this device anywhere (a device is handed over by one task at a time). */
export function openTaskOfDevice(db: Executor, deviceId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'kind', 'state'])
    .where('device_id', '=', deviceId)
    .where('state', 'in', taskStatesOf('open'))
    .limit(1)
    .executeTakeFirst();
}

export interface TaskListArgs {
  districtId: string;
  /** The campuses the caller may see (a campus technician's); undefined is the whole district. */
  scope?: readonly string[] | undefined;
  filter?: TaskFilter | undefined;
  stationId?: string | undefined;
  siteId?: string | undefined;
  personId?: string | undefined;
  taskId?: string | undefined;
  limit: number;
}

/** The dashboard's list, newest first: who, what, where, which door, and who did each step. */
export function listTasks(db: Executor, args: TaskListArgs) {
  let q = db
    .selectFrom('tasks')
    .innerJoin('stations', 'stations.id', 'tasks.station_id')
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .innerJoin('people', 'people.id', 'tasks.person_id')
    .leftJoin('devices', 'devices.id', 'tasks.device_id')
    .leftJoin('compartments', 'compartments.id', 'tasks.compartment_id')
    .leftJoin('users', 'users.id', 'tasks.created_by')
    .select([
      'tasks.id',
      'tasks.kind',
      'tasks.state',
      'tasks.note',
      'tasks.person_id as personId',
      'people.given_name as givenName',
      'people.family_name as familyName',
      'tasks.station_id as stationId',
      'stations.name as stationName',
      'sites.id as siteId',
      'sites.name as siteName',
      'tasks.device_id as deviceId',
      'devices.asset_tag as assetTag',
      'compartments.number as compartment',
      'tasks.created_by as createdBy',
      'users.name as createdByName',
      'tasks.created_at as createdAt',
      'tasks.ready_at as readyAt',
      'tasks.done_at as doneAt',
      'tasks.cancelled_at as cancelledAt',
    ])
    .where('tasks.district_id', '=', args.districtId);
  if (args.scope) q = args.scope.length ? q.where('stations.site_id', 'in', args.scope) : q.where('tasks.id', 'is', null);
  if (args.filter) q = q.where('tasks.state', 'in', taskStatesOf(args.filter));
  if (args.stationId) q = q.where('tasks.station_id', '=', args.stationId);
  if (args.siteId) q = q.where('stations.site_id', '=', args.siteId);
  if (args.personId) q = q.where('tasks.person_id', '=', args.personId);
  if (args.taskId) q = q.where('tasks.id', '=', args.taskId);
  return q.orderBy('tasks.created_at', 'desc').orderBy('tasks.id', 'desc').limit(args.limit).execute();
}

/**
 * Devices left by a drop-off task behind this station's doors, waiting for a
 * technician's "Collect flagged devices": awaiting collection with no repair
 * ticket (a swap's broken device has one; awaitingCollectionAt finds those).
 * The same shape as awaitingCollectionAt, with no ticket.
 */
export function droppedOffAt(db: Executor, stationId: string) {
  return droppedOff(db)
    .select([
      'devices.id as deviceId',
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'compartments.status as compartmentStatus',
      'compartments.presence as presence',
    ])
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
}

function droppedOff(db: Executor) {
  return db
    .selectFrom('compartments')
    .innerJoin('devices', 'devices.id', 'compartments.device_id')
    .where('devices.status', '=', 'awaiting_collection')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('repair_tickets')
            .select('repair_tickets.id')
            .whereRef('repair_tickets.device_id', '=', 'devices.id')
            .where('repair_tickets.status', '=', 'awaiting_collection'),
        ),
      ),
    );
}
