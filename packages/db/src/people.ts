import type { PersonRole } from '@cubby/core';
import { sql, type ExpressionBuilder } from 'kysely';
import { keyset, matchesText, noRows, pageOf, sortKey, sortOn, type ListArgs } from './paging.js';
import * as postgresJson from 'kysely/helpers/postgres';
import * as sqliteJson from 'kysely/helpers/sqlite';
import { loanerCandidatesQuery, toLoanerCandidate } from './charge-readings.js';
import { openChargeSessionQuery } from './charging.js';
import { parseJson } from './json.js';
import { ownDeviceQuery } from './devices.js';
import { openLoanCountQuery, returnableLoansQuery } from './loans.js';
import { pickupWaitingQuery } from './repairs.js';
import { readyTaskQuery } from './tasks.js';
import type { Database, Dialect } from './schema.js';
import { stationContextColumns } from './stations.js';
import type { Executor } from './transaction.js';
import { batches, updateRowsById } from './batch-update.js';

const personColumns = [
  'id',
  'district_id',
  'site_id',
  'role',
  'given_name',
  'family_name',
  'pin_hash',
  'offline_badge_hash',
  'agreement_accepted_at',
  'active',
] as const;

/** A person's own fields (camelCase), as the list and the privacy export read them. */
export const personRecordColumns = [
  'site_id as siteId',
  'role',
  'external_id as externalId',
  'student_number as studentNumber',
  'given_name as givenName',
  'family_name as familyName',
  'grade',
  'agreement_accepted_at as agreementAcceptedAt',
  'active',
  'erased_at as erasedAt',
  'created_at as createdAt',
] as const;

export function findPerson(db: Executor, id: string) {
  return db.selectFrom('people').select(personColumns).where('id', '=', id).executeTakeFirst();
}

export type PersonRow = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

/**
 * On PostgreSQL, locks the person's row for the rest of the transaction so two
 * stations cannot both pass the loan-limit check for the same student. SQLite
 * already serialises writers with BEGIN IMMEDIATE.
 */
export async function lockPerson(db: Executor, dialect: 'sqlite' | 'postgres', personId: string): Promise<void> {
  if (dialect === 'postgres') {
    await db.selectFrom('people').select('id').where('id', '=', personId).forUpdate().execute();
  }
}

export async function acceptAgreement(db: Executor, personId: string, now: number) {
  await db.updateTable('people').set({ agreement_accepted_at: now }).where('id', '=', personId).execute();
}

// ---- People as the read API lists them (GET /api/v1/people): never badge or PIN hashes ----

export const personSorts = {
  id: sortOn('people.id', 'id'),
  familyName: sortOn('people.family_name', 'familyName'),
  givenName: sortOn('people.given_name', 'givenName'),
  createdAt: sortOn('people.created_at', 'createdAt', 'integer'),
};

export async function listPeople(
  db: Executor,
  args: ListArgs & {
    role?: PersonRole | undefined;
    siteId?: string | undefined;
    studentNumber?: string | undefined;
    active?: boolean | undefined;
  },
) {
  const k = sortKey(personSorts, args.sort);
  // createdAt is the sort key's field when sorting by creation time.
  let q = db.selectFrom('people').select(['people.id', ...personRecordColumns]);
  if (args.scope) q = args.scope.length ? q.where('site_id', 'in', args.scope) : q.where(noRows);
  if (args.role) q = q.where('role', '=', args.role);
  if (args.siteId) q = q.where('site_id', '=', args.siteId);
  if (args.studentNumber) q = q.where('student_number', '=', args.studentNumber);
  if (args.active !== undefined) q = q.where('active', '=', args.active ? 1 : 0);
  if (args.q)
    q = q.where(
      matchesText(args.q, ['people.student_number', 'people.external_id', sql`people.given_name || ' ' || people.family_name`]),
    );
  const page = pageOf(await keyset(q, k, 'people.id', args.order ?? 'asc', args.cursor, args.limit).execute(), args.limit, k);
  return {
    ...page,
    items: page.items.map(({ createdAt: _created, ...p }) => ({ ...p, active: p.active === 1, erasedAt: p.erasedAt ?? null })),
  };
}

