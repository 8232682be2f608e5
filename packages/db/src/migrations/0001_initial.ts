import { sql, type Kysely } from 'kysely';

/**
 * The locker-transaction schema. Column types are the portable subset
 * (text, integer, bigint); JSON is text on SQLite and jsonb on PostgreSQL.
 * Once landed, this file never changes: later changes are new migrations.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const json = dialect === 'postgres' ? sql`jsonb` : sql`text`;
  const time = 'bigint' as const;

  await db.schema
    .createTable('districts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('school_day_end', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('connected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_site').on('stations').column('site_id').execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('student_number', 'text')
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('grade', 'text')
    .addColumn('badge_hash', 'text', (c) => c.unique())
    .addColumn('pin_hash', 'text')
    .addColumn('agreement_accepted_at', time)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('people_student_number').on('people').columns(['district_id', 'student_number']).unique().execute();
  await db.schema.createIndex('people_name').on('people').columns(['family_name', 'given_name']).execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('asset_tag', 'text', (c) => c.notNull().unique())
    .addColumn('serial', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('pool', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('people.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull().defaultTo('good'))
    .addColumn('battery_percent', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('loan_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_loaned_at', time)
    .addColumn('warranty_end', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_owner').on('devices').column('owner_id').execute();
  await db.schema.createIndex('devices_status').on('devices').columns(['status', 'site_id']).execute();

  await db.schema
    .createTable('compartments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('has_charger', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // A device is in at most one compartment: the database enforces it.
    .addColumn('device_id', 'text', (c) => c.unique().references('devices.id'))
    .addColumn('door', 'text', (c) => c.notNull().defaultTo('closed'))
    .addColumn('presence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('charging', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transaction_id', 'text')
    .addColumn('purpose', 'text')
    .addColumn('command_id', 'text')
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('compartments_station_number', ['station_id', 'number'])
    .execute();
  await db.schema.createIndex('compartments_transaction').on('compartments').column('transaction_id').execute();

  await db.schema
    .createTable('kiosk_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    // What the transaction acts on, so each door event finds it without a search.
    .addColumn('loan_id', 'text')
    .addColumn('repair_ticket_id', 'text')
    .addColumn('charge_session_id', 'text')
    .addColumn('detail', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('completed_at', time)
    .addUniqueConstraint('kiosk_transactions_request', ['station_id', 'request_id'])
    .execute();
  await db.schema
    .createIndex('kiosk_transactions_person')
    .on('kiosk_transactions')
    .columns(['person_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('compartment_id', 'text', (c) => c.notNull().references('compartments.id'))
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('kiosk_transactions.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('started_at', time)
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('ended_at', time)
    .addColumn('return_station_id', 'text', (c) => c.references('stations.id'))
    .execute();
  // A device has at most one open loan, whatever the application does.
  await db.schema
    .createIndex('loans_one_open_per_device')
    .on('loans')
    .column('device_id')
    .unique()
    .where(sql.ref('status'), 'in', ['pending', 'active', 'overdue'])
    .execute();
  await db.schema.createIndex('loans_person_status').on('loans').columns(['person_id', 'status']).execute();
  await db.schema.createIndex('loans_status_due').on('loans').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('loans_created').on('loans').column('created_at').execute();

  await db.schema
    .createTable('repair_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('person_id', 'text', (c) => c.references('people.id'))
    .addColumn('transaction_id', 'text')
    .addColumn('loan_id', 'text', (c) => c.references('loans.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('symptom', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cost_cents', 'integer')
    .addColumn('warranty_claim', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_cents', 'integer')
    .addColumn('compartment_id', 'text', (c) => c.references('compartments.id'))
    .addColumn('reported_at', time, (c) => c.notNull())
    .addColumn('awaiting_collection_at', time)
    .addColumn('collected_at', time)
    .addColumn('in_repair_at', time)
    .addColumn('repaired_at', time)
    .addColumn('ready_for_pickup_at', time)
    .addColumn('closed_at', time)
    .addColumn('retired_at', time)
    .execute();
  await db.schema
    .createIndex('repair_tickets_one_open_per_device')
    .on('repair_tickets')
    .column('device_id')
    .unique()
    .where(sql.ref('status'), 'not in', ['closed', 'retired'])
    .execute();
  await db.schema.createIndex('repair_tickets_status').on('repair_tickets').column('status').execute();

  await db.schema
    .createTable('charge_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('device_id', 'text', (c) => c.references('devices.id'))
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('compartment_id', 'text', (c) => c.notNull().references('compartments.id'))
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('deposited_at', time)
    .addColumn('collected_at', time)
    .execute();
  await db.schema.createIndex('charge_sessions_person').on('charge_sessions').columns(['person_id', 'status']).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('compartment_id', 'text', (c) => c.references('compartments.id'))
    .addColumn('detail', json, (c) => c.notNull())
    .addColumn('raised_at', time, (c) => c.notNull())
    .addColumn('cleared_at', time)
    .execute();
  await db.schema.createIndex('alerts_open').on('alerts').columns(['station_id', 'cleared_at']).execute();

  // Sealed events carry their place in the chain (seq) and hashes. SQLite seals
  // as it writes; on PostgreSQL a sealer chains committed events moments later,
  // so concurrent writers never queue on the chain head (see docs/audit.md).
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.unique())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('station_id', 'text')
    .addColumn('transaction_id', 'text')
    .addColumn('data', json, (c) => c.notNull())
    .addColumn('prev_hash', 'text')
    .addColumn('hash', 'text')
    .execute();
  await db.schema
    .createIndex('audit_events_unsealed')
    .on('audit_events')
    .columns(['at', 'id'])
    .where(sql.ref('seq'), 'is', null)
    .execute();
  await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_transaction').on('audit_events').column('transaction_id').execute();
  await db.schema.createIndex('audit_events_station').on('audit_events').columns(['station_id', 'seq']).execute();

  // The chain head: one row, locked by each writer, so the chain never forks.
  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_chain')
    .values({ id: 1, last_seq: 0, last_hash: '0'.repeat(64) })
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', json, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('revoked_at', time)
    .addColumn('last_used_at', time)
    .execute();
}
