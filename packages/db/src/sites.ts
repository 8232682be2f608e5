import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import type { SiteTable } from './schema.js';
import type { Executor } from './transaction.js';

/** Campuses: the read API's list, the settings pages' changes, the dashboard's scope. */
const siteColumns = ['id', 'district_id', 'name', 'time_zone', 'school_day_end', 'created_at'] as const;

/** A campus as the API answers it. */
export function toSite(row: Pick<SiteTable, (typeof siteColumns)[number]>) {
  return {
    id: row.id,
    districtId: row.district_id,
    name: row.name,
    timeZone: row.time_zone,
    schoolDayEnd: row.school_day_end,
    createdAt: Number(row.created_at),
  };
}

export function findSite(db: Executor, id: string) {
  return db.selectFrom('sites').select(siteColumns).where('id', '=', id).executeTakeFirst();
}

export async function insertSite(
  db: Executor,
  site: { id: string; district_id: string; name: string; time_zone: string; school_day_end: string; created_at: number },
) {
  await db.insertInto('sites').values(site).execute();
}

export async function updateSite(
  db: Executor,
  id: string,
  set: Partial<{ name: string; time_zone: string; school_day_end: string }>,
) {
  if (Object.keys(set).length) await db.updateTable('sites').set(set).where('id', '=', id).execute();
}

/** How many of these campuses belong to the district (an unknown or foreign id makes it fewer). */
export async function countDistrictSites(db: Executor, districtId: string, siteIds: readonly string[]): Promise<number> {
  if (siteIds.length === 0) return 0;
  const rows = await db
    .selectFrom('sites')
    .select('id')
    .where('district_id', '=', districtId)
    .where('id', 'in', siteIds)
    .execute();
  return rows.length;
}

/** Campuses in scope (null: the whole district), by name. */
export async function sitesInScope(db: Executor, scope: readonly string[] | null) {
  if (scope && scope.length === 0) return [];
  let q = db.selectFrom('sites').select(siteColumns);
  if (scope) q = q.where('id', 'in', scope);
  return (await q.orderBy('name').orderBy('id').execute()).map(toSite);
}

export const siteSorts = {
  id: sortOn('sites.id', 'id'),
  name: sortOn('sites.name', 'name'),
  createdAt: sortOn('sites.created_at', 'createdAt', 'integer'),
};

export async function listSites(db: Executor, args: ListArgs & { districtId?: string | undefined }) {
  const k = sortKey(siteSorts, args.sort);
  let q = db
    .selectFrom('sites')
    .select([
      'sites.id',
      'district_id as districtId',
      'name',
      'time_zone as timeZone',
      'school_day_end as schoolDayEnd',
      'created_at as createdAt',
    ]);
  if (args.scope) q = args.scope.length ? q.where('sites.id', 'in', args.scope) : q.where(noRows);
  if (args.districtId) q = q.where('district_id', '=', args.districtId);
  if (args.q) q = q.where(matchesText(args.q, ['sites.name']));
  const page = pageOf(await keyset(q, k, 'sites.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return { ...page, items: page.items.map((s) => ({ ...s, createdAt: Number(s.createdAt) })) };
}

/** The district's campuses as a roster import matches them (by org sourcedId, else by name). */
export async function sitesForImport(db: Executor, districtId: string) {
  const rows = await db.selectFrom('sites').select(['id', 'name', 'external_id']).where('district_id', '=', districtId).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, externalId: r.external_id ?? null }));
}

export async function writeImportedSites(
  db: Executor,
  change: {
    districtId: string;
    now: number;
    timeZone: string;
    schoolDayEnd: string;
    create: { id: string; name: string; externalId: string }[];
    update: { id: string; name: string; externalId: string }[];
  },
): Promise<void> {
  if (change.create.length)
    await db
      .insertInto('sites')
      .values(
        change.create.map((s) => ({
          id: s.id,
          district_id: change.districtId,
          name: s.name,
          external_id: s.externalId,
          time_zone: change.timeZone,
          school_day_end: change.schoolDayEnd,
          created_at: change.now,
        })),
      )
      .execute();
  for (const s of change.update)
    await db.updateTable('sites').set({ name: s.name, external_id: s.externalId }).where('id', '=', s.id).execute();
}
