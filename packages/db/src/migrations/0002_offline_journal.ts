import type { Kysely } from 'kysely';

/**
 * Offline mode. A station that lost its link keeps lending and taking back
 * loaners and replays what it did later; each replayed entry is recorded here
 * in the same transaction as its change, so it is applied exactly once.
 * `people.offline_badge_hash` is what a station can compute from a scanned
 * badge with the key it was given (the server's own badge hash needs the
 * server secret, which never leaves the server).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('journal_entries_applied')
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // applied; flagged (let through with a note for staff); or rejected (not attributable).
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('happened_at', 'bigint', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journal_entries_applied_pk', ['station_id', 'key'])
    .execute();

  await db.schema.alterTable('people').addColumn('offline_badge_hash', 'text').execute();
  await db.schema.createIndex('people_offline_badge_hash').on('people').column('offline_badge_hash').execute();
}
