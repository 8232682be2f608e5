import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Erasure (docs/privacy.md): when a person's identity was removed and their
 * history kept under a pseudonym. The retention job looks for people not yet
 * erased, so it gets an index with the roster flag.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('people').addColumn('erased_at', 'bigint').execute();
  await db.schema.createIndex('people_retention').on('people').columns(['district_id', 'active', 'erased_at']).execute();
}
