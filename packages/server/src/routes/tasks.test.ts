import { snapshotTables, testDialects } from '@cubby/db/testing';
import type { Task } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAssignedDevice, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * The single-use task routes (docs/dashboard-api.md "Tasks"): create, list by
 * state and place, cancel. Refusals (another campus, a loaner, an unknown
 * person, a done task, bad input) answer problem JSON and change nothing.
 */
describe.each(testDialects)('task routes on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let technician: Browser;
  let northTechnician: Browser;
  let auditor: Browser;
  let northStationId: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    await s.server.cubby.db.updateTable('people').set({ site_id: s.siteId, given_name: 'Tomás', family_name: 'Reyes' }).execute();
    await s.server.cubby.db.updateTable('devices').set({ site_id: s.siteId }).execute();
    const northId = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    northStationId = (await aStation(s.server.cubby, northId, { name: 'North Library', compartments: 2 })).stationId;
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin', name: 'Dana District' }));
    technician = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId] }));
    northTechnician = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [northId] }));
    auditor = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'auditor' }));
  });
  afterAll(async () => s?.close());

  const post = (url: string, who: Browser, payload: unknown = {}) =>
    s.server.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
  const get = (url: string, who: Browser) => s.server.app.inject({ method: 'GET', url, headers: who.headers });
  const aNewDevice = async () => {
    const owner = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const { deviceId } = await anAssignedDevice(s.server.cubby, s.districtId, owner.personId);
    await s.server.cubby.db
      .updateTable('devices')
      .set({ owner_id: null, site_id: s.siteId })
      .where('id', '=', deviceId)
      .execute();
    return (await s.device(deviceId)).asset_tag;
  };
  const refusedUnchanged = async (who: Browser, payload: unknown, status: number, url = '/api/v1/tasks') => {
    const before = await snapshotTables(s.server.cubby);
    const res = await post(url, who, payload);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await snapshotTables(s.server.cubby)).toEqual(before);
    return res.json() as { code?: string; reason?: string; status: number };
  };

  it('a campus technician creates a pick-up at their station; it is listed open with who and what', async () => {
    const assetTag = await aNewDevice();
    const res = await post('/api/v1/tasks', technician, {
      kind: 'pick_up',
      personId: s.student.personId,
      stationId: s.station.stationId,
      assetTag,
      note: 'New 1:1 device',
    });
    expect(res.statusCode).toBe(201);
    const task = res.json() as Task;
    expect(task).toMatchObject({ kind: 'pick_up', state: 'awaiting_load', assetTag, compartment: null, note: 'New 1:1 device' });
    // A technician has no people:read: no names.
    expect(task.personName).toBeNull();
    const listed = (await get('/api/v1/tasks?state=open', admin)).json() as { items: Task[] };
    expect(listed.items.find((t) => t.id === task.id)).toMatchObject({
      personName: 'Tomás Reyes',
      stationName: task.stationName,
    });
    expect(((await get('/api/v1/tasks?state=done', admin)).json() as { items: Task[] }).items).toEqual([]);
    // Of another campus, nothing shows.
    expect(((await get('/api/v1/tasks', northTechnician)).json() as { items: Task[] }).items).toEqual([]);
  });

  it('refuses another campus’s station, a loaner, an unknown person, a device with an open task, and bad input, changing nothing', async () => {
    const assetTag = await aNewDevice();
    const base = { kind: 'pick_up', personId: s.student.personId, stationId: s.station.stationId, assetTag };
    expect(await refusedUnchanged(northTechnician, base, 400)).toMatchObject({ reason: 'unknown_station' });
    expect(await refusedUnchanged(technician, { ...base, stationId: northStationId }, 400)).toMatchObject({
      reason: 'unknown_station',
    });
    expect(await refusedUnchanged(technician, { ...base, assetTag: s.loaners[0]!.assetTag }, 409)).toMatchObject({
      reason: 'loaner',
    });
    expect(await refusedUnchanged(technician, { ...base, personId: 'no-such-person' }, 404)).toMatchObject({
      code: 'not_found',
    });
    expect(await refusedUnchanged(technician, { ...base, assetTag: undefined }, 400)).toMatchObject({
      reason: 'asset_tag_required',
    });
    expect(await refusedUnchanged(technician, { ...base, kind: 'teleport' }, 400)).toMatchObject({ status: 400 });
    expect(await refusedUnchanged(technician, { ...base, extra: 1 }, 400)).toMatchObject({ status: 400 });
    // The auditor changes nothing.
    expect(await refusedUnchanged(auditor, base, 403)).toMatchObject({ status: 403 });
    // A device already promised by an open task.
    expect((await post('/api/v1/tasks', technician, base)).statusCode).toBe(201);
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    expect(await refusedUnchanged(technician, { ...base, personId: other.personId }, 409)).toMatchObject({
      reason: 'open_task',
    });
  });

  it('a device on loan is refused for a pick-up, and a person with no device of their own for a drop-off', async () => {
    await s.borrowed();
    const [loan] = await s.loans();
    const device = await s.device(loan!.device_id);
    const base = { kind: 'pick_up', personId: s.student.personId, stationId: s.station.stationId, assetTag: device.asset_tag };
    expect(await refusedUnchanged(technician, base, 409)).toMatchObject({ reason: 'loaner' });
    // The loaner, moved into the assigned pool while still on loan (a data fix gone wrong), is refused as on loan.
    await s.server.cubby.db.updateTable('devices').set({ pool: 'assigned' }).where('id', '=', device.id).execute();
    expect(await refusedUnchanged(technician, base, 409)).toMatchObject({ reason: 'on_loan' });
    await s.server.cubby.db.updateTable('devices').set({ pool: 'loaner' }).where('id', '=', device.id).execute();
    const nobody = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    expect(
      await refusedUnchanged(technician, { kind: 'drop_off', personId: nobody.personId, stationId: s.station.stationId }, 409),
    ).toMatchObject({ reason: 'no_device' });
  });

  it('cancels an open task once; a cancelled or done task cannot be cancelled', async () => {
    const owner = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    await anAssignedDevice(s.server.cubby, s.districtId, owner.personId);
    const created = (
      await post('/api/v1/tasks', admin, {
        kind: 'drop_off',
        personId: owner.personId,
        stationId: s.station.stationId,
      })
    ).json() as Task;
    expect(created).toMatchObject({ state: 'ready' });
    expect(await refusedUnchanged(northTechnician, {}, 404, `/api/v1/tasks/${created.id}/cancel`)).toMatchObject({
      code: 'not_found',
    });
    const cancelled = await post(`/api/v1/tasks/${created.id}/cancel`, technician);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled' });
    expect(await refusedUnchanged(technician, {}, 409, `/api/v1/tasks/${created.id}/cancel`)).toMatchObject({
      code: 'invalid_transition',
    });
    await s.server.cubby.db.updateTable('tasks').set({ state: 'done' }).where('id', '=', created.id).execute();
    expect(await refusedUnchanged(technician, {}, 409, `/api/v1/tasks/${created.id}/cancel`)).toMatchObject({
      code: 'invalid_transition',
    });
    expect(((await get('/api/v1/tasks?state=cancelled', admin)).json() as { items: Task[] }).items).toEqual([]);
    expect(((await get('/api/v1/tasks?state=done', admin)).json() as { items: Task[] }).items.map((t) => t.id)).toContain(
      created.id,
    );
  });

  it('cancelling a loaded pick-up leaves its device behind its door for a technician’s collection', async () => {
    const assetTag = await aNewDevice();
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const created = (
      await post('/api/v1/tasks', admin, {
        kind: 'pick_up',
        personId: other.personId,
        stationId: s.station.stationId,
        assetTag,
      })
    ).json() as Task;
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId: s.siteId });
    const load = await s.start(await s.signIn({ badge: tech.badge }), { kind: 'place_for_pickup', assetTag });
    await s.useDoor(load.compartment!, true);
    await s.transactionEnd(load.id);
    const res = await post(`/api/v1/tasks/${created.id}/cancel`, admin);
    expect(res.json()).toMatchObject({ state: 'cancelled', compartment: load.compartment });
    expect(await s.device(created.deviceId!)).toMatchObject({ status: 'awaiting_collection', owner_id: null });
    expect(await s.compartment(load.compartment!)).toMatchObject({ status: 'loaded', device_id: created.deviceId });
  });
});
