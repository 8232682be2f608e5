import { batches, updateRowsById } from './batch-update.js';
import type { Executor } from './transaction.js';

/** A student's guardians and parents, kept from the roster for notices (docs/importing.md#contacts). */
export async function contactsForImport(db: Executor, districtId: string) {
  return db
    .selectFrom('person_contacts')
    .innerJoin('people', 'people.id', 'person_contacts.person_id')
    .select([
      'person_contacts.id',
      'person_contacts.person_id as personId',
      'person_contacts.external_id as externalId',
      'person_contacts.relationship',
      'person_contacts.given_name as givenName',
      'person_contacts.family_name as familyName',
      'person_contacts.email',
      'person_contacts.phone',
    ])
    .where('people.district_id', '=', districtId)
    .execute();
}

/** One person's contacts, for their page and their privacy export. */
export function contactsOfPerson(db: Executor, personId: string) {
  return db
    .selectFrom('person_contacts')
    .select(['id', 'relationship', 'given_name as givenName', 'family_name as familyName', 'email', 'phone'])
    .where('person_id', '=', personId)
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
}

export interface ImportedContact {
  id: string;
  personId: string;
  externalId: string;
  relationship: string;
  givenName: string;
  familyName: string;
  email: string | null;
  phone: string | null;
}

const row = (c: ImportedContact, now: number) => ({
  id: c.id,
  person_id: c.personId,
  external_id: c.externalId,
  relationship: c.relationship,
  given_name: c.givenName,
  family_name: c.familyName,
  email: c.email,
  phone: c.phone,
  updated_at: now,
});

export async function writeImportedContacts(
  db: Executor,
  change: { now: number; create: ImportedContact[]; update: ImportedContact[]; remove: string[] },
): Promise<void> {
  for (const ids of batches(change.remove)) await db.deleteFrom('person_contacts').where('id', 'in', ids).execute();
  for (const rows of batches(change.create))
    await db
      .insertInto('person_contacts')
      .values(rows.map((c) => ({ ...row(c, change.now), created_at: change.now })))
      .execute();
  const columns = ['relationship', 'given_name', 'family_name', 'email', 'phone', 'updated_at'];
  await updateRowsById(
    db,
    'person_contacts',
    columns,
    change.update.map((c) => row(c, change.now)),
    { updated_at: 'bigint' },
  );
}

/** Erasure removes a person's contacts with their identity (docs/privacy.md). */
export async function deleteContactsOfPerson(db: Executor, personId: string): Promise<void> {
  await db.deleteFrom('person_contacts').where('person_id', '=', personId).execute();
}
