import type { PersonTable } from './schema.js';
import type { Executor } from './transaction.js';

/**
 * One person as the dashboard adds, edits and re-credentials them by hand
 * (the person page). Reading a person is `findPersonRecord` (people-privacy.ts).
 */
export type PersonFields = Partial<
  Pick<PersonTable, 'given_name' | 'family_name' | 'site_id' | 'student_number' | 'grade' | 'external_id' | 'role'>
>;

export async function updatePersonFields(db: Executor, id: string, fields: PersonFields): Promise<boolean> {
  if (Object.keys(fields).length === 0) return true;
  const r = await db.updateTable('people').set(fields).where('id', '=', id).where('erased_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setPersonActive(db: Executor, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('people')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** The PIN's argon2id hash, as the kiosk's PIN sign-in checks it; the PIN itself is never stored. */
export async function setPersonPinHash(db: Executor, id: string, pinHash: string): Promise<void> {
  await db.updateTable('people').set({ pin_hash: pinHash }).where('id', '=', id).execute();
}

/** Who else in the district has this student number (the kiosk's PIN sign-in is by number, so it is unique). */
export async function findStudentNumberHolder(db: Executor, districtId: string, studentNumber: string) {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('district_id', '=', districtId)
    .where('student_number', '=', studentNumber)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Active students of one grade at one campus with a student number (a PIN sheet's slips), by name. */
export function studentsOfGrade(db: Executor, siteId: string, grade: string, onlyWithoutPin: boolean) {
  let q = db
    .selectFrom('people')
    .select(['id', 'given_name as givenName', 'family_name as familyName', 'student_number as studentNumber'])
    .where('site_id', '=', siteId)
    .where('grade', '=', grade)
    .where('role', '=', 'student')
    .where('active', '=', 1)
    .where('erased_at', 'is', null)
    .where('student_number', 'is not', null);
  if (onlyWithoutPin) q = q.where('pin_hash', 'is', null);
  return q.orderBy('family_name').orderBy('given_name').orderBy('id').execute();
}
