import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Roster and inventory imports (docs/importing.md): campuses keep the
 * roster's org sourcedId, devices their purchase date and notes, students
 * their guardians as contacts, and every import run is recorded.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  await db.schema.alterTable('sites').addColumn('external_id', 'text').execute();
  await db.schema.createIndex('sites_external_id').on('sites').columns(['district_id', 'external_id']).unique().execute();
  await db.schema.createIndex('people_external_id').on('people').columns(['district_id', 'external_id']).execute();
  await db.schema.alterTable('devices').addColumn('purchase_date', 'bigint').execute();
  await db.schema.alterTable('devices').addColumn('notes', 'text').execute();
  await db.schema.createIndex('devices_serial').on('devices').column('serial').execute();

  await db.schema
    .createTable('person_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    // The guardian's sourcedId in the roster.
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('person_contacts_person_external', ['person_id', 'external_id'])
    .execute();

  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: a dry run before the first import made the district.
    .addColumn('district_id', 'text', (c) => c.references('districts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // previewed (a dry run), applied, or refused (it had problems; nothing was written).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('counts', json, (c) => c.notNull())
    .addColumn('problems', json, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('applied_at', 'bigint')
    .execute();
  await db.schema.createIndex('import_runs_created').on('import_runs').columns(['district_id', 'created_at']).execute();
}
