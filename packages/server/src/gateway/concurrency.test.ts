import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import type { Dialect } from '@cubby/db';
import { aDistrict, aLoaner, aStation, aStudent } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { StationDouble } from '../testing/station-double.js';

/**
 * Many kiosks at once. Each station's own messages are handled in order, and
 * a station has one kiosk screen (a sign-in ends the session before it), so
 * its visitors take turns; the races that matter are between stations: the
 * claims, the loan limit and the audit chain head.
 */
describe.each(testDialects)('many students at many stations at once on %s', (dialect) => {
  let server: TestServer | undefined;
  let links: StationDouble[] = [];
  afterEach(async () => {
    for (const link of links) link.close();
    links = [];
    await server?.close();
    server = undefined;
  });

  /** Five stations of four doors, two loaners each, every link greeted. */
  async function fiveStations(d: Dialect, students: number) {
    server = await startTestServer(d);
    const { districtId, siteId } = await aDistrict(server.cubby, { policy: { maxActiveLoans: 1 } });
    const stations = [];
    for (let i = 0; i < 5; i++) {
      const station = await aStation(server.cubby, siteId, { name: `Station ${i + 1}`, compartments: 4 });
      for (const [n, charge] of [80, 95].entries())
        await aLoaner(server.cubby, districtId, station.compartments[n]!.id, { charge });
      const link = await StationDouble.connect(server.url, station.token);
      links.push(link);
      await link.hello();
      stations.push({ ...station, link });
    }
    const people = [];
    for (let i = 0; i < students; i++) people.push(await aStudent(server.cubby, server.services.keys, districtId));
    return { stations, people };
  }

  /** One student's whole visit: sign in, ask for a loaner, and take it from the door that opens. */
  async function borrowAt(link: StationDouble, badge: string): Promise<string> {
    const auth = await link.request({ type: 'auth', credential: { badge } });
    if (!auth.ok) return `sign-in refused: ${(auth.error as { code: string }).code}`;
    const session = (auth.data as { session: string }).session;
    const result = await link.request({ type: 'request', session, action: { kind: 'borrow', reason: 'forgotten' } });
    if (!result.ok) return (result.error as { code: string }).code;
    const txn = (result.data as { transaction: { id: string } }).transaction;
    const unlock = await link.next((m) => m.type === 'unlock' && m.transactionId === txn.id, 15_000);
    link.openAndClose(unlock, false);
    const end = await link.next(
      (m) =>
        m.type === 'transaction' &&
        (m.transaction as { id: string; status: string }).id === txn.id &&
        (m.transaction as { status: string }).status !== 'in_progress',
      15_000,
    );
    return (end.transaction as { status: string }).status;
  }

  /** Queues a visit behind the earlier ones at the same station; the stations run at once. */
  let turns = new Map<StationDouble, Promise<unknown>>();
  function inTurn(link: StationDouble, badge: string): Promise<string> {
    const visit = (turns.get(link) ?? Promise.resolve()).then(() => borrowAt(link, badge));
    turns.set(
      link,
      visit.catch(() => undefined),
    );
    return visit;
  }
  afterEach(() => {
    turns = new Map();
  });

  const openLoans = () =>
    server!.cubby.db.selectFrom('loans').selectAll().where('status', 'in', ['pending', 'active', 'overdue']).execute();

  it('50 students at 5 stations borrowing at once take exactly the 10 loaners, each device once', async () => {
    const { stations, people } = await fiveStations(dialect, 50);
    const outcomes = await Promise.all(people.map((p, i) => inTurn(stations[i % 5]!.link, p.badge)));

    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'no_loaner_available')).toHaveLength(40);
    const loans = await openLoans();
    expect(loans).toHaveLength(10);
    expect(loans.every((l) => l.status === 'active')).toBe(true);
    expect(new Set(loans.map((l) => l.device_id)).size).toBe(10);
    expect(new Set(loans.map((l) => l.person_id)).size).toBe(10);
    for (const station of stations) expect(loans.filter((l) => l.station_id === station.stationId)).toHaveLength(2);
    const devices = await server!.cubby.db.selectFrom('devices').select(['status', 'loan_count']).execute();
    expect(devices.every((d) => d.status === 'on_loan' && d.loan_count === 1)).toBe(true);
    expect(await lockerInvariantViolations(server!.cubby)).toEqual([]);
  });

  it('a student borrowing at two stations at the same moment gets exactly one loan', async () => {
    const { stations, people } = await fiveStations(dialect, 5);
    // Each student is at two neighbouring stations at once; every station sees two such students.
    const outcomes = await Promise.all(
      people.map(async (p, i) => Promise.all([inTurn(stations[i]!.link, p.badge), inTurn(stations[(i + 1) % 5]!.link, p.badge)])),
    );
    for (const pair of outcomes) expect(pair.sort()).toEqual(['completed', 'loan_limit_reached']);
    const loans = await openLoans();
    expect(loans).toHaveLength(5);
    expect(new Set(loans.map((l) => l.person_id)).size).toBe(5);
    // The refused attempts claimed nothing: five loaners are still in their compartments.
    const available = await server!.cubby.db.selectFrom('devices').select('id').where('status', '=', 'available').execute();
    expect(available).toHaveLength(5);
    expect(await lockerInvariantViolations(server!.cubby)).toEqual([]);
  });

  it('the invariant check itself catches a loaner that is both in a compartment and on loan', async () => {
    const { stations, people } = await fiveStations(dialect, 1);
    expect(await borrowAt(stations[0]!.link, people[0]!.badge)).toBe('completed');
    const [loan] = await openLoans();
    await server!.cubby.db
      .updateTable('compartments')
      .set({ device_id: loan!.device_id, status: 'loaded' })
      .where('id', '=', stations[0]!.compartments[3]!.id)
      .execute();
    expect(await lockerInvariantViolations(server!.cubby)).toEqual([expect.stringMatching(/both in a compartment and on loan/)]);
  });

  it('the same student hammering one loaner from five stations at once still gets one loan', async () => {
    const { stations, people } = await fiveStations(dialect, 1);
    const outcomes = await Promise.all(
      stations.flatMap((st) => [inTurn(st.link, people[0]!.badge), inTurn(st.link, people[0]!.badge)]),
    );
    expect(outcomes.filter((o) => o === 'completed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'loan_limit_reached')).toHaveLength(9);
    expect(await openLoans()).toHaveLength(1);
    expect(await lockerInvariantViolations(server!.cubby)).toEqual([]);
  });
});
