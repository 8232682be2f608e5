import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPeople, type KnownPerson, type PeoplePlan, type RosterPerson } from './people-plan.js';

let n = 0;
const newId = () => `id-${++n}`;
const source = { file: 'users.csv', line: 2 };
const aRow = (over: Partial<RosterPerson> = {}): RosterPerson => ({
  externalId: 's1',
  role: 'student',
  givenName: 'Ana',
  familyName: 'García',
  studentNumber: '1001',
  grade: '7',
  siteId: 'site-a',
  badgeHash: 'b1',
  offlineBadgeHash: 'o1',
  source,
  ...over,
});

/** What the database holds after the plan is applied (the db layer does the same with SQL). */
function applied(known: KnownPerson[], plan: PeoplePlan): KnownPerson[] {
  const out = new Map(known.map((p) => [p.id, { ...p }]));
  for (const c of plan.create) {
    const { source: _s, ...rest } = c;
    out.set(c.id, { ...rest, active: true });
  }
  for (const u of plan.update) Object.assign(out.get(u.id)!, u.fields);
  for (const id of plan.deactivate) out.get(id)!.active = false;
  return [...out.values()];
}

describe('planPeople', () => {
  it('creates the new, updates the changed, leaves the same alone and deactivates the missing in bulk', () => {
    const first = planPeople({
      known: [],
      incoming: [aRow(), aRow({ externalId: 's2', studentNumber: '1002', badgeHash: 'b2' })],
      mode: 'bulk',
      newId,
    });
    expect(first.create).toHaveLength(2);
    const known = applied([], first);
    const second = planPeople({ known, incoming: [aRow({ grade: '8' })], mode: 'bulk', newId });
    expect(second.update).toEqual([expect.objectContaining({ fields: { grade: '8' } })]);
    expect(second.deactivate).toEqual([known[1]!.id]);
    expect(second.unchanged).toBe(0);
  });

  it('a row without a badge keeps the badge on record; a delta deactivates only tobedeleted', () => {
    const known = applied(
      [],
      planPeople({
        known: [],
        incoming: [aRow(), aRow({ externalId: 's2', studentNumber: '2', badgeHash: 'b2' })],
        mode: 'bulk',
        newId,
      }),
    );
    const plan = planPeople({
      known,
      incoming: [aRow({ badgeHash: null, offlineBadgeHash: null })],
      mode: 'delta',
      removed: ['s2'],
      newId,
    });
    expect(plan.unchanged).toBe(1);
    expect(plan.deactivate).toEqual([known[1]!.id]);
  });

  it('refuses a sourcedId twice, one badge for two students and a student number someone else keeps', () => {
    const twice = planPeople({
      known: [],
      incoming: [aRow(), aRow({ source: { file: 'users.csv', line: 3 } })],
      mode: 'bulk',
      newId,
    });
    expect(twice.problems).toEqual([{ file: 'users.csv', line: 3, column: 'sourcedId', message: "'s1' appears twice" }]);
    const badge = planPeople({
      known: [],
      incoming: [aRow(), aRow({ externalId: 's2', studentNumber: '2', source: { file: 'users.csv', line: 9 } })],
      mode: 'bulk',
      newId,
    });
    expect(badge.problems).toEqual([{ file: 'users.csv', line: 9, column: 'badge', message: 'one badge belongs to two people' }]);
    const kept: KnownPerson = { ...aRow(), id: 'p0', externalId: null, badgeHash: null, active: true };
    const number = planPeople({ known: [kept], incoming: [aRow({ externalId: 's9' })], mode: 'bulk', newId });
    expect(number.problems.map((p) => p.message)).toEqual(["student number '1001' belongs to two people"]);
  });

  it('reactivates someone who comes back', () => {
    const known: KnownPerson[] = [{ ...aRow(), id: 'p1', active: false }];
    expect(planPeople({ known, incoming: [aRow()], mode: 'bulk', newId }).update).toEqual([
      expect.objectContaining({ id: 'p1', fields: { active: true } }),
    ]);
  });

  it('applying a plan, then planning the same file again, changes nothing', () => {
    const row = fc.record({
      externalId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      givenName: fc.constantFrom('Ana', 'Bo'),
      grade: fc.constantFrom('6', '7', null),
      siteId: fc.constantFrom('x', 'y', null),
      badge: fc.option(fc.constantFrom('1', '2', '3', '4', '5', '6')),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 5 }),
        fc.array(row, { maxLength: 5 }),
        fc.constantFrom('bulk' as const, 'delta' as const),
        (before, after, mode) => {
          const rows = (list: typeof before) =>
            [...new Map(list.map((r) => [r.externalId, r])).values()].map((r) =>
              aRow({
                externalId: r.externalId,
                givenName: r.givenName,
                grade: r.grade,
                siteId: r.siteId,
                studentNumber: `n-${r.externalId}`,
                badgeHash: r.badge,
                offlineBadgeHash: r.badge,
              }),
            );
          const first = planPeople({ known: [], incoming: rows(before), mode, newId });
          fc.pre(first.problems.length === 0);
          const second = planPeople({ known: applied([], first), incoming: rows(after), mode, newId });
          fc.pre(second.problems.length === 0);
          const held = applied(applied([], first), second);
          const third = planPeople({ known: held, incoming: rows(after), mode, newId });
          expect(third.create).toEqual([]);
          expect(third.update).toEqual([]);
          expect(third.deactivate).toEqual([]);
          // Nobody ever loses a badge the roster stopped sending.
          for (const p of applied([], first)) if (p.badgeHash) expect(held.find((h) => h.id === p.id)!.badgeHash).not.toBeNull();
        },
      ),
    );
  });
});
