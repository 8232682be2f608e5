import type { DistrictTable } from './schema.js';
import type { Executor } from './transaction.js';

/** The installation's district: the first one created (an installation serves one district). */
export function findFirstDistrict(db: Executor) {
  return db
    .selectFrom('districts')
    .select(['id', 'name', 'settings'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function insertDistrict(db: Executor, district: DistrictTable): Promise<void> {
  await db.insertInto('districts').values(district).execute();
}
