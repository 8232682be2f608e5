import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * JSON bodies are validated as sent, query strings are coerced
 * (request-validation.ts). With Ajv's coercion on for bodies, a `null` sent
 * for a `Nullable(Integer)` or `Nullable(String)` field was stored as 0 or
 * "": a device's warranty end became 1 January 1970 and its campus "".
 */
describe.each(testDialects)('nulls and numbers in requests on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
  });
  afterAll(async () => s?.close());

  const call = (method: 'GET' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    s.server.app.inject({
      method,
      url,
      headers: admin.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const deviceRow = (id: string) =>
    s.server.cubby.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('null sent for a nullable integer and a nullable string is stored as null, not 0 or ""', async () => {
    const id = s.loaners[0]!.deviceId;
    await s.server.cubby.db
      .updateTable('devices')
      .set({ site_id: s.siteId, warranty_end: Date.UTC(2027, 5, 30) })
      .where('id', '=', id)
      .execute();
    const res = await call('PATCH', `/api/v1/devices/${id}`, { warrantyEnd: null, siteId: null });
    expect(res.statusCode).toBe(200);
    const row = await deviceRow(id);
    expect(row.warranty_end).toBeNull();
    expect(row.site_id).toBeNull();
    expect(res.json()).toMatchObject({ warrantyEnd: null, siteId: null });
    // And a value still goes in as sent.
    await call('PATCH', `/api/v1/devices/${id}`, { warrantyEnd: 1_800_000_000_000, siteId: s.siteId });
    expect(await deviceRow(id)).toMatchObject({ site_id: s.siteId });
    expect(Number((await deviceRow(id)).warranty_end)).toBe(1_800_000_000_000);
  });

  it('a number sent as text in a body is refused (a JSON body says its types), and changes nothing', async () => {
    const id = s.loaners[0]!.deviceId;
    const before = await deviceRow(id);
    const res = await call('PATCH', `/api/v1/devices/${id}`, { warrantyEnd: '1800000000000' });
    expect(res.statusCode).toBe(400);
    expect(await deviceRow(id)).toEqual(before);
    // A setting's null (off) is null too, not a refused 0.
    expect((await call('PUT', '/api/v1/retention', { eraseInactiveAfterYears: null })).json()).toEqual({
      eraseInactiveAfterYears: null,
    });
  });

  it('query strings and paths are still coerced: ?limit=1 is a number, a non-number a 400', async () => {
    const page = await call('GET', '/api/v1/devices?limit=1');
    expect(page.statusCode).toBe(200);
    expect(page.json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await call('GET', '/api/v1/devices?limit=abc')).statusCode).toBe(400);
  });
});
