import { sql } from 'kysely';
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

/**
 * Loaners this station's replayed journal handed out under one snapshot, all
 * or to one person: the snapshot's limits hold across them. Counted from the
 * completed offline borrows that made a loan.
 */
export async function borrowsReplayedUnder(db: Executor, stationId: string, snapshotId: string, personId?: string) {
  let q = db
    .selectFrom('journal_entries_applied as j')
    .innerJoin('kiosk_transactions as t', (join) =>
      join
        .onRef('t.station_id', '=', 'j.station_id')
        // A literal prefix, not a parameter: PostgreSQL cannot type a parameter in `||`.
        .on('t.request_id', '=', sql<string>`${sql.lit('journal:')} || ${sql.ref('j.key')}`),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('j.station_id', '=', stationId)
    .where('j.snapshot_id', '=', snapshotId)
    .where('t.kind', '=', 'borrow')
    .where('t.loan_id', 'is not', null);
  if (personId) q = q.where('t.person_id', '=', personId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** The highest journal sequence replayed from this station: a new one means its snapshot record is new too. */
export async function lastReplayedSeq(db: Executor, stationId: string): Promise<number> {
  const row = await db
    .selectFrom('journal_entries_applied')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('station_id', '=', stationId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function recordJournalEntryApplied(db: Executor, row: JournalEntryAppliedTable) {
  await db.insertInto('journal_entries_applied').values(row).execute();
}

/**
 * The people a station may recognise offline, with how many loans each has
 * open now: those who can plausibly stand at it. Active, with a badge known
 * in its offline form, of the station's campus (or of no campus), and either
 * holding a loan borrowed at this campus (they may need to return it) or
 * having used a station of this campus since `since`. A station that has never served anyone online
 * gets nobody: a new kiosk is not handed the campus's badges before its first
 * use.
 */
export async function offlineCredentials(
  db: Executor,
  scope: { districtId: string; siteId: string; stationId: string; since: number },
) {
  const used = await db
    .selectFrom('kiosk_transactions')
    .select('id')
    .where('station_id', '=', scope.stationId)
    .limit(1)
    .executeTakeFirst();
  if (!used) return [];
  const openStatuses = ['pending', 'active', 'overdue'] as const;
  const people = await db
    .selectFrom('people')
    .select(['id', 'offline_badge_hash'])
    .where('district_id', '=', scope.districtId)
    .where('active', '=', 1)
    .where('offline_badge_hash', 'is not', null)
    .where((eb) => eb.or([eb('site_id', '=', scope.siteId), eb('site_id', 'is', null)]))
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('loans')
            .innerJoin('stations', 'stations.id', 'loans.station_id')
            .select('loans.id')
            .whereRef('loans.person_id', '=', 'people.id')
            .where('loans.status', 'in', openStatuses)
            .where('stations.site_id', '=', scope.siteId),
        ),
        eb.exists(
          eb
            .selectFrom('kiosk_transactions')
            .innerJoin('stations', 'stations.id', 'kiosk_transactions.station_id')
            .select('kiosk_transactions.id')
            .whereRef('kiosk_transactions.person_id', '=', 'people.id')
            .where('kiosk_transactions.created_at', '>=', scope.since)
            .where('stations.site_id', '=', scope.siteId),
        ),
      ]),
    )
    .orderBy('id')
    .execute();
  const open = await db
    .selectFrom('loans')
    .innerJoin('people', 'people.id', 'loans.person_id')
    .select(['loans.person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('people.district_id', '=', scope.districtId)
    .where('loans.status', 'in', openStatuses)
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
