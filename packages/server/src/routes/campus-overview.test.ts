import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aLoaner, anApiToken, aSite, aStation } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * GET /api/v1/sites/:id/overview: one campus's counts and stations, for the
 * dashboard's campus page. Campus staff see only their own campus; another
 * campus answers 404, exactly as an unknown one does.
 */
describe.each(testDialects)('the campus overview on %s', (dialect) => {
  let s: StationScenario;
  let siteB: string;
  let stationB: string;
  const browsers = {} as Record<'district_admin' | 'site_admin' | 'technician' | 'auditor' | 'site_admin_b', Browser>;

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    await s.borrowed();
    const cubby = s.server.cubby;
    siteB = await aSite(cubby, s.districtId, { name: 'Oak Middle' });
    stationB = (await aStation(cubby, siteB, { name: 'Oak Library', compartments: 4 })).stationId;
    await aLoaner(cubby, s.districtId, (await s.compartment(1, stationB)).id);
    const campus = { site_admin: [s.siteId], technician: [s.siteId], site_admin_b: [siteB] } as Record<string, string[]>;
    for (const who of Object.keys({
      district_admin: 1,
      site_admin: 1,
      technician: 1,
      auditor: 1,
      site_admin_b: 1,
    }) as (keyof typeof browsers)[]) {
      const role = who === 'site_admin_b' ? 'site_admin' : who;
      browsers[who] = await signIn(s.server.app, await aUser(cubby, { role, siteIds: campus[who] ?? null }));
    }
  });
  afterAll(async () => s?.close());

  const get = (url: string, headers: Record<string, string>) => s.server.app.inject({ method: 'GET', url, headers });

  it("answers the campus's name, zone, totals and stations with their counts", async () => {
    const res = await get(`/api/v1/sites/${s.siteId}/overview`, browsers.technician.headers);
    expect(res.statusCode, res.body).toBe(200);
    const campus = res.json();
    expect(campus).toMatchObject({ id: s.siteId, name: 'Maple Valley High', timeZone: expect.any(String) });
    expect(campus.stations).toEqual([
      expect.objectContaining({ id: s.station.stationId, name: 'Library', connected: true, counts: expect.any(Object) }),
    ]);
    expect(campus.totals).toMatchObject({ compartments: 8, loaded: 1, devicesOut: 1, stationsOnline: 1, stationsOffline: 0 });
    // Only this campus: campus B's station and loaner are not in it.
    expect(res.body).not.toContain(stationB);
  });

  it('is the same campus as the district overview shows', async () => {
    const overview = (await get('/api/v1/overview', browsers.district_admin.headers)).json();
    const fromOverview = overview.campuses.find((c: { id: string }) => c.id === siteB);
    const own = (await get(`/api/v1/sites/${siteB}/overview`, browsers.district_admin.headers)).json();
    expect({ ...own, stations: own.stations.map((st: object) => ({ ...st, lastSeenAt: null })) }).toEqual({
      ...fromOverview,
      stations: fromOverview.stations.map((st: object) => ({ ...st, lastSeenAt: null })),
    });
  });

  it.each([
    ['district_admin', 'A', 200],
    ['district_admin', 'B', 200],
    ['auditor', 'B', 200],
    ['site_admin', 'A', 200],
    ['technician', 'A', 200],
    ['site_admin', 'B', 404],
    ['technician', 'B', 404],
    ['site_admin_b', 'A', 404],
    ['site_admin_b', 'B', 200],
  ] as const)("a %s asking for campus %s's page gets %i", async (who, campus, status) => {
    const res = await get(`/api/v1/sites/${campus === 'A' ? s.siteId : siteB}/overview`, browsers[who].headers);
    expect(res.statusCode, res.body).toBe(status);
    if (status === 404) {
      expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
      expect(res.body).not.toContain('Oak');
      expect(res.body).not.toContain('Maple');
    }
  });

  it('an unknown campus is 404, and an API token limited to campus B sees only B', async () => {
    expect((await get('/api/v1/sites/nope/overview', browsers.district_admin.headers)).statusCode).toBe(404);
    const token = await anApiToken(s.server.cubby, 'b-reader', { scopes: ['fleet:read'], siteIds: [siteB] });
    const auth = { authorization: `Bearer ${token}` };
    expect((await get(`/api/v1/sites/${siteB}/overview`, auth)).statusCode).toBe(200);
    expect((await get(`/api/v1/sites/${s.siteId}/overview`, auth)).statusCode).toBe(404);
    expect((await get(`/api/v1/sites/${s.siteId}/overview`, {})).statusCode).toBe(401);
  });
});
