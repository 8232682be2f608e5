import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

/** The installation's district (one per installation): the first one created. */
export function findFirstDistrict(db: Executor) {
  return db
    .selectFrom('districts')
    .select(['id', 'name', 'settings'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function insertDistrict(
  db: Executor,
  district: { id: string; name: string; now: number; settings?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('districts')
    .values({ id: district.id, name: district.name, settings: JSON.stringify(district.settings ?? {}), created_at: district.now })
    .execute();
}

export async function saveDistrictSettings(db: Executor, districtId: string, settings: Record<string, unknown>) {
  await db
    .updateTable('districts')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', districtId)
    .execute();
}

export function districtSettings(row: { settings: unknown }): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(row.settings) ?? {};
}