/** Ids of the people whose full name (or other columns) contains the text; `people_search` on PostgreSQL. */
export function peopleMatching(eb: ExpressionBuilder<Database, any>, text: string, columns: 'student_number'[]) {
  return eb
    .selectFrom('people as mp')
    .select('mp.id')
    .where(matchesText(text, [...columns.map((c) => `mp.${c}`), sql`mp.given_name || ' ' || mp.family_name`]));
}

/** Many people in one statement (roster imports and the demo; keep batches to a few hundred rows). */
export async function insertPeople(db: Executor, people: import('./schema.js').PersonTable[]): Promise<void> {
  if (people.length) await db.insertInto('people').values(people).execute();
}

/** The person's columns a kiosk sign-in reads, qualified: its statement joins the station too. */
const kioskPersonColumns = personColumns.map((c) => `people.${c}` as const);

/**
 * The person behind a badge (or a student number at the station's district) at
 * a kiosk, with where they are (the station, its campus and district) and what
 * they have going there — loans still out, an open charge session, a repaired
 * device waiting there, how many loans count against the limit, their own
 * device — and the station's loaner candidates (the menu's "is one lendable
 * here"), in one statement: a sign-in is on every kiosk flow's path.
 * Undefined when the station or the person is unknown (findStationContext tells which).
 */
export async function findKioskPerson(
  cubby: { db: Executor; dialect: Dialect },
  by: { badgeHash: string } | { studentNumber: string },
  stationId: string,
) {
  const json = cubby.dialect === 'postgres' ? postgresJson : sqliteJson;
  let q = cubby.db
    .selectFrom('people')
    .innerJoin('stations', (join) => join.on('stations.id', '=', stationId))
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .innerJoin('districts', 'districts.id', 'sites.district_id')
    .select(stationContextColumns)
    .select(kioskPersonColumns)
    .select((eb) => [
      json.jsonArrayFrom(returnableLoansQuery(cubby.db, eb.ref('people.id'))).as('loans'),
      json.jsonObjectFrom(openChargeSessionQuery(cubby.db, eb.ref('people.id'))).as('charge'),
      json.jsonObjectFrom(pickupWaitingQuery(cubby.db, eb.ref('people.id'), stationId)).as('pickup'),
      json.jsonObjectFrom(readyTaskQuery(cubby.db, eb.ref('people.id'), stationId)).as('task'),
      // What the menu's refusals need (the loan limit, a device to swap or leave for repair).
      openLoanCountQuery(cubby.db, eb.ref('people.id')).as('open_loans'),
      ownDeviceQuery(cubby.db, eb.ref('people.id')).select('devices.id').limit(1).as('own_device_id'),
      // Whether a loaner is lendable here (the menu), by the rule a borrow claims with.
      json.jsonArrayFrom(loanerCandidatesQuery(cubby.db, stationId)).as('loaner_candidates'),
    ]);
  q =
    'badgeHash' in by
      ? q.where('people.badge_hash', '=', by.badgeHash)
      : q.whereRef('people.district_id', '=', 'districts.id').where('people.student_number', '=', by.studentNumber);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const { loans, charge, pickup, task, open_loans, own_device_id, loaner_candidates, ...rest } = row;
  const { stationId: _s, stationName, siteId, siteName, timeZone, schoolDayEnd, districtId, districtSettings, ...person } = rest;
  // SQLite hands the JSON back as text; PostgreSQL's driver has parsed it.
  return {
    station: { stationId, stationName, siteId, siteName, timeZone, schoolDayEnd, districtId, districtSettings },
    person,
    openLoans: Number(open_loans ?? 0),
    ownDeviceId: own_device_id ?? null,
    loanerCandidates: parseJson<typeof loaner_candidates>(loaner_candidates).map(toLoanerCandidate),
    loans: parseJson<typeof loans>(loans),
    charge: charge === null ? undefined : parseJson<NonNullable<typeof charge>>(charge),
    pickup: pickup === null ? undefined : parseJson<NonNullable<typeof pickup>>(pickup),
    task: task === null ? undefined : parseJson<NonNullable<typeof task>>(task),
  };
}

