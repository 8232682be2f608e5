import { sealAuditChain } from '@cubby/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { anApiToken, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

const endpoints = ['sites', 'stations', 'compartments', 'devices', 'people', 'loans', 'repair-tickets', 'audit-events'] as const;

/** The table each endpoint lists, and the column that identifies a row. */
const sources: Record<
  (typeof endpoints)[number],
  {
    table: 'sites' | 'stations' | 'compartments' | 'devices' | 'people' | 'loans' | 'repair_tickets' | 'audit_events';
    key: 'id' | 'seq';
  }
> = {
  sites: { table: 'sites', key: 'id' },
  stations: { table: 'stations', key: 'id' },
  compartments: { table: 'compartments', key: 'id' },
  devices: { table: 'devices', key: 'id' },
  people: { table: 'people', key: 'id' },
  loans: { table: 'loans', key: 'id' },
  'repair-tickets': { table: 'repair_tickets', key: 'id' },
  'audit-events': { table: 'audit_events', key: 'seq' },
};

describe.each(testDialects)('the read API on %s', (dialect) => {
  let s: StationScenario;
  let token: string;
  let loanTransaction: string;

  // One district with a finished borrow, a second station and a few more people: read-only from here on.
  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80, 70] });
    loanTransaction = (await s.borrowed()).transactionId;
    await s.anotherStation('Gym');
    for (let i = 0; i < 6; i++) await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician' });
    token = await anApiToken(s.server.cubby);
  });
  afterAll(async () => s?.close());

  const get = (url: string, bearer: string | null = token) =>
    s.server.app.inject({ method: 'GET', url, headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } });

  /** Follows nextCursor from the first page to the last. */
  async function everyPage(path: string, limit: number) {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    return { items, pages };
  }

  function expectProblem(res: Awaited<ReturnType<typeof get>>, status: number, code: string) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: expect.any(String), title: expect.any(String), status, code });
  }

  it.each(endpoints)('/api/v1/%s refuses a request without valid credentials with 401 problem JSON', async (endpoint) => {
    expectProblem(await get(`/api/v1/${endpoint}`, null), 401, 'unauthenticated');
    expectProblem(await get(`/api/v1/${endpoint}`, 'cat_not-a-real-token'), 401, 'unauthenticated');
    // A percent-encoded path reaches the same route and must not skip the check.
    expectProblem(await get(`/%61pi/v1/${endpoint}`, null), 401, 'unauthenticated');
    expectProblem(
      await get(`/api/v1/${endpoint.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`)}`, null),
      401,
      'unauthenticated',
    );
    const res = await s.server.app.inject({
      method: 'GET',
      url: `/api/v1/${endpoint}`,
      headers: { authorization: `Basic ${token}` },
    });
    expectProblem(res, 401, 'unauthenticated');
  });

  it('a revoked API token is refused', async () => {
    const revoked = await anApiToken(s.server.cubby, 'old');
    expect((await get('/api/v1/sites', revoked)).statusCode).toBe(200);
    await s.server.cubby.db.updateTable('api_tokens').set({ revoked_at: Date.now() }).where('name', '=', 'old').execute();
    expectProblem(await get('/api/v1/sites', revoked), 401, 'unauthenticated');
  });

  it.each(endpoints)('/api/v1/%s pages with nextCursor to the end, every row once', async (endpoint) => {
    const { table, key } = sources[endpoint];
    await sealAuditChain(s.server.cubby); // the list shows sealed audit events only
    const rows = await s.server.cubby.db.selectFrom(table).select(key).execute();
    const limit = Math.max(1, Math.ceil(rows.length / 3));
    const { items, pages } = await everyPage(`/api/v1/${endpoint}`, limit);
    const seen = items.map((i) => String(i[key]));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(rows.map((r) => String((r as Record<string, unknown>)[key])).sort());
    if (rows.length > limit) expect(pages).toBeGreaterThan(1);
    // One big page says there is no next one.
    const all = (await get(`/api/v1/${endpoint}?limit=500`)).json<Page>();
    expect(all).toMatchObject({ nextCursor: null });
    expect(all.items).toHaveLength(rows.length);
  });

  it('audit events come newest first', async () => {
    const { items } = await everyPage('/api/v1/audit-events', 4);
    const seqs = items.map((i) => i.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  it('audit events within a time range page by time, every event of the range once', async () => {
    await sealAuditChain(s.server.cubby);
    const rows = await s.server.cubby.db.selectFrom('audit_events').select(['seq', 'at']).where('seq', 'is not', null).execute();
    const ats = rows.map((r) => Number(r.at)).sort((a, b) => a - b);
    const from = ats[Math.floor(ats.length / 3)]!;
    const byTime = rows
      .filter((r) => Number(r.at) >= from)
      .sort((a, b) => Number(a.at) - Number(b.at) || Number(a.seq) - Number(b.seq))
      .map((r) => Number(r.seq));
    const { items, pages } = await everyPage(`/api/v1/audit-events?from=${from}&order=asc`, 3);
    expect(items.map((i) => i.seq)).toEqual(byTime);
    expect(pages).toBeGreaterThan(1);
    const newestFirst = await everyPage(`/api/v1/audit-events?from=${from}&to=${ats.at(-1)! + 1}`, 3);
    expect(newestFirst.items.map((i) => i.seq)).toEqual([...byTime].reverse());
  });

  it('filters narrow each list', async () => {
    const list = async (url: string) => (await everyPage(url, 2)).items;
    const otherStation = (
      await s.server.cubby.db.selectFrom('stations').select('id').where('name', '=', 'Gym').executeTakeFirstOrThrow()
    ).id;

    expect(await list(`/api/v1/sites?districtId=${s.districtId}`)).toMatchObject([{ id: s.siteId }]);
    expect(await list('/api/v1/sites?districtId=nope')).toEqual([]);
    expect((await list(`/api/v1/stations?siteId=${s.siteId}`)).map((x) => x.name).sort()).toEqual(['Gym', 'Library']);
    expect(await list(`/api/v1/stations?siteId=${s.siteId}`)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Library', connected: true })]),
    );

    const loaded = await list(`/api/v1/compartments?stationId=${s.station.stationId}&status=loaded`);
    expect(loaded).toHaveLength(2);
    expect(
      loaded.every((c) => c.stationId === s.station.stationId && c.status === 'loaded' && typeof c.assetTag === 'string'),
    ).toBe(true);
    expect(await list(`/api/v1/compartments?stationId=${otherStation}`)).toHaveLength(4);

    expect((await list('/api/v1/devices?status=available&pool=loaner')).map((d) => d.id).sort()).toEqual(
      [s.loaners[1]!.deviceId, s.loaners[2]!.deviceId].sort(),
    );
    expect(await list('/api/v1/devices?status=on_loan')).toMatchObject([{ id: s.loaners[0]!.deviceId }]);
    expect(await list(`/api/v1/devices?assetTag=${s.loaners[2]!.assetTag}`)).toMatchObject([{ id: s.loaners[2]!.deviceId }]);
    expect(await list('/api/v1/devices?pool=assigned')).toEqual([]);

    expect(await list('/api/v1/people?role=technician')).toMatchObject([{ role: 'technician' }]);
    expect(await list('/api/v1/people?role=student')).toHaveLength(7);
    expect(await list(`/api/v1/people?studentNumber=${s.student.studentNumber}`)).toMatchObject([
      { id: s.student.personId, active: true },
    ]);

    expect(await list('/api/v1/loans?status=active')).toMatchObject([
      { personId: s.student.personId, transactionId: loanTransaction },
    ]);
    expect(await list('/api/v1/loans?status=returned')).toEqual([]);
    expect(await list(`/api/v1/loans?personId=${s.student.personId}&stationId=${s.station.stationId}`)).toHaveLength(1);
    expect(await list(`/api/v1/loans?stationId=${otherStation}`)).toEqual([]);
    expect(await list(`/api/v1/loans?deviceId=${s.loaners[0]!.deviceId}`)).toHaveLength(1);

    expect(await list('/api/v1/audit-events?action=loan.started')).toMatchObject([
      { action: 'loan.started', transactionId: loanTransaction },
    ]);
    const ofTransaction = await list(`/api/v1/audit-events?transactionId=${loanTransaction}`);
    expect(ofTransaction.length).toBeGreaterThan(2);
    expect(ofTransaction.every((e) => e.transactionId === loanTransaction)).toBe(true);
    expect((await list(`/api/v1/audit-events?stationId=${otherStation}&entityType=station`)).map((e) => e.action)).toEqual([
      'station.connected',
    ]);
  });

  it('people never carry badge or PIN data', async () => {
    const { items } = await everyPage('/api/v1/people', 500);
    expect(items.length).toBeGreaterThan(0);
    for (const person of items) {
      expect(person).not.toHaveProperty('badge_hash');
      expect(person).not.toHaveProperty('pin_hash');
      expect(person).not.toHaveProperty('badgeHash');
      expect(person).not.toHaveProperty('pinHash');
    }
    const raw = (await get('/api/v1/people?limit=500')).body;
    expect(raw).not.toMatch(/argon2|badge|pin_hash/i);
  });

  it.each([
    ['limit=0', '/api/v1/devices?limit=0'],
    ['limit=10000', '/api/v1/devices?limit=10000'],
    ['a limit that is not a number', '/api/v1/loans?limit=ten'],
    ['an unknown status', '/api/v1/loans?status=stolen'],
    ['an unknown compartment status', '/api/v1/compartments?status=haunted'],
    ['an unknown filter', '/api/v1/people?password=1'],
    ['an audit cursor that is not a sequence number', '/api/v1/audit-events?cursor=abc'],
    ['a sequence-number cursor within a time range', '/api/v1/audit-events?from=0&cursor=12'],
    ['a time-range cursor without a range', '/api/v1/audit-events?cursor=1700000000000-12'],
    ['an oversized cursor', `/api/v1/sites?cursor=${'x'.repeat(201)}`],
    ['a cursor this list did not give out', '/api/v1/devices?cursor=bm90LWpzb24'],
    ['an unknown sort column', '/api/v1/devices?sort=owner_id'],
    ['an unknown order', '/api/v1/devices?order=sideways'],
    ['an unknown format', '/api/v1/devices?format=xlsx'],
    ['an empty search', '/api/v1/devices?q='],
    ['an audit sort other than seq', '/api/v1/audit-events?sort=at'],
  ])('a bad query (%s) is refused with 400 problem JSON', async (_what, url) => {
    expectProblem(await get(url), 400, 'bad_request');
  });

  it('an unknown route is 404 problem JSON', async () => {
    expectProblem(await get('/api/v1/lockers'), 404, 'not_found');
    expectProblem(await get('/no-such-page', null), 404, 'not_found');
  });

  it('/healthz and /readyz answer without a token', async () => {
    const health = await get('/healthz', null);
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz', null);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('/openapi.json is an OpenAPI 3.1 document listing every /api/v1 path', async () => {
    const res = await get('/openapi.json', null);
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, { get?: { security?: unknown; responses?: Record<string, unknown> } }>;
    }>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const apiPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/'));
    // Other route files add their own paths; every list is there.
    expect(apiPaths).toEqual(expect.arrayContaining(endpoints.map((e) => `/api/v1/${e}`)));
    for (const path of endpoints.map((e) => `/api/v1/${e}`)) {
      expect(doc.paths[path]!.get?.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(doc.paths[path]!.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403']));
    }
    // Internal routes stay out of the document.
    expect(Object.keys(doc.paths)).not.toContain('/station/link');
  });

  it('/docs serves the interactive API docs', async () => {
    const res = await fetch(`${s.server.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/swagger-ui/i);
    const init = await fetch(`${s.server.url}/docs/static/swagger-initializer.js`);
    expect(init.status).toBe(200);
  });
});
