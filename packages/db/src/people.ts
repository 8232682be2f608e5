import type { Executor } from './transaction.js';

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

export function findPersonByBadgeHash(db: Executor, badgeHash: string) {
  return db.selectFrom('people').select(personColumns).where('badge_hash', '=', badgeHash).executeTakeFirst();
}

export function findPersonByStudentNumber(db: Executor, districtId: string, studentNumber: string) {
  return db
    .selectFrom('people')
    .select(personColumns)
    .where('district_id', '=', districtId)
    .where('student_number', '=', studentNumber)
    .executeTakeFirst();
}

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

/** Many people in one statement (roster imports and the demo; keep batches to a few hundred rows). */
export async function insertPeople(db: Executor, people: import('./schema.js').PersonTable[]): Promise<void> {
  if (people.length) await db.insertInto('people').values(people).execute();
}
