import { describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { deletePersonRepairPhotos, erasePersonIdentity, erasePersonIdentityQuery } from './people-erasure.js';
import { findPersonRecord, personRepairPhotos } from './people-privacy.js';
import { createTestDb, testDialects } from './testing.js';

const pseudonym = { givenName: 'Erased student', familyName: '0a1b2c3d' };

async function aPerson(cubby: CubbyDb): Promise<void> {
  await cubby.db.insertInto('districts').values({ id: 'x1', name: 'D', settings: '{}', created_at: 0 }).execute();
  await cubby.db
    .insertInto('people')
    .values({
      ...{ id: 'p1', district_id: 'x1', site_id: null, role: 'student', external_id: 'SIS-1', student_number: 'S1' },
      ...{ given_name: 'Ada', family_name: 'Lovelace', grade: '9', badge_hash: 'b', offline_badge_hash: 'o', pin_hash: 'p' },
      ...{ agreement_accepted_at: 3, active: 1, created_at: 1 },
    })
    .execute();
}

/** Erasure is a conditional update: once, from a row not yet erased. */
describe.each(testDialects)('erasing an identity on %s', (dialect) => {
  it('clears every identifying column only while erased_at is unset, and a second erasure changes nothing', async () => {
    const cubby = await createTestDb(dialect);
    try {
      const compiled = erasePersonIdentityQuery(cubby.db, 'p1', pseudonym, 9).compile();
      const p = (i: number) => (dialect === 'sqlite' ? '?' : `$${i}`);
      expect(compiled.sql).toBe(
        `update "people" set "given_name" = ${p(1)}, "family_name" = ${p(2)}, "student_number" = ${p(3)}, ` +
          `"external_id" = ${p(4)}, "badge_hash" = ${p(5)}, "offline_badge_hash" = ${p(6)}, "pin_hash" = ${p(7)}, ` +
          `"email" = ${p(8)}, "active" = ${p(9)}, "erased_at" = ${p(10)} where "id" = ${p(11)} and "erased_at" is null`,
      );
      expect(compiled.parameters).toEqual(['Erased student', '0a1b2c3d', null, null, null, null, null, null, 0, 9, 'p1']);

      await aPerson(cubby);
      await cubby.db
        .updateTable('people')
        .set({ email: 'ana@students.example.org', language: 'es' })
        .where('id', '=', 'p1')
        .execute();
      expect(await findPersonRecord(cubby.db, 'p1')).toMatchObject({ studentNumber: 'S1' });
      expect(await erasePersonIdentity(cubby.db, 'p1', pseudonym, 9)).toBe(true);
      expect(await cubby.db.selectFrom('people').select(['email', 'language']).where('id', '=', 'p1').executeTakeFirst()).toEqual(
        {
          email: null,
          language: 'es',
        },
      );
      const erased = await findPersonRecord(cubby.db, 'p1');
      expect(erased).toMatchObject({
        givenName: 'Erased student',
        studentNumber: null,
        externalId: null,
        erasedAt: 9,
        grade: '9',
      });
      expect([erased!.badgeEnrolled, erased!.offlineBadgeEnrolled, erased!.pinSet].map(Boolean)).toEqual([false, false, false]);
      expect(await erasePersonIdentity(cubby.db, 'p1', { givenName: 'x', familyName: 'y' }, 10)).toBe(false);
      expect(await findPersonRecord(cubby.db, 'p1')).toMatchObject({ givenName: 'Erased student', erasedAt: 9 });
    } finally {
      await cubby.close();
    }
  });

  it("takes the person's roster contacts with their identity", async () => {
    const cubby = await createTestDb(dialect);
    try {
      await aPerson(cubby);
      const contact = {
        person_id: 'p1',
        relationship: 'parent',
        given_name: 'Pat',
        family_name: 'L',
        email: 'p@x.org',
        phone: null,
      };
      await cubby.db
        .insertInto('person_contacts')
        .values({ ...contact, id: 'c1', external_id: 'g1', created_at: 1, updated_at: 1 })
        .execute();
      expect(await erasePersonIdentity(cubby.db, 'p1', pseudonym, 9)).toBe(true);
      expect(await cubby.db.selectFrom('person_contacts').selectAll().execute()).toEqual([]);
    } finally {
      await cubby.close();
    }
  });

  it("deletes the photos of the person's tickets only: other tickets' photos and every ticket stay", async () => {
    const cubby = await createTestDb(dialect);
    try {
      await aPerson(cubby);
      await cubby.db
        .insertInto('people')
        .values({
          ...{ id: 'p2', district_id: 'x1', site_id: null, role: 'student', external_id: null, student_number: 'S2' },
          ...{ given_name: 'Bo', family_name: 'B', grade: '9', badge_hash: null, offline_badge_hash: null, pin_hash: null },
          ...{ agreement_accepted_at: null, active: 1, created_at: 1 },
        })
        .execute();
      await cubby.db
        .insertInto('devices')
        .values({
          ...{ id: 'd1', district_id: 'x1', site_id: null, asset_tag: 'A1', serial: null, model: 'M', pool: 'assigned' },
          ...{ owner_id: 'p1', status: 'in_repair', condition: 'ok', battery_percent: 50, loan_count: 0 },
          ...{ last_loaned_at: null, warranty_end: null, created_at: 1, updated_at: 1 },
        })
        .execute();
      const ticket = (id: string, personId: string | null) => ({
        ...{ id, device_id: 'd1', person_id: personId, transaction_id: null, loan_id: null, status: 'closed' as const },
        ...{ symptom: 'screen' as const, notes: '', cost_cents: null, warranty_claim: 0 as const, fee_cents: null },
        ...{ compartment_id: null, reported_at: 1, awaiting_collection_at: null, collected_at: null, in_repair_at: null },
        ...{ repaired_at: null, ready_for_pickup_at: null, closed_at: 2, retired_at: null },
      });
      await cubby.db
        .insertInto('repair_tickets')
        .values([ticket('t1', 'p1'), ticket('t2', 'p2'), ticket('t3', null)])
        .execute();
      const photo = (id: string, ticketId: string, at: number) => ({
        ...{ id, ticket_id: ticketId, content_type: 'image/png', bytes: new Uint8Array([1, 2, 3]), size: 3 },
        ...{ uploaded_by: null, uploaded_at: at },
      });
      await cubby.db
        .insertInto('repair_photos')
        .values([photo('f1', 't1', 5), photo('f2', 't1', 6), photo('f3', 't2', 7), photo('f4', 't3', 8)])
        .execute();
      expect((await personRepairPhotos(cubby.db, 'p1')).map((p) => [p.id, p.ticketId, p.size, p.uploadedAt])).toEqual([
        ['f1', 't1', 3, 5],
        ['f2', 't1', 3, 6],
      ]);
      expect(await deletePersonRepairPhotos(cubby.db, 'p1')).toBe(2);
      const left = await cubby.db.selectFrom('repair_photos').select('id').orderBy('id').execute();
      expect(left.map((r) => r.id)).toEqual(['f3', 'f4']);
      const tickets = await cubby.db.selectFrom('repair_tickets').select('id').orderBy('id').execute();
      expect(tickets.map((r) => r.id)).toEqual(['t1', 't2', 't3']);
      expect(await deletePersonRepairPhotos(cubby.db, 'p1')).toBe(0);
    } finally {
      await cubby.close();
    }
  });
});
