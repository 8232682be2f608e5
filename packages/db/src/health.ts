import { sql } from 'kysely';
import type { Executor } from './transaction.js';

/** Readiness: the database answers a trivial query. */
export async function isDatabaseReachable(db: Executor): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
