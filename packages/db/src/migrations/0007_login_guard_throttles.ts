import type { Kysely } from 'kysely';

/**
 * Throttles (issue 11): counters of attempts per key (a client address, a
 * student number, a station) in the database, so every server instance on it
 * counts the same attempts. Keys are keyed hashes, never an address or a
 * student number in clear. Rows whose window has ended are swept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('throttles_window_ends').on('throttles').column('window_ends_at').execute();
}
