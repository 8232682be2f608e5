import { newId, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aLoaner, anApiToken, aRepairReadyForPickup, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { csvCell } from './csv.js';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

describe('csv cells', () => {
  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['plain, with comma', '"plain, with comma"'],
    [null, ''],
    [42, '42'],
    [-5, '-5'],
  ])('%j is written as %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe.each(testDialects)('the dashboard lists on %s', (dialect) => {
  let s: StationScenario;
  let siteB: string;
  let stationB: string;
  let loanerB: { deviceId: string; assetTag: string };
  let ticketB: string;
  let personB: string;
  const tokens: Record<'district' | 'siteA' | 'siteANames' | 'siteB' | 'fleetOnly', string> = {} as never;

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80, 70] });
    await s.borrowed();
    const cubby = s.server.cubby;
    siteB = await aSite(cubby, s.districtId, { name: 'Oak Middle' });
    const b = await aStation(cubby, siteB, { name: 'Oak Library', compartments: 4 });
    stationB = b.stationId;
    loanerB = await aLoaner(cubby, s.districtId, b.compartments[0]!.id, { charge: 60 });
    personB = (await aStudent(cubby, s.server.services.keys, s.districtId, { siteId: siteB, givenName: 'Zelda' })).personId;
    ticketB = (await aRepairReadyForPickup(cubby, s.districtId, personB, b.compartments[1]!.id)).ticketId;
    await aStudent(cubby, s.server.services.keys, s.districtId, { siteId: s.siteId, givenName: 'Amelia' });
    await cubby.db.updateTable('people').set({ site_id: s.siteId }).where('id', '=', s.student.personId).execute();
    // A model a spreadsheet would run as a formula.
    await cubby.db
      .updateTable('devices')
      .set({ model: '=HYPERLINK("http://evil")' })
      .where('id', '=', loanerB.deviceId)
      .execute();
    tokens.district = await anApiToken(cubby, 'district', { scopes: ['fleet:read', 'people:read', 'audit:read'] });
    tokens.fleetOnly = await anApiToken(cubby, 'fleet', { scopes: ['fleet:read', 'audit:read'] });
    tokens.siteA = await anApiToken(cubby, 'a', { scopes: ['fleet:read', 'audit:read'], siteIds: [s.siteId] });
    tokens.siteANames = await anApiToken(cubby, 'a-names', { scopes: ['fleet:read', 'people:read'], siteIds: [s.siteId] });
    tokens.siteB = await anApiToken(cubby, 'b', { scopes: ['fleet:read', 'people:read', 'audit:read'], siteIds: [siteB] });
    await sealAuditChain(cubby);
  });
  afterAll(async () => s?.close());

  const get = (url: string, token = tokens.district, headers: Record<string, string> = {}) =>
    s.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
  const items = async (url: string, token = tokens.district) => {
    const res = await get(url, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>().items;
  };
  async function everyPage(path: string, limit: number, token = tokens.district) {
    const out: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  it('q searches devices by asset tag, serial or model, ignoring case; % and _ match only themselves', async () => {
    const tag = s.loaners[1]!.assetTag;
    expect((await items(`/api/v1/devices?q=${tag.toLowerCase()}`)).map((d) => d.id)).toEqual([s.loaners[1]!.deviceId]);
    expect((await items('/api/v1/devices?q=hyperlink')).map((d) => d.id)).toEqual([loanerB.deviceId]);
    expect(await items('/api/v1/devices?q=%25')).toEqual([]);
    expect(await items('/api/v1/devices?q=LN_')).toEqual([]);
  });

  it.each([
    ['devices', 'assetTag'],
    ['devices', 'batteryPercent'],
    ['devices', 'model'],
    ['people', 'familyName'],
    ['loans', 'dueAt'],
    ['stations', 'name'],
  ])('/api/v1/%s sorted by %s pages in that order, every row once, both ways', async (list, column) => {
    for (const order of ['asc', 'desc'] as const) {
      const rows = await everyPage(`/api/v1/${list}?sort=${column}&order=${order}`, 2);
      const all = await items(`/api/v1/${list}?limit=500`);
      expect(rows.map((r) => r.id).sort()).toEqual(all.map((r) => r.id).sort());
      const values = rows.map((r) => r[column] as string | number);
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (typeof values[0] === 'number') expect(values).toEqual(order === 'asc' ? sorted : sorted.reverse());
      else expect(values.map((v) => String(v).toLowerCase()).length).toBe(rows.length);
    }
  });

  it('a campus-limited caller sees only its campus in every list', async () => {
    const a = tokens.siteA;
    expect((await items('/api/v1/sites', a)).map((x) => x.id)).toEqual([s.siteId]);
    expect((await items('/api/v1/stations', a)).map((x) => x.id)).toEqual([s.station.stationId]);
    const compartments = await items('/api/v1/compartments?limit=500', a);
    expect(compartments).toHaveLength(8);
    expect(compartments.every((c) => c.stationId === s.station.stationId)).toBe(true);
    // The loaners in its compartments and the one out on a loan taken there; not campus B's.
    expect((await items('/api/v1/devices', a)).map((d) => d.id).sort()).toEqual(s.loaners.map((l) => l.deviceId).sort());
    expect((await items('/api/v1/loans', a)).map((l) => l.stationId)).toEqual([s.station.stationId]);
    expect(await items('/api/v1/repair-tickets', a)).toEqual([]);
    const events = await everyPage('/api/v1/audit-events', 50, a);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.stationId === s.station.stationId)).toBe(true);
    expect((await items('/api/v1/people?limit=500', tokens.siteANames)).map((p) => p.givenName).sort()).toEqual([
      'Amelia',
      expect.any(String),
    ]);

    const b = tokens.siteB;
    expect((await items('/api/v1/devices', b)).map((d) => d.id).sort()).toEqual([loanerB.deviceId, expect.any(String)].sort());
    expect((await items('/api/v1/repair-tickets', b)).map((t) => t.id)).toEqual([ticketB]);
    expect(await items('/api/v1/loans', b)).toEqual([]);
    expect((await items('/api/v1/people', b)).map((p) => p.id)).toEqual([personB]);
    // Filtering by another campus finds nothing rather than widening the scope.
    expect(await items(`/api/v1/stations?siteId=${siteB}`, a)).toEqual([]);
    expect(await items(`/api/v1/devices?stationId=${stationB}`, a)).toEqual([]);
  });

  it('loans: active, overdue and history views, names only with people:read', async () => {
    const [loan] = await items('/api/v1/loans?status=active');
    expect(loan).toMatchObject({
      personId: s.student.personId,
      personName: expect.stringMatching(/Test$/),
      overdue: false,
      assetTag: s.loaners[0]!.assetTag,
      siteId: s.siteId,
    });
    expect(await items('/api/v1/loans?status=overdue')).toEqual([]);
    expect(await items('/api/v1/loans?status=history')).toEqual([]);
    const [unnamed] = await items('/api/v1/loans', tokens.fleetOnly);
    expect(unnamed).toMatchObject({ personName: null });
    // A name search without people:read finds nothing (it would tell who has a loan).
    expect(await items('/api/v1/loans?q=Test', tokens.fleetOnly)).toEqual([]);
    expect(await items('/api/v1/loans?q=Test')).toHaveLength(1);
    expect(await items(`/api/v1/loans?q=${s.loaners[0]!.assetTag}`, tokens.fleetOnly)).toHaveLength(1);

    // Asset tag (any part, any case), student number and name, each finding the one loan once.
    const student = await s.server.cubby.db
      .selectFrom('people')
      .select(['student_number', 'given_name'])
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    for (const q of [s.loaners[0]!.assetTag.slice(2).toLowerCase(), student.student_number!, `${student.given_name} Te`]) {
      expect(
        (await items(`/api/v1/loans?q=${encodeURIComponent(q)}`)).map((l) => l.id),
        q,
      ).toEqual([loan!.id]);
    }
    expect(await items(`/api/v1/loans?q=${student.student_number}`, tokens.fleetOnly)).toEqual([]);
    expect(await items(`/api/v1/loans?q=${s.loaners[1]!.assetTag}`)).toEqual([]);
    expect(await items('/api/v1/loans?q=Zelda')).toEqual([]);
    expect(await items(`/api/v1/loans?q=${s.loaners[0]!.assetTag}`, tokens.siteB)).toEqual([]);

    await s.server.cubby.db
      .updateTable('loans')
      .set({ due_at: Date.now() - 60_000 })
      .where('id', '=', loan!.id as string)
      .execute();
    expect(await items('/api/v1/loans?status=overdue')).toMatchObject([{ id: loan!.id, overdue: true }]);
    expect(await items('/api/v1/loans?status=active')).toHaveLength(1);
  });

  it('repair tickets filter by status and campus and search by asset tag', async () => {
    const { assetTag } = await s.server.cubby.db
      .selectFrom('repair_tickets')
      .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
      .select('devices.asset_tag as assetTag')
      .where('repair_tickets.id', '=', ticketB)
      .executeTakeFirstOrThrow();
    expect(await items('/api/v1/repair-tickets?status=ready_for_pickup')).toMatchObject([
      { id: ticketB, personName: 'Zelda Test', stationId: stationB, compartmentNumber: 2, warrantyClaim: false },
    ]);
    expect(await items('/api/v1/repair-tickets?status=open')).toHaveLength(1);
    expect(await items('/api/v1/repair-tickets?status=closed')).toEqual([]);
    expect(await items(`/api/v1/repair-tickets?siteId=${siteB}`)).toHaveLength(1);
    expect(await items(`/api/v1/repair-tickets?siteId=${s.siteId}`)).toEqual([]);
    expect(await items(`/api/v1/repair-tickets?q=${assetTag}`)).toHaveLength(1);
    await s.server.cubby.db
      .updateTable('repair_tickets')
      .set({ notes: 'Cracked HINGE, left side' })
      .where('id', '=', ticketB)
      .execute();
    await s.server.cubby.db.updateTable('devices').set({ serial: 'SER-778899' }).where('asset_tag', '=', assetTag).execute();
    for (const q of [assetTag.toLowerCase(), '778899', 'hinge', 'zelda t']) {
      expect(
        (await items(`/api/v1/repair-tickets?q=${encodeURIComponent(q)}`)).map((t) => t.id),
        q,
      ).toEqual([ticketB]);
    }
    // A name search without people:read finds nothing.
    expect(await items('/api/v1/repair-tickets?q=zelda', tokens.fleetOnly)).toEqual([]);
    expect(await items('/api/v1/repair-tickets?q=hinge', tokens.siteA)).toEqual([]);
    expect(await items('/api/v1/repair-tickets', tokens.fleetOnly)).toMatchObject([{ personName: null }]);
  });

  it('format=csv streams every matching row with a header, escaping formulas', async () => {
    const first = (await get('/api/v1/devices?limit=1')).json<Page>();
    const res = await get(`/api/v1/devices?format=csv&limit=1&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="devices-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]!.split(',')).toEqual(expect.arrayContaining(['Device ID', 'Asset tag', 'Model', 'Status', 'Campus']));
    expect(lines).toHaveLength(1 + 5); // not one page: every device
    // Station names for ids, and times as local ISO 8601 with the campus's offset, not epoch milliseconds.
    const header = lines[0]!.split(',');
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(['Library', 'Oak Library', '']).toContain(cells[header.indexOf('Station')]);
      expect(cells[header.indexOf('Updated')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[56]:00$/);
    }
    expect(res.body).toContain(',Oak Library,');
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const viaAccept = await get('/api/v1/stations', tokens.siteA, { accept: 'text/csv' });
    expect(viaAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(viaAccept.body.trim().split('\r\n')).toHaveLength(2);
    const scoped = await get('/api/v1/devices?format=csv', tokens.siteA);
    expect(scoped.body.trim().split('\r\n')).toHaveLength(1 + 3);
    const empty = await get('/api/v1/repair-tickets?format=csv&status=closed');
    expect(empty.body.trim().split('\r\n')).toHaveLength(1);
  });

  it('a CSV export reads past one internal page (over 1,000 rows)', async () => {
    const now = Date.now();
    const rows = Array.from({ length: 1205 }, (_, i) => ({
      id: newId(),
      district_id: s.districtId,
      site_id: siteB,
      asset_tag: `BULK-${String(i).padStart(5, '0')}`,
      serial: null,
      model: 'Chromebook 14',
      pool: 'assigned' as const,
      owner_id: null,
      status: 'in_service' as const,
      condition: 'good',
      battery_percent: 50,
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: null,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await s.server.cubby.db
        .insertInto('devices')
        .values(rows.slice(i, i + 200))
        .execute();
    const res = await get('/api/v1/devices?format=csv&q=bulk-&sort=assetTag&order=desc');
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 1205);
    expect(lines[1]).toContain('BULK-01204');
    expect(new Set(lines).size).toBe(lines.length);
    await s.server.cubby.db.deleteFrom('devices').where('asset_tag', 'like', 'BULK-%').execute();
  });

  it('people need people:read, the audit log audit:read', async () => {
    expect((await get('/api/v1/people', tokens.siteA)).statusCode).toBe(403);
    expect((await get('/api/v1/audit-events', tokens.siteANames)).statusCode).toBe(403);
  });
});