// ---- Roster imports (docs/importing.md): everyone read once, changes written in batches ----

/** The district's people as an import compares them; erased people are left out (never matched again). */
export async function peopleForImport(db: Executor, districtId: string) {
  const rows = await db
    .selectFrom('people')
    .select([
      'id',
      'external_id as externalId',
      'role',
      'given_name as givenName',
      'family_name as familyName',
      'student_number as studentNumber',
      'grade',
      'site_id as siteId',
      'badge_hash as badgeHash',
      'offline_badge_hash as offlineBadgeHash',
      'active',
    ])
    .where('district_id', '=', districtId)
    .where('erased_at', 'is', null)
    .execute();
  return rows.map((r) => ({ ...r, offlineBadgeHash: r.offlineBadgeHash ?? null, active: r.active === 1 }));
}

/** Student number → person id, for a device file's owners: two columns, not the whole roster (150,000 rows stay small). */
export async function studentNumbersForImport(db: Executor, districtId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'student_number as studentNumber'])
    .where('district_id', '=', districtId)
    .where('erased_at', 'is', null)
    .where('student_number', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.studentNumber!, r.id]));
}

/** The roster's columns of a person; PIN, agreement and history are not among them. */
export interface ImportedPerson {
  id: string;
  externalId: string;
  role: PersonRole;
  givenName: string;
  familyName: string;
  studentNumber: string | null;
  grade: string | null;
  siteId: string | null;
  badgeHash: string | null;
  offlineBadgeHash: string | null;
  active: boolean;
}

const importedColumns = [
  'external_id',
  'role',
  'given_name',
  'family_name',
  'student_number',
  'grade',
  'site_id',
  'badge_hash',
  'offline_badge_hash',
  'active',
];
const importedRow = (p: ImportedPerson) => ({
  id: p.id,
  external_id: p.externalId,
  role: p.role,
  given_name: p.givenName,
  family_name: p.familyName,
  student_number: p.studentNumber,
  grade: p.grade,
  site_id: p.siteId,
  badge_hash: p.badgeHash,
  offline_badge_hash: p.offlineBadgeHash,
  active: p.active ? (1 as const) : (0 as const),
});

/**
 * An import's people: new ones inserted, changed ones rewritten with their
 * whole roster columns, in statements of a few hundred rows. Badges and
 * student numbers that move between people are cleared first, so a swap never
 * trips the unique indexes halfway.
 */
export async function writeImportedPeople(
  db: Executor,
  change: {
    districtId: string;
    now: number;
    /** New people, all active; written column by column, so a row may carry more (no copy of the roster is made). */
    create: Omit<ImportedPerson, 'active'>[];
    update: ImportedPerson[];
    freeCredentials: string[];
    deactivate: string[];
  },
): Promise<void> {
  for (const ids of batches(change.freeCredentials))
    await db
      .updateTable('people')
      .set({ badge_hash: null, offline_badge_hash: null, student_number: null })
      .where('id', 'in', ids)
      .execute();
  for (const rows of batches(change.create))
    await db
      .insertInto('people')
      .values(
        rows.map((p) => ({
          ...importedRow({ ...p, active: true }),
          district_id: change.districtId,
          pin_hash: null,
          agreement_accepted_at: null,
          created_at: change.now,
        })),
      )
      .execute();
  await updateRowsById(db, 'people', importedColumns, change.update.map(importedRow), { active: 'integer' });
  for (const ids of batches(change.deactivate))
    await db.updateTable('people').set({ active: 0 }).where('id', 'in', ids).execute();
}

/** A person's kiosk role and home campus (technician mode checks both). */
export function personRoleAndSite(db: Executor, personId: string) {
  return db.selectFrom('people').select(['role', 'site_id']).where('id', '=', personId).executeTakeFirst();
}
