import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aLoaner, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * Site admins and technicians see only their campuses. Two campuses each with
 * a station, a loaner and a finished borrow; every list and read route the
 * server has is called as campus A's site admin and technician, and no
 * identifier of campus B may appear anywhere in any answer, while the
 * district admin sees both.
 */
describe.each(testDialects)('campus scoping on %s', (dialect) => {
  let s: StationScenario;
  let linkB: StationDouble;
  const b: Record<string, string> = {};
  const a: Record<string, string> = {};
  const browsers: Record<'site_admin' | 'technician' | 'district_admin', Browser> = {} as never;

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    const borrowA = await s.borrowed();
    a.station = s.station.stationId;
    a.transaction = borrowA.transactionId;
    a.loan = (await s.loans())[0]!.id;

    const siteB = await aSite(s.server.cubby, s.districtId, { name: 'Campus B' });
    const stationB = await aStation(s.server.cubby, siteB, { name: 'B Library', compartments: 4 });
    const loanerB = await aLoaner(s.server.cubby, s.districtId, stationB.compartments[0]!.id, { charge: 95 });
    const studentB = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, {
      siteId: siteB,
      givenName: 'Bernadette',
    });
    linkB = await StationDouble.connect(s.server.url, stationB.token);
    await linkB.hello();
    const session = await s.signIn({ badge: studentB.badge }, linkB);
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' }, linkB);
    await s.useDoor(txn.compartment!, false, linkB);
    expect((await s.transactionEnd(txn.id, linkB)).status).toBe('completed');
    const loanB = await s.server.cubby.db
      .selectFrom('loans')
      .select('id')
      .where('station_id', '=', stationB.stationId)
      .executeTakeFirstOrThrow();
    Object.assign(b, {
      site: siteB,
      station: stationB.stationId,
      device: loanerB.deviceId,
      person: studentB.personId,
      transaction: txn.id,
      loan: loanB.id,
      ...Object.fromEntries(stationB.compartments.map((c) => [`compartment${c.number}`, c.id])),
    });

    for (const role of ['site_admin', 'technician', 'district_admin'] as const) {
      browsers[role] = await signIn(
        s.server.app,
        await aUser(s.server.cubby, { role, siteIds: role === 'district_admin' ? null : [s.siteId] }),
      );
    }
  });
  afterAll(async () => {
    linkB?.close();
    await s?.close();
  });

  /** Every GET route without path parameters: the lists, the overview, the policy… */
  const readRoutes = () =>
    s.server.routes.filter(
      (r) =>
        r.method === 'GET' &&
        r.url.startsWith('/api/v1/') &&
        !r.url.includes(':') &&
        !r.url.endsWith('/live') &&
        !r.url.includes('/auth/'),
    );

  async function answers(browser: Browser) {
    const out: { url: string; status: number; body: string }[] = [];
    for (const route of readRoutes()) {
      const url = route.url === '/api/v1/audit-events' || /s$/.test(route.url) ? `${route.url}?limit=500` : route.url;
      const res = await s.server.app.inject({ method: 'GET', url, headers: browser.headers });
      out.push({ url: route.url, status: res.statusCode, body: res.body });
    }
    return out;
  }

  it.each(['site_admin', 'technician'] as const)('a %s of campus A never sees anything of campus B', async (role) => {
    expect(readRoutes().length).toBeGreaterThanOrEqual(8);
    const seen = await answers(browsers[role]);
    for (const { url, status, body } of seen) {
      if (status === 403) continue; // not this role's to read at all (the role matrix covers which)
      expect(status, `${url}: ${body.slice(0, 200)}`).toBe(200);
      for (const [what, id] of Object.entries(b))
        expect(body.includes(id), `${role} ${url} shows campus B's ${what}`).toBe(false);
    }
    // Not vacuous: their own campus is there.
    const all = seen.map((x) => x.body).join('\n');
    expect(all).toContain(a.station);
    expect(all).toContain(a.loan);
  });

  it('the district admin sees both campuses in the same answers', async () => {
    const all = (await answers(browsers.district_admin)).map((x) => x.body).join('\n');
    for (const id of [a.station, a.loan, b.station, b.loan, b.device, b.site]) expect(all).toContain(id);
  });

  it("campus B's station answers 404 to campus A's staff, for reading and for operating", async () => {
    for (const role of ['site_admin', 'technician'] as const) {
      const headers = browsers[role].headers;
      const grid = await s.server.app.inject({ method: 'GET', url: `/api/v1/stations/${b.station}/grid`, headers });
      expect(grid.statusCode, role).toBe(404);
      const open = await s.server.app.inject({
        method: 'POST',
        url: `/api/v1/stations/${b.station}/compartments/1/open`,
        headers,
        payload: { reason: 'checking the lock' },
      });
      expect(open.statusCode, role).toBe(404);
      const own = await s.server.app.inject({ method: 'GET', url: `/api/v1/stations/${a.station}/grid`, headers });
      expect(own.statusCode, role).toBe(200);
    }
    const admin = await s.server.app.inject({
      method: 'GET',
      url: `/api/v1/stations/${b.station}/grid`,
      headers: browsers.district_admin.headers,
    });
    expect(admin.statusCode).toBe(200);
  });
});
