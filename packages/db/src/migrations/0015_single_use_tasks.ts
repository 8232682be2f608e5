import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Single-use tasks (issue 14, docs/tasks.md): a pick-up or drop-off for one
 * named person at one station, set up on the dashboard. The door is null
 * until a technician loads the pick-up (or the person opens one for a
 * drop-off); each later state keeps its time and who caused it.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('device_id', 'text', (c) => c.references('devices.id'))
    .addColumn('compartment_id', 'text', (c) => c.references('compartments.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    // A dashboard user (or token) id.
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The technician (a person) who loaded a pick-up.
    .addColumn('ready_at', 'bigint')
    .addColumn('ready_by', 'text')
    // The person who took or left the device.
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    // The dashboard user who cancelled it.
    .addColumn('cancelled_at', 'bigint')
    .addColumn('cancelled_by', 'text')
    .execute();
  // The kiosk asks "what is open for this person here" at every sign-in; the dashboard lists by station.
  await db.schema.createIndex('tasks_person_state').on('tasks').columns(['person_id', 'state']).execute();
  await db.schema.createIndex('tasks_station_state').on('tasks').columns(['station_id', 'state', 'created_at']).execute();
}
