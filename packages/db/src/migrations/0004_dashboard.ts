import { sql, type Kysely } from 'kysely';

/**
 * The dashboard (issue 6). A station's bank has a real grid (columns × rows,
 * null: derived from its compartment count), and the journal sequence it
 * reported at its last hello, so the dashboard can show the offline backlog
 * still to replay. The indexes serve the overview and the sorted lists.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stations').addColumn('grid_columns', 'integer').execute();
  await db.schema.alterTable('stations').addColumn('grid_rows', 'integer').execute();
  await db.schema.alterTable('stations').addColumn('journal_seq', 'bigint').execute();

  // Backlog: the highest entry applied per station is one index probe.
  await db.schema
    .createIndex('journal_entries_applied_seq')
    .on('journal_entries_applied')
    .columns(['station_id', 'seq'])
    .execute();
  // Overview: loans out per station (a few thousand rows among years of history).
  await db.schema
    .createIndex('loans_open_station')
    .on('loans')
    .columns(['station_id', 'due_at'])
    .where(sql.ref('status'), 'in', ['pending', 'active', 'overdue'])
    .execute();
  await db.schema.createIndex('loans_station').on('loans').columns(['station_id', 'id']).execute();
  await db.schema
    .createIndex('alerts_open_station')
    .on('alerts')
    .columns(['station_id', 'compartment_id'])
    .where(sql.ref('cleared_at'), 'is', null)
    .execute();
  // Sorted lists page on (column, id).
  await db.schema.createIndex('devices_updated').on('devices').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('devices_battery').on('devices').columns(['battery_percent', 'id']).execute();
  await db.schema.createIndex('loans_due').on('loans').columns(['due_at', 'id']).execute();
  await db.schema.createIndex('repair_tickets_reported').on('repair_tickets').columns(['reported_at', 'id']).execute();
  await db.schema.createIndex('repair_tickets_compartment').on('repair_tickets').column('compartment_id').execute();
  await db.schema
    .createIndex('charge_sessions_compartment')
    .on('charge_sessions')
    .columns(['compartment_id', 'status'])
    .execute();
}
