import { describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { erasePersonIdentity, erasePersonIdentityQuery } from './people-erasure.js';
import { findPersonRecord } from './people-privacy.js';
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
});
