import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * What the server sent each station to decide with offline. A replayed
 * journal entry names the snapshot it was decided with and is checked
 * against this record (its people and their open loans, its loaners, its
 * limits), so a station can only replay what it was allowed to do. A record
 * is written only when what a station may do changes, not per message sent.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const json = dialect === 'postgres' ? sql`jsonb` : sql`text`;
  await db.schema
    .createTable('policy_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('station_id', 'text', (c) => c.notNull().references('stations.id'))
    // sha256 of everything below but the time: an unchanged snapshot reuses its record.
    .addColumn('digest', 'text', (c) => c.notNull())
    // The credential hashing (salt and scrypt cost) the snapshot's hashes were made with.
    .addColumn('hashing', json, (c) => c.notNull())
    .addColumn('max_active_loans', 'integer', (c) => c.notNull())
    .addColumn('offline_borrow_limit', 'integer', (c) => c.notNull())
    // { personId: [openLoans, credential hash] } of the people it lists.
    .addColumn('people', json, (c) => c.notNull())
    // [[compartment, deviceId], …] of the loaners it offered.
    .addColumn('loaners', json, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_snapshots_station').on('policy_snapshots').columns(['station_id', 'created_at']).execute();
  // Which snapshot a replayed entry was decided with: the limits count the borrows replayed under it.
  await db.schema.alterTable('journal_entries_applied').addColumn('snapshot_id', 'text').execute();
}
