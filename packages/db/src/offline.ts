import type { Executor } from './transaction.js';
import type { JournalEntryAppliedTable } from './schema.js';

/** Whether this station's offline journal entry was already applied. */
export function findAppliedJournalEntry(db: Executor, stationId: string, key: string) {
  return db
    .selectFrom('journal_entries_applied')
    .selectAll()
    .where('station_id', '=', stationId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function recordJournalEntryApplied(db: Executor, row: JournalEntryAppliedTable) {
  await db.insertInto('journal_entries_applied').values(row).execute();
}

/**
 * The people a station may recognise offline: active, with a badge known in
 * its offline form, at the station's site (or at no site), with how many
 * loans each has open now.
 */
export async function offlineCredentials(db: Executor, districtId: string, siteId: string) {
  const people = await db
    .selectFrom('people')
    .select(['id', 'offline_badge_hash'])
    .where('district_id', '=', districtId)
    .where('active', '=', 1)
    .where('offline_badge_hash', 'is not', null)
    .where((eb) => eb.or([eb('site_id', '=', siteId), eb('site_id', 'is', null)]))
    .orderBy('id')
    .execute();
  const open = await db
    .selectFrom('loans')
    .innerJoin('people', 'people.id', 'loans.person_id')
    .select(['loans.person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('people.district_id', '=', districtId)
    .where('loans.status', 'in', ['pending', 'active', 'overdue'])
    .groupBy('loans.person_id')
    .execute();
  const openOf = new Map(open.map((r) => [r.person_id, Number(r.n)]));
  return people.map((p) => ({ personId: p.id, offlineBadgeHash: p.offline_badge_hash!, openLoans: openOf.get(p.id) ?? 0 }));
}

/** The person with their offline badge hash, to check a replayed credential. */
export function findPersonForReplay(db: Executor, personId: string) {
  return db
    .selectFrom('people')
    .select(['id', 'district_id', 'offline_badge_hash', 'active'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

/** Learns a badge's offline form the first time it is used online (people enrolled before offline mode). */
export async function setOfflineBadgeHash(db: Executor, personId: string, hash: string) {
  await db.updateTable('people').set({ offline_badge_hash: hash }).where('id', '=', personId).execute();
}

/** The loaner's open loan, whoever holds it. */
export function openLoanOfDevice(db: Executor, deviceId: string) {
  return db
    .selectFrom('loans')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('status', 'in', ['pending', 'active', 'overdue'])
    .executeTakeFirst();
}
