import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * A device goes to a new holder (another student, staff, the loaner pool)
 * only once wiped since its last holder let it go (docs/repairs.md): the
 * device keeps when it was last wiped and when its owner last gave it up.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('devices').addColumn('wiped_at', 'bigint').execute();
  await db.schema.alterTable('devices').addColumn('released_at', 'bigint').execute();
}
