import { deleteContactsOfPerson } from './person-contacts.js';
import { parseJson } from './json.js';
import type { Executor } from './transaction.js';

/**
 * Erasing a person's identity (docs/privacy.md): what stops it, the erasure
 * itself, the free text it cleans, and who the retention setting makes due.
 */

/** What the person still has out or in a locker: an erased person could not return or collect it. */
export async function personHoldings(db: Executor, personId: string) {
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n);
  const [openLoans, charging, pickups] = await Promise.all([
    count(
      db
        .selectFrom('loans')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', '=', personId)
        .where('status', 'in', ['pending', 'active', 'overdue']),
    ),
    count(
      db
        .selectFrom('charge_sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', '=', personId)
        .where('status', 'in', ['depositing', 'charging', 'collecting']),
    ),
    count(
      db
        .selectFrom('repair_tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', '=', personId)
        .where('status', '=', 'ready_for_pickup'),
    ),
  ]);
  return { openLoans, charging, pickups };
}

/**
 * Removes the person's identity, keeping the row (and so every loan, repair
 * and audit event that points at it) under a pseudonym. Only once: an
 * erased person is not erased again (false).
 */
export async function erasePersonIdentity(
  db: Executor,
  personId: string,
  pseudonym: { givenName: string; familyName: string },
  now: number,
): Promise<boolean> {
  const result = await erasePersonIdentityQuery(db, personId, pseudonym, now).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  // Their guardians' names, emails and phones go with their identity (docs/importing.md#contacts).
  await deleteContactsOfPerson(db, personId);
  return true;
}

export function erasePersonIdentityQuery(
  db: Executor,
  personId: string,
  pseudonym: { givenName: string; familyName: string },
  now: number,
) {
  return db
    .updateTable('people')
    .set({
      given_name: pseudonym.givenName,
      family_name: pseudonym.familyName,
      student_number: null,
      external_id: null,
      badge_hash: null,
      offline_badge_hash: null,
      pin_hash: null,
      // Where receipts went (migration 0016); the language is no identity and stays.
      email: null,
      active: 0,
      erased_at: now,
    })
    .where('id', '=', personId)
    .where('erased_at', 'is', null);
}

/** Free text of the person's tickets (notes, parts used), for the erasure to take their name out of. */
export async function personRepairNotes(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('repair_tickets')
    .select(['id', 'notes', 'parts'])
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('notes', '!=', ''), eb('parts', '!=', '')]))
    .execute();
  return rows.map((r) => ({ id: r.id, notes: r.notes, parts: r.parts ?? '' }));
}

/**
 * Deletes the photos of the person's repair tickets (a photo may show a name
 * sticker or the student's case, and cannot be redacted like text; the
 * ticket and its `repair.photo_added` events stay). Returns how many went.
 */
export async function deletePersonRepairPhotos(db: Executor, personId: string): Promise<number> {
  const result = await db
    .deleteFrom('repair_photos')
    .where('ticket_id', 'in', db.selectFrom('repair_tickets').select('id').where('person_id', '=', personId))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The person's kiosk visits whose input carries free text (a swap's or drop-off's notes about the broken device). */
export async function personTransactionNotes(db: Executor, personId: string) {
  const rows = await db
    .selectFrom('kiosk_transactions')
    .select(['id', 'detail'])
    .where('person_id', '=', personId)
    .where('kind', 'in', ['swap', 'drop_off'])
    .execute();
  return rows
    .map((r) => ({ id: r.id, detail: parseJson<Record<string, unknown>>(r.detail) }))
    .filter(
      (r): r is { id: string; detail: Record<string, unknown> & { notes: string } } =>
        typeof r.detail.notes === 'string' && r.detail.notes !== '',
    );
}

export async function setTransactionDetail(db: Executor, transactionId: string, detail: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('kiosk_transactions')
    .set({ detail: JSON.stringify(detail) })
    .where('id', '=', transactionId)
    .execute();
}

export async function setRepairNotes(db: Executor, ticketId: string, notes: string, parts?: string): Promise<void> {
  await db
    .updateTable('repair_tickets')
    .set({ notes, ...(parts === undefined ? {} : { parts }) })
    .where('id', '=', ticketId)
    .execute();
}

/**
 * People of the district off the roster (not active), not yet erased, whose
 * last use of Cubby (a kiosk visit, a loan, or when they were added) is
 * before `lastActiveBefore`. Oldest first, a batch at a time.
 */
export async function peopleDueForErasure(db: Executor, districtId: string, lastActiveBefore: number, limit = 100) {
  const rows = await db
    .selectFrom('people')
    .select('people.id')
    .where('people.district_id', '=', districtId)
    .where('people.active', '=', 0)
    .where('people.erased_at', 'is', null)
    .where('people.created_at', '<', lastActiveBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('kiosk_transactions')
            .select('kiosk_transactions.id')
            .whereRef('kiosk_transactions.person_id', '=', 'people.id')
            .where('kiosk_transactions.created_at', '>=', lastActiveBefore),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('loans')
            .select('loans.id')
            .whereRef('loans.person_id', '=', 'people.id')
            .where((w) => w.or([w('loans.created_at', '>=', lastActiveBefore), w('loans.ended_at', '>=', lastActiveBefore)])),
        ),
      ),
    )
    .orderBy('people.created_at')
    .orderBy('people.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
