import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * A station's one live kiosk session: a new sign-in there replaces it, a
 * sign-out clears it, and a session token that is not the current one is
 * refused at once rather than when it expires.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('stations').addColumn('kiosk_session_id', 'text').execute();
}
