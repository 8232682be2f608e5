import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Google Admin sync (docs/google.md): the district's connection (the service
 * account key encrypted under the server secret), a record of every sync run,
 * and on each device what Google says about it: its Directory fields and, from
 * telemetry, its battery's health.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('google_connections')
    .addColumn('district_id', 'text', (c) => c.primaryKey().references('districts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('admin_email', 'text', (c) => c.notNull())
    .addColumn('client_email', 'text', (c) => c.notNull())
    // AES-256-GCM under a key derived from CUBBY_SECRET; never answered by the API.
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('directory_url', 'text', (c) => c.notNull())
    .addColumn('telemetry_url', 'text', (c) => c.notNull())
    .addColumn('telemetry', 'integer', (c) => c.notNull())
    .addColumn('sync_interval_minutes', 'integer', (c) => c.notNull())
    // One run at a time across every server instance: a run claims this with a conditional update.
    .addColumn('sync_claimed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('google_syncs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('unmatched', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('google_syncs_started').on('google_syncs').columns(['district_id', 'started_at']).execute();
  const columns: [string, 'text' | 'bigint' | 'integer'][] = [
    ['google_device_id', 'text'],
    ['google_org_unit_path', 'text'],
    ['google_status', 'text'],
    ['google_last_sync', 'bigint'],
    ['google_annotated_user', 'text'],
    ['google_recent_user', 'text'],
    // End of OS updates (autoUpdateExpiration): lifecycle planning.
    ['os_updates_end', 'bigint'],
    ['google_synced_at', 'bigint'],
    // From telemetry's batteryStatusReport / batteryInfo.
    ['battery_health', 'text'],
    ['battery_cycle_count', 'integer'],
    ['battery_full_capacity', 'integer'],
    ['battery_design_capacity', 'integer'],
    ['battery_worn', 'integer'],
  ];
  for (const [name, type] of columns) await db.schema.alterTable('devices').addColumn(name, type).execute();
  await db.schema.createIndex('devices_google_device_id').on('devices').column('google_device_id').execute();
}
