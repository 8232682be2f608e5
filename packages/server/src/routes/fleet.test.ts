import type { CubbyEvent } from '@cubby/core';
import { parseJson, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridLayout } from '../services/station-grid.js';
import { aLoaner, anApiToken, aSite, aStation } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';
import { hashToken, newToken } from '../secrets.js';

describe('the default grid layout', () => {
  it.each([
    [8, null, null, 3, 3],
    [16, null, null, 4, 4],
    [30, null, null, 6, 5],
    [1, null, null, 1, 1],
    [8, 2, 4, 2, 4],
    [10, 2, 4, 2, 5], // a door beyond the configured grid adds a row
  ])('%i doors (configured %s × %s) sit in %i columns and %i rows', (n, cols, rows, columns, expectedRows) => {
    const layout = gridLayout(n, cols, rows);
    expect({ columns: layout.columns, rows: layout.rows }).toEqual({ columns, rows: expectedRows });
    expect(layout.place(n)).toEqual({ row: Math.floor((n - 1) / columns) + 1, column: ((n - 1) % columns) + 1 });
  });
});

describe.each(testDialects)('the fleet API on %s', (dialect) => {
  let s: StationScenario;
  let siteB: string;
  let stationB: { stationId: string; compartments: { id: string; number: number }[] };
  let operator: string;
  let reader: string;
  let readerB: string;
  let names: string;
  let borrowedDoor: number;
  const events: CubbyEvent[] = [];

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80, 70] });
    borrowedDoor = (await s.borrowed()).compartment;
    const cubby = s.server.cubby;
    siteB = await aSite(cubby, s.districtId, { name: 'Oak Middle' });
    stationB = await aStation(cubby, siteB, { name: 'Oak Library', compartments: 4 });
    await aLoaner(cubby, s.districtId, stationB.compartments[0]!.id);
    // Station B is offline, one door out of service, one alert open, three journal entries still to replay.
    await cubby.db
      .updateTable('compartments')
      .set({ status: 'out_of_service' })
      .where('id', '=', stationB.compartments[3]!.id)
      .execute();
    await cubby.db
      .insertInto('alerts')
      .values({
        id: 'alert-1',
        kind: 'door_left_open',
        station_id: stationB.stationId,
        compartment_id: stationB.compartments[3]!.id,
        detail: '{}',
        raised_at: Date.now(),
        cleared_at: null,
      })
      .execute();
    await cubby.db
      .updateTable('stations')
      .set({ journal_seq: 5, last_seen_at: 1_700_000_000_000 })
      .where('id', '=', stationB.stationId)
      .execute();
    for (const seq of [1, 2]) {
      await cubby.db
        .insertInto('journal_entries_applied')
        .values({
          station_id: stationB.stationId,
          key: `k${seq}`,
          seq,
          kind: 'borrow',
          decision: 'applied',
          note: null,
          happened_at: 1,
          applied_at: 2,
        })
        .execute();
    }
    operator = await anApiToken(cubby, 'operator', { scopes: ['fleet:read', 'station:operate'], siteIds: [s.siteId] });
    reader = await anApiToken(cubby, 'reader', { scopes: ['fleet:read'] });
    readerB = await anApiToken(cubby, 'reader-b', { scopes: ['fleet:read', 'station:operate'], siteIds: [siteB] });
    names = await anApiToken(cubby, 'names', { scopes: ['fleet:read', 'people:read'] });
    s.server.services.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => s?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    s.server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('the overview counts each station, campus and the district in a few queries', async () => {
    const res = await call('GET', '/api/v1/overview', reader);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    const campusA = o.campuses.find((c: { id: string }) => c.id === s.siteId);
    const campusB = o.campuses.find((c: { id: string }) => c.id === siteB);
    expect(campusA.stations).toHaveLength(1);
    expect(campusA.stations[0]).toMatchObject({
      id: s.station.stationId,
      name: 'Library',
      connected: true,
      backlog: 0,
      lastSeenAt: expect.any(Number),
    });
    expect(campusA.totals).toEqual({
      compartments: 8,
      loaded: 2,
      empty: 6,
      outOfService: 0,
      loanersAvailable: 2,
      loanersCharging: 0,
      devicesOut: 1,
      overdue: 0,
      flaggedForRepair: 0,
      openAlerts: 0,
      stationsOnline: 1,
      stationsOffline: 0,
    });
    expect(campusB).toMatchObject({ name: 'Oak Middle', timeZone: 'America/Chicago' });
    expect(campusB.stations[0]).toMatchObject({ connected: false, backlog: 3, lastSeenAt: 1_700_000_000_000 });
    expect(campusB.totals).toEqual({
      compartments: 4,
      loaded: 1,
      empty: 2,
      outOfService: 1,
      loanersAvailable: 1,
      loanersCharging: 0,
      devicesOut: 0,
      overdue: 0,
      flaggedForRepair: 0,
      openAlerts: 1,
      stationsOnline: 0,
      stationsOffline: 1,
    });
    expect(o.totals).toMatchObject({
      compartments: 12,
      loanersAvailable: 3,
      stationsOnline: 1,
      stationsOffline: 1,
      openAlerts: 1,
    });
  });

  it('an overdue loan and a flagged device are counted', async () => {
    const db = s.server.cubby.db;
    await db
      .updateTable('loans')
      .set({ due_at: Date.now() - 1000 })
      .execute();
    const flagged = await db
      .selectFrom('compartments')
      .select('device_id')
      .where('station_id', '=', s.station.stationId)
      .where('status', '=', 'loaded')
      .executeTakeFirstOrThrow();
    await db.updateTable('devices').set({ status: 'awaiting_collection' }).where('id', '=', flagged.device_id!).execute();
    const campusA = (await call('GET', '/api/v1/overview', reader))
      .json()
      .campuses.find((c: { id: string }) => c.id === s.siteId);
    expect(campusA.totals).toMatchObject({ overdue: 1, devicesOut: 1, flaggedForRepair: 1, loanersAvailable: 1 });
    await db.updateTable('devices').set({ status: 'available' }).where('id', '=', flagged.device_id!).execute();
  });

  it("a campus-limited caller's overview has only its campus", async () => {
    const o = (await call('GET', '/api/v1/overview', readerB)).json();
    expect(o.campuses.map((c: { id: string }) => c.id)).toEqual([siteB]);
    expect(o.totals).toMatchObject({ compartments: 4, stationsOffline: 1, stationsOnline: 0 });
  });

  it('the grid places each door and says what is behind it; holders only with people:read', async () => {
    const res = await call('GET', `/api/v1/stations/${s.station.stationId}/grid`, names);
    expect(res.statusCode, res.body).toBe(200);
    const grid = res.json();
    expect(grid).toMatchObject({
      columns: 3,
      rows: 3,
      station: { id: s.station.stationId, siteId: s.siteId, siteName: 'Maple Valley High', connected: true, backlog: 0 },
    });
    expect(grid.compartments).toHaveLength(8);
    expect(grid.compartments[4]).toMatchObject({ number: 5, row: 2, column: 2 });
    const loaded = grid.compartments.find((c: { status: string }) => c.status === 'loaded');
    expect(loaded).toMatchObject({
      device: {
        assetTag: expect.stringMatching(/^LN-/),
        pool: 'loaner',
        status: 'available',
        batteryPercent: expect.any(Number),
      },
      hasCharger: true,
      holder: null,
      alert: null,
    });
    const taken = grid.compartments.find((c: { number: number }) => c.number === borrowedDoor);
    expect(taken).toMatchObject({
      status: 'empty',
      device: null,
      holder: { personId: s.student.personId, name: expect.stringMatching(/Test$/), dueAt: expect.any(Number) },
    });

    const anonymous = (await call('GET', `/api/v1/stations/${s.station.stationId}/grid`, reader)).json();
    expect(anonymous.compartments.every((c: { holder: unknown }) => c.holder === null)).toBe(true);

    const b = (await call('GET', `/api/v1/stations/${stationB.stationId}/grid`, reader)).json();
    expect(b).toMatchObject({ columns: 2, rows: 2, station: { connected: false, backlog: 3 } });
    expect(b.compartments[3]).toMatchObject({ status: 'out_of_service', alert: 'door_left_open' });
  });

  it('a configured grid is used as it is', async () => {
    await s.server.cubby.db
      .updateTable('stations')
      .set({ grid_columns: 2, grid_rows: 4 })
      .where('id', '=', s.station.stationId)
      .execute();
    const grid = (await call('GET', `/api/v1/stations/${s.station.stationId}/grid`, reader)).json();
    expect(grid).toMatchObject({ columns: 2, rows: 4 });
    expect(grid.compartments[7]).toMatchObject({ number: 8, row: 4, column: 2 });
  });

  it('a station at another campus, or none, is 404', async () => {
    expect((await call('GET', `/api/v1/stations/${s.station.stationId}/grid`, readerB)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/stations/nope/grid', reader)).json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('a remote open sends the unlock to the station, audits who and why, and announces the compartment', async () => {
    events.length = 0;
    const res = await call('POST', `/api/v1/stations/${s.station.stationId}/compartments/3/open`, operator, {
      reason: 'stuck charger cable',
    });
    expect(res.statusCode, res.body).toBe(202);
    const { commandId } = res.json();
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 3);
    expect(unlock).toMatchObject({ commandId, transactionId: null, purpose: 'remote_open' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'compartment.changed', stationId: s.station.stationId, number: 3 }),
    );
    s.link.openAndClose(unlock, true);
    await s.link.ping();
    await sealAuditChain(s.server.cubby);
    const door3 = await s.compartment(3);
    const audit = await s.server.cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', door3.id)
      .where('action', 'in', ['compartment.remote_open', 'compartment.door_opened'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['compartment.remote_open', 'compartment.door_opened']);
    expect(audit[0]).toMatchObject({ actor_type: 'user', station_id: s.station.stationId });
    expect(parseJson(audit[0]!.data)).toMatchObject({
      number: 3,
      reason: 'stuck charger cable',
      commandId,
      by: { kind: 'token', name: 'operator' },
    });
    expect((await s.compartment(3)).status).toBe('loaded');
  });

  it('a remote open is refused with 409 when the station is offline or the door is mid-transaction', async () => {
    const offline = await call('POST', `/api/v1/stations/${stationB.stationId}/compartments/1/open`, readerB, {
      reason: 'restock',
    });
    expect(offline.statusCode).toBe(409);
    expect(offline.json()).toMatchObject({ code: 'conflict', reason: 'station_offline' });

    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'return' });
    const busy = await call('POST', `/api/v1/stations/${s.station.stationId}/compartments/${txn.compartment}/open`, operator, {
      reason: 'check door',
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'conflict', reason: 'mid_transaction' });
    const busyService = await call(
      'PUT',
      `/api/v1/compartments/${(await s.compartment(txn.compartment!)).id}/service`,
      operator,
      { outOfService: true, reason: 'broken hinge' },
    );
    expect(busyService.statusCode).toBe(409);
    await s.useDoor(txn.compartment!, true);
    await s.transactionEnd(txn.id);
  });

  it("a remote open needs station:operate, a reason, a door that exists and a station in the caller's campuses", async () => {
    const url = `/api/v1/stations/${s.station.stationId}/compartments/2/open`;
    expect((await call('POST', url, reader, { reason: 'look inside' })).statusCode).toBe(403);
    expect((await call('POST', url, operator, { reason: 'no' })).json()).toMatchObject({ status: 400, code: 'bad_request' });
    expect((await call('POST', url, operator, {})).statusCode).toBe(400);
    expect(
      (await call('POST', `/api/v1/stations/${s.station.stationId}/compartments/99/open`, operator, { reason: 'look inside' }))
        .statusCode,
    ).toBe(404);
    expect((await call('POST', url, readerB, { reason: 'look inside' })).statusCode).toBe(404);
  });

  it('out of service and back goes through the compartment state machine, audited and announced', async () => {
    const c = await s.compartment(6);
    events.length = 0;
    const off = await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, {
      outOfService: true,
      reason: 'door sensor broken',
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id: c.id, number: 6, status: 'out_of_service', stationId: s.station.stationId });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'compartment.changed', compartmentId: c.id, status: 'out_of_service' }),
    );
    // Already out of service: nothing changes.
    expect(
      (await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, { outOfService: true, reason: 'again' })).statusCode,
    ).toBe(200);
    const on = await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, {
      outOfService: false,
      reason: 'sensor replaced',
    });
    expect(on.json()).toMatchObject({ status: 'empty' });
    await sealAuditChain(s.server.cubby);
    const audit = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['action', 'data', 'actor_id'])
      .where('entity_id', '=', c.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['compartment.taken_out_of_service', 'compartment.returned_to_service']);
    expect(parseJson(audit[1]!.data)).toMatchObject({ reason: 'sensor replaced', from: 'out_of_service', to: 'empty' });
    // Something the sensor sees but nobody recorded keeps the locker out of service.
    await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, { outOfService: true, reason: 'door sensor broken' });
    await s.server.cubby.db.updateTable('compartments').set({ presence: 1 }).where('id', '=', c.id).execute();
    const refused = await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, { outOfService: false, reason: 'fixed' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', reason: 'contents_unknown' });
    expect((await s.compartment(6)).status).toBe('out_of_service');
    await s.server.cubby.db.updateTable('compartments').set({ presence: 0 }).where('id', '=', c.id).execute();
    await call('PUT', `/api/v1/compartments/${c.id}/service`, operator, { outOfService: false, reason: 'emptied' });
    expect(
      (await call('PUT', `/api/v1/compartments/${c.id}/service`, readerB, { outOfService: true, reason: 'not mine' })).statusCode,
    ).toBe(404);
    expect(
      (await call('PUT', `/api/v1/compartments/${c.id}/service`, reader, { outOfService: true, reason: 'no permission' }))
        .statusCode,
    ).toBe(403);
  });

  it('the journal sequence a station reports at hello is its backlog until the entries are applied', async () => {
    const b = await s.server.cubby.db
      .selectFrom('stations')
      .select('id')
      .where('id', '=', stationB.stationId)
      .executeTakeFirstOrThrow();
    const token = await anApiToken(s.server.cubby, 'b-stations', { scopes: ['fleet:read'], siteIds: [siteB] });
    const stationToken = newToken('cst');
    await s.server.cubby.db
      .updateTable('stations')
      .set({ token_hash: hashToken(stationToken) })
      .where('id', '=', b.id)
      .execute();
    const link = await StationDouble.connect(s.server.url, stationToken);
    link.send({ type: 'hello', agentVersion: 'test', compartments: [], journalSeq: 7 });
    await link.next((m) => m.type === 'welcome');
    const [listed] = (await call('GET', '/api/v1/stations', token)).json().items;
    expect(listed).toMatchObject({ id: b.id, connected: true, backlog: 5 }); // 7 reported, 2 applied
    link.close();
  });
});
