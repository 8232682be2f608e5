import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { snapshotCredentialHash } from '@cubby/protocol/offline-keys';
import { aPastVisit, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { buildPolicySnapshot } from './policy-snapshot.js';

const day = 86_400_000;

/** What a kiosk's disk holds about people: as little as the station can work with (docs/security.md). */
describe.each(testDialects)('who and how a policy snapshot lists on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => {
    await s?.close();
  });

  const build = (stationId = s.station.stationId, now = Date.now()) => buildPolicySnapshot(s.server.services, stationId, now);
  const student = (options: { siteId?: string } = {}) => aStudent(s.server.cubby, s.server.services.keys, s.districtId, options);

  it('a station never used online lists nobody; then only its campus’s (or campus-less) people who used the campus lately or hold a loan', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const otherCampus = await aSite(s.server.cubby, s.districtId, { name: 'Oak Ridge Middle' });
    const there = await aStation(s.server.cubby, otherCampus, { compartments: 2 });
    const neighbour = await aStation(s.server.cubby, s.siteId, { name: 'Cafeteria', compartments: 2 });
    const regular = await student({ siteId: s.siteId }); // used the other station of this campus last week
    const campusless = await student(); // used this station yesterday
    const elsewhere = await student({ siteId: otherCampus }); // of the other campus, even though it used this one
    const lapsed = await student({ siteId: s.siteId }); // last here 90 days ago
    const rostered = await student({ siteId: s.siteId }); // on the roster, never used Cubby
    await aPastVisit(s.server.cubby, there.stationId, elsewhere.personId);

    expect((await build()).credentials).toEqual([]); // a brand-new kiosk is handed no badges

    await aPastVisit(s.server.cubby, neighbour.stationId, regular.personId, Date.now() - 7 * day);
    await aPastVisit(s.server.cubby, s.station.stationId, campusless.personId);
    await aPastVisit(s.server.cubby, s.station.stationId, elsewhere.personId);
    await aPastVisit(s.server.cubby, s.station.stationId, lapsed.personId, Date.now() - 90 * day);
    await s.borrowed(); // the scenario's student holds a loan (and the station is now in use)
    const listed = (await build()).credentials.map((c) => c.personId).sort();
    expect(listed).toEqual([regular.personId, campusless.personId, s.student.personId].sort());
    expect(listed).not.toContain(rostered.personId);
    expect(listed).not.toContain(lapsed.personId);
    // The other campus's station lists its own people only.
    await aPastVisit(s.server.cubby, there.stationId, campusless.personId);
    expect((await build(there.stationId)).credentials.map((c) => c.personId).sort()).toEqual(
      [elsewhere.personId, campusless.personId].sort(),
    );
  });

  it('a credential is scrypt of the offline badge hash with a salt of its own per station and per day, never a hash kept on the server', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    // The hello's snapshot is recorded before it is sent; then no more of the gateway's own in between.
    await s.link.next((m) => m.type === 'policy_snapshot');
    s.link.close();
    const neighbour = await aStation(s.server.cubby, s.siteId, { name: 'Cafeteria', compartments: 2 });
    await aPastVisit(s.server.cubby, s.station.stationId, s.student.personId);
    await aPastVisit(s.server.cubby, neighbour.stationId, s.student.personId);
    const now = Date.now();
    const first = await build(s.station.stationId, now);
    const person = await s.server.cubby.db
      .selectFrom('people')
      .select(['badge_hash', 'offline_badge_hash'])
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    const [listed] = first.credentials;
    expect(listed!.hash).toBe(await snapshotCredentialHash(person.offline_badge_hash!, first.hashing));
    expect(listed!.hash).not.toBe(person.badge_hash);
    expect(listed!.hash).not.toBe(person.offline_badge_hash);
    expect(first.hashing).toMatchObject({ n: 16384, r: 8, p: 1 });
    expect(first.hashing.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);

    // Another station, or the same one after its salt's day, hashes the same badge differently.
    const next = await build(neighbour.stationId, now);
    expect(next.hashing.salt).not.toBe(first.hashing.salt);
    expect(next.credentials[0]!.hash).not.toBe(listed!.hash);
    // Within the day an unchanged snapshot is the same record, so the slow hashes are paid once.
    const again = await build(s.station.stationId, now + 60_000);
    expect([again.snapshotId, again.hashing.salt]).toEqual([first.snapshotId, first.hashing.salt]);
    const tomorrow = await build(s.station.stationId, now + 25 * 3_600_000);
    expect(tomorrow.hashing.salt).not.toBe(first.hashing.salt);
    expect(tomorrow.snapshotId).not.toBe(first.snapshotId);
  });
});
