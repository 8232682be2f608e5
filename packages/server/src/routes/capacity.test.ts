import { testDialects } from '@cubby/db/testing';
import type { CapacityReport } from '@cubby/protocol/api';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, aLoaner, anAssignedDevice, aSite, aStation, aStudent } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aPastLoan } from '../testing/loan-history.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

const zone = 'America/Chicago';
const at = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(zone).epochMilliseconds;
/** Four school weeks: Monday 2 November to Monday 30 November 2026, 20 weekdays. */
const from = at('2026-11-02T00:00');
const to = at('2026-11-30T00:00');

/**
 * GET /api/v1/capacity (issue 17): a campus's plan from its loan history —
 * six day loans out together every school day and one swap loan out the
 * whole time — against the loaners it holds; the district's moves of spares;
 * a campus technician sees only their campus and no moves; bad windows are
 * problems.
 */
describe.each(testDialects)('capacity plan on %s', (dialect) => {
  let server: TestServer;
  let admin: Browser;
  let technician: Browser;
  let mapleId: string;
  let northId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { cubby } = server;
    const district = await aDistrict(cubby, { timeZone: zone });
    mapleId = district.siteId;
    northId = await aSite(cubby, district.districtId, { name: 'North Middle', timeZone: zone });
    const maple = await aStation(cubby, mapleId, { compartments: 12 });
    const north = await aStation(cubby, northId, { name: 'Gym', compartments: 12 });
    const loanersAt = async (siteId: string, station: typeof maple, count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push((await aLoaner(cubby, district.districtId, station.compartments[i]!.id)).deviceId);
      await cubby.db.updateTable('devices').set({ site_id: siteId }).where('id', 'in', ids).execute();
      return ids;
    };
    const mapleLoaners = await loanersAt(mapleId, maple, 7);
    await loanersAt(northId, north, 12);
    const student = await aStudent(cubby, server.services.keys, district.districtId, { siteId: mapleId });
    const loan = (deviceId: string, startedAt: number, endedAt: number | null, swapOf?: string) =>
      aPastLoan(cubby, {
        stationId: maple.stationId,
        compartmentId: maple.compartments[0]!.id,
        personId: student.personId,
        deviceId,
        startedAt,
        endedAt,
        ...(swapOf ? { swapOf } : {}),
      });
    for (
      let d = Temporal.PlainDate.from('2026-11-02');
      Temporal.PlainDate.compare(d, '2026-11-27') <= 0;
      d = d.add({ days: 1 })
    ) {
      if (d.dayOfWeek > 5) continue;
      for (const deviceId of mapleLoaners.slice(0, 6)) await loan(deviceId, at(`${d}T08:00`), at(`${d}T15:00`));
    }
    const broken = await anAssignedDevice(cubby, district.districtId, student.personId);
    await loan(mapleLoaners[6]!, from, to, broken.deviceId);
    admin = await signIn(server.app, await aUser(cubby, { role: 'district_admin' }));
    technician = await signIn(server.app, await aUser(cubby, { role: 'technician', siteIds: [mapleId] }));
  });
  afterAll(async () => server?.close());

  const get = (query: string, who: Browser) =>
    server.app.inject({ method: 'GET', url: `/api/v1/capacity?${query}`, headers: who.headers });

  it('plans each campus from its history and moves the spares to the campus that is short', async () => {
    const res = await get(`from=${from}&to=${to}`, admin);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<CapacityReport>();
    expect(report).toMatchObject({ from, to, serviceLevel: 0.99 });
    const maple = report.campuses.find((c) => c.siteId === mapleId)!;
    // 20 school days with a peak of 6: Poisson(6) reaches 99 % at 12.
    expect(maple.inputs).toMatchObject({ schoolDays: 20, dayLoans: 120, swaps: 1 });
    expect(maple.inputs.awayAtRepair).toBeCloseTo(1, 10);
    expect(maple.dayLoans).toMatchObject({ meanPeak: 6, model: 'poisson', sampleQuantile: 6, needed: 12 });
    // One device away on average: Erlang B is under 1 % from 5 loaners (B(4, 1) = 1.5 %).
    expect(maple.swapLoans.needed).toBe(5);
    expect(maple).toMatchObject({ current: 7, recommended: 17, surplus: -10 });
    expect(maple.shortDayChance.current).toBeGreaterThan(0.3);
    expect(maple.shortDayChance.recommended).toBeLessThan(0.01);
    const north = report.campuses.find((c) => c.siteId === northId)!;
    expect(north).toMatchObject({ current: 12, recommended: 0, surplus: 12, inputs: { dayLoans: 0, swaps: 0 } });
    expect(report.rebalancing).toEqual({
      moves: [{ fromSiteId: northId, fromName: 'North Middle', toSiteId: mapleId, toName: 'Maple Valley High', loaners: 10 }],
      unmet: 0,
      unused: 2,
    });
  });

  it('a lower service level needs fewer loaners', async () => {
    const report = (await get(`from=${from}&to=${to}&servicePercent=90`, admin)).json<CapacityReport>();
    const maple = report.campuses.find((c) => c.siteId === mapleId)!;
    // Poisson(6) reaches 90 % at 9; Erlang B(3, 1) = 6.25 % ≤ 10 %.
    expect(maple).toMatchObject({ recommended: 12, dayLoans: { needed: 9 }, swapLoans: { needed: 3 } });
  });

  it('a campus technician sees their campus only, and no moves between campuses', async () => {
    const res = await get(`from=${from}&to=${to}`, technician);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<CapacityReport>();
    expect(report.campuses.map((c) => c.siteId)).toEqual([mapleId]);
    expect(report.rebalancing).toBeNull();
  });

  it('refuses a window that cannot be, with a problem', async () => {
    for (const query of [`from=${to}&to=${from}`, `from=0&to=${to}`, 'servicePercent=100', 'from=soon', 'colour=blue']) {
      const res = await get(query, admin);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const anonymous = await server.app.inject({ method: 'GET', url: '/api/v1/capacity' });
    expect(anonymous.statusCode).toBe(401);
  });
});
