import { parseJson, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, anApiToken, aSite } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { StationDouble } from '../testing/station-double.js';

describe.each(testDialects)('the settings API on %s', (dialect) => {
  let server: TestServer;
  let siteA: string;
  let siteB: string;
  let admin: string;
  let siteAdmin: string;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ siteId: siteA } = await aDistrict(server.cubby, { policy: { maxActiveLoans: 2 } }));
    const district = await server.cubby.db.selectFrom('districts').select('id').executeTakeFirstOrThrow();
    siteB = await aSite(server.cubby, district.id, { name: 'Oak Middle' });
    admin = await anApiToken(server.cubby, 'admin', { scopes: ['fleet:read', 'sites:write', 'policy:write', 'audit:read'] });
    siteAdmin = await anApiToken(server.cubby, 'site admin', { scopes: ['fleet:read', 'sites:write'], siteIds: [siteA] });
    reader = await anApiToken(server.cubby, 'reader', { scopes: ['fleet:read'] });
  });
  afterAll(async () => server?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string | null, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  async function audited(action: string) {
    await sealAuditChain(server.cubby);
    return server.cubby.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
  }

  it('a district admin adds a campus; a site admin cannot; bad time zones and times are 400', async () => {
    const res = await call('POST', '/api/v1/sites', admin, {
      name: 'Pine Elementary',
      timeZone: 'America/Denver',
      schoolDayEnd: '15:05',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.any(String),
      name: 'Pine Elementary',
      timeZone: 'America/Denver',
      schoolDayEnd: '15:05',
    });
    const [event] = await audited('site.created');
    expect(event).toMatchObject({ actor_type: 'user', entity_id: res.json().id });

    expect(
      (await call('POST', '/api/v1/sites', siteAdmin, { name: 'Mine', timeZone: 'America/Denver', schoolDayEnd: '15:05' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call('POST', '/api/v1/sites', reader, { name: 'Mine', timeZone: 'America/Denver', schoolDayEnd: '15:05' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call('POST', '/api/v1/sites', admin, { name: 'X', timeZone: 'Mars/Olympus', schoolDayEnd: '15:05' })).json(),
    ).toMatchObject({ status: 400, code: 'bad_request' });
    expect((await call('POST', '/api/v1/sites', admin, { name: 'X', timeZone: 'UTC', schoolDayEnd: '25:00' })).statusCode).toBe(
      400,
    );
    expect((await call('POST', '/api/v1/sites', admin, { name: '', timeZone: 'UTC', schoolDayEnd: '15:00' })).statusCode).toBe(
      400,
    );
  });

  it('a site admin changes their own campus, not another (404)', async () => {
    const res = await call('PATCH', `/api/v1/sites/${siteA}`, siteAdmin, { schoolDayEnd: '14:45' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: siteA, schoolDayEnd: '14:45', name: 'Maple Valley High' });
    expect((await call('PATCH', `/api/v1/sites/${siteB}`, siteAdmin, { name: 'Taken over' })).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/sites/${siteA}`, siteAdmin, {})).statusCode).toBe(400);
    const [event] = await audited('site.updated');
    expect(parseJson(event!.data)).toMatchObject({ changes: { school_day_end: '14:45' }, from: { school_day_end: '15:30' } });
  });

  it('a new station has its doors and grid, at a campus of the caller', async () => {
    const res = await call('POST', '/api/v1/stations', siteAdmin, {
      siteId: siteA,
      name: 'Front office',
      compartments: 10,
      columns: 2,
      rows: 5,
    });
    expect(res.statusCode, res.body).toBe(201);
    const station = res.json();
    expect(station).toMatchObject({
      name: 'Front office',
      siteId: siteA,
      connected: false,
      lastSeenAt: null,
      backlog: 0,
      columns: 2,
      rows: 5,
    });
    const grid = (await call('GET', `/api/v1/stations/${station.id}/grid`, reader)).json();
    expect(grid).toMatchObject({ columns: 2, rows: 5 });
    expect(grid.compartments).toHaveLength(10);
    expect((await audited('station.created')).map((e) => e.entity_id)).toContain(station.id);

    expect(
      (await call('POST', '/api/v1/stations', siteAdmin, { siteId: siteB, name: 'Not mine', compartments: 4 })).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', '/api/v1/stations', admin, { siteId: siteA, name: 'Tiny', compartments: 10, columns: 2, rows: 2 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call('POST', '/api/v1/stations', admin, { siteId: siteA, name: 'Half', compartments: 4, columns: 2 })).statusCode,
    ).toBe(400);
    expect((await call('POST', '/api/v1/stations', admin, { siteId: siteA, name: 'Huge', compartments: 1000 })).statusCode).toBe(
      400,
    );
  });

  it("an enrollment code becomes the station's token once, and the token opens the link", async () => {
    const station = (await call('POST', '/api/v1/stations', admin, { siteId: siteB, name: 'Gym', compartments: 4 })).json();
    const issued = await call('POST', `/api/v1/stations/${station.id}/enrollment-code`, admin);
    expect(issued.statusCode, issued.body).toBe(201);
    const { code, expiresAt } = issued.json();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const stored = await server.cubby.db
      .selectFrom('stations')
      .select(['enroll_code_hash'])
      .where('id', '=', station.id)
      .executeTakeFirstOrThrow();
    expect(stored.enroll_code_hash).not.toContain(code.replace(/-/g, ''));
    expect(JSON.stringify(await audited('station.enrollment_code_issued'))).not.toContain(code);

    // Typed at the kiosk PC in lower case, without dashes: still the code.
    const enrolled = await call('POST', '/station/enroll', null, { code: code.replace(/-/g, '').toLowerCase() });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const { stationId, token } = enrolled.json();
    expect(stationId).toBe(station.id);
    expect(token).toMatch(/^cst_/);
    const again = await call('POST', '/station/enroll', null, { code });
    expect(again.statusCode).toBe(401);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);

    const link = await StationDouble.connect(server.url, token);
    await link.hello();
    expect((await call('GET', `/api/v1/stations/${station.id}/grid`, reader)).json()).toMatchObject({
      station: { connected: true },
    });
    link.close();
  });

  it("an expired or unknown enrollment code is refused; codes need sites:write at the station's campus", async () => {
    const station = (await call('POST', '/api/v1/stations', admin, { siteId: siteB, name: 'Annex', compartments: 2 })).json();
    const { code } = (await call('POST', `/api/v1/stations/${station.id}/enrollment-code`, admin)).json();
    await server.cubby.db
      .updateTable('stations')
      .set({ enroll_expires_at: Date.now() - 1 })
      .where('id', '=', station.id)
      .execute();
    for (const refused of [
      await call('POST', '/station/enroll', null, { code }),
      await call('POST', '/station/enroll', null, { code: 'AAAA-BBBB-CCCC' }),
    ]) {
      // Said plainly: nobody is asked to sign in to enroll a station.
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({
        code: 'enrollment_code_invalid',
        title: 'That enrollment code is not valid or has expired',
      });
      expect(refused.body).not.toContain('Sign-in required');
    }
    expect((await call('POST', '/station/enroll', null, {})).statusCode).toBe(400);
    expect((await call('POST', `/api/v1/stations/${station.id}/enrollment-code`, siteAdmin)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/stations/${station.id}/enrollment-code`, reader)).statusCode).toBe(403);
  });

  it('revoking a station closes its live link, takes it offline and its token stops working', async () => {
    const station = (
      await call('POST', '/api/v1/stations', siteAdmin, { siteId: siteA, name: 'Library', compartments: 4 })
    ).json();
    const { code } = (await call('POST', `/api/v1/stations/${station.id}/enrollment-code`, siteAdmin)).json();
    const { token } = (await call('POST', '/station/enroll', null, { code })).json();
    const link = await StationDouble.connect(server.url, token);
    await link.hello();

    const res = await call('POST', `/api/v1/stations/${station.id}/revoke`, siteAdmin);
    expect(res.statusCode, res.body).toBe(204);
    expect(await link.closed()).toBe(4401);
    await expect
      .poll(async () => (await call('GET', `/api/v1/stations/${station.id}/grid`, reader)).json().station.connected)
      .toBe(false);
    expect((await StationDouble.refusal(server.url, token)).status).toBe(403);
    const [event] = await audited('station.revoked');
    expect(parseJson(event!.data)).toMatchObject({ hadToken: true, wasConnected: true });
    expect((await call('POST', `/api/v1/stations/${station.id}/revoke`, reader)).statusCode).toBe(403);
  });

  it('charging settings: fleet:read reads the defaults, only policy:write replaces them, within their limits, audited', async () => {
    const defaults = {
      estimate: {
        defaultPercent: 20,
        reportedStaleMinutes: 240,
        defaultCurve: { fastUntilPercent: 80, fastMinutes: 90, slowMinutes: 60 },
        curves: {},
      },
      batteryWear: { schoolDayHours: 7, ratedHours: 10, maxCycleCount: 1000 },
    };
    expect((await call('GET', '/api/v1/settings/charging', reader)).json()).toEqual(defaults);
    const changed = {
      estimate: {
        ...defaults.estimate,
        defaultPercent: 30,
        curves: { 'Chromebook 11': { fastUntilPercent: 75, fastMinutes: 120, slowMinutes: 90 } },
      },
      batteryWear: { schoolDayHours: 6.5, ratedHours: 9, maxCycleCount: 800 },
    };
    const res = await call('PUT', '/api/v1/settings/charging', admin, changed);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(changed);
    expect((await call('GET', '/api/v1/settings/charging', reader)).json()).toEqual(changed);
    const [estimate] = await audited('charging.estimate_updated');
    expect(parseJson(estimate!.data)).toMatchObject({ from: { defaultPercent: 20 }, to: { defaultPercent: 30 } });
    const [wear] = await audited('charging.battery_wear_updated');
    expect(parseJson(wear!.data)).toMatchObject({ from: { maxCycleCount: 1000 }, to: { maxCycleCount: 800 } });

    expect((await call('PUT', '/api/v1/settings/charging', siteAdmin, changed)).statusCode).toBe(403);
    expect((await call('PUT', '/api/v1/settings/charging', reader, changed)).statusCode).toBe(403);
    const refused = [
      { ...changed, estimate: { ...changed.estimate, defaultPercent: 101 } },
      {
        ...changed,
        estimate: { ...changed.estimate, defaultCurve: { fastUntilPercent: 100, fastMinutes: 90, slowMinutes: 60 } },
      },
      { ...changed, batteryWear: { ...changed.batteryWear, schoolDayHours: 0 } },
      { ...changed, estimate: { ...changed.estimate, curves: { '': defaults.estimate.defaultCurve } } },
      { ...changed, extra: 1 },
      { estimate: changed.estimate },
    ];
    for (const body of refused) {
      const bad = await call('PUT', '/api/v1/settings/charging', admin, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    // Nothing refused was stored.
    expect((await call('GET', '/api/v1/settings/charging', reader)).json()).toEqual(changed);
  });

  it("the loan policy: anyone with fleet:read reads it, only policy:write replaces it, within core's limits", async () => {
    expect((await call('GET', '/api/v1/policy', reader)).json()).toEqual({
      maxActiveLoans: 2,
      minChargePercent: 50,
      chargeTimeLimitMinutes: 480,
      requireAgreement: false,
      collectAllDoorsAtOnce: false,
    });
    const policy = {
      maxActiveLoans: 1,
      minChargePercent: 70,
      chargeTimeLimitMinutes: 120,
      requireAgreement: true,
      collectAllDoorsAtOnce: true,
    };
    const res = await call('PUT', '/api/v1/policy', admin, policy);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(policy);
    expect((await call('GET', '/api/v1/policy', reader)).json()).toEqual(policy);
    const [event] = await audited('policy.updated');
    expect(parseJson(event!.data)).toMatchObject({ from: { maxActiveLoans: 2 }, to: policy });
    // Other district settings stay.
    const district = await server.cubby.db.selectFrom('districts').select('settings').executeTakeFirstOrThrow();
    expect(parseJson<Record<string, unknown>>(district.settings).loanPolicy).toEqual(policy);

    expect((await call('PUT', '/api/v1/policy', siteAdmin, policy)).statusCode).toBe(403);
    expect((await call('PUT', '/api/v1/policy', admin, { ...policy, maxActiveLoans: 11 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/v1/policy', admin, { maxActiveLoans: 1 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/v1/policy', admin, { ...policy, extra: 1 })).statusCode).toBe(400);
    expect((await call('PUT', '/api/v1/policy', admin, { ...policy, collectAllDoorsAtOnce: 'yes' })).statusCode).toBe(400);
    // A client that predates the setting leaves it at its default.
    const { collectAllDoorsAtOnce: _, ...older } = policy;
    expect((await call('PUT', '/api/v1/policy', admin, older)).json()).toEqual({ ...older, collectAllDoorsAtOnce: false });
  });
});
