import { sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import type { Device, DeviceTimeline } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSite, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * The device lifecycle outside the locker (issue 14): wipe, retire, lost,
 * found, and the device list's bulk actions. Each step goes through core's
 * machine and is audited with its actor and its method or reason; refusals
 * are 409 problems with their reason, and a bulk action is all or nothing.
 */
describe.each(testDialects)('device lifecycle routes on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let siteAdmin: Browser;
  let otherSiteAdmin: Browser;
  let technician: Browser;
  let auditor: Browser;
  let northId: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80, 70] });
    await s.server.cubby.db.updateTable('devices').set({ site_id: s.siteId }).execute();
    northId = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
    siteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [s.siteId] }));
    otherSiteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [northId] }));
    technician = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId] }));
    auditor = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'auditor' }));
  });
  afterAll(async () => s?.close());

  const call = (url: string, who: Browser, payload: unknown = {}) =>
    s.server.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object });
  let tagCounter = 0;
  const aDevice = async () => {
    const res = await call('/api/v1/devices', admin, {
      assetTag: `CB-LC-${++tagCounter}`,
      serial: null,
      model: 'Acer Chromebook 311',
      pool: 'assigned',
      siteId: s.siteId,
      condition: 'good',
      warrantyEnd: null,
    });
    expect(res.statusCode).toBe(201);
    return res.json<Device>().id;
  };
  const loanOf = (deviceId: string) =>
    s.server.cubby.db
      .selectFrom('loans')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  const statusOf = async (id: string) =>
    (await s.server.cubby.db.selectFrom('devices').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const timeline = async (id: string) => {
    await sealAuditChain(s.server.cubby);
    return (
      await s.server.app.inject({ method: 'GET', url: `/api/v1/devices/${id}/timeline`, headers: auditor.headers })
    ).json<DeviceTimeline>().items;
  };

  it('records a wipe with its method and who did it, on the device timeline', async () => {
    const id = await aDevice();
    const res = await call(`/api/v1/devices/${id}/wipe`, technician, { method: 'powerwash', note: 'before reissue' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Device>().status).toBe('in_service');
    const wiped = (await timeline(id)).find((e) => e.action === 'device.wiped')!;
    expect(wiped.data).toMatchObject({ method: 'powerwash', note: 'before reissue', from: 'in_service', to: 'in_service' });
    expect(wiped.data.by).toMatchObject({ kind: 'user' });
    expect(wiped.actorId).toEqual(expect.any(String));
  });

  it('retires with a reason and certificate; a retired device takes no further step', async () => {
    const id = await aDevice();
    const res = await call(`/api/v1/devices/${id}/retire`, siteAdmin, { reason: 'recycled', certificateRef: 'ECO-2026-114' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Device>().status).toBe('retired');
    const retired = (await timeline(id)).find((e) => e.action === 'device.retired')!;
    expect(retired.data).toMatchObject({ reason: 'recycled', certificateRef: 'ECO-2026-114', from: 'in_service' });
    const again = await call(`/api/v1/devices/${id}/wipe`, siteAdmin, { method: 'powerwash' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ code: 'invalid_transition', state: 'retired', event: 'wipe' });
  });

  it('marks a device lost and found (into repair); found twice is refused', async () => {
    const id = await aDevice();
    expect((await call(`/api/v1/devices/${id}/lost`, technician)).json<Device>().status).toBe('lost');
    expect((await call(`/api/v1/devices/${id}/found`, technician, { note: 'in the gym' })).json<Device>().status).toBe(
      'in_repair',
    );
    const twice = await call(`/api/v1/devices/${id}/found`, technician);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'invalid_transition' });
    const actions = (await timeline(id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['device.marked_lost', 'device.found']));
  });

  it('refuses a loaner in its locker, and one on loan unless it is retired as lost or stolen', async () => {
    const inLocker = s.loaners[1]!.deviceId;
    const locked = await call(`/api/v1/devices/${inLocker}/retire`, admin, { reason: 'end_of_life' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json()).toMatchObject({ code: 'invalid_transition', reason: 'in_locker' });
    await s.borrowed();
    const statuses = await Promise.all(s.loaners.map((l) => statusOf(l.deviceId)));
    const lentId = s.loaners[statuses.indexOf('on_loan')]!.deviceId;
    expect(await statusOf(lentId)).toBe('on_loan');
    const sold = await call(`/api/v1/devices/${lentId}/retire`, admin, { reason: 'sold' });
    expect(sold.statusCode).toBe(409);
    expect(sold.json()).toMatchObject({ reason: 'on_loan' });
    const wipe = await call(`/api/v1/devices/${lentId}/wipe`, admin, { method: 'remote_wipe' });
    expect(wipe.statusCode).toBe(409);
    expect(await statusOf(lentId)).toBe('on_loan');
    const stolen = await call(`/api/v1/devices/${lentId}/retire`, admin, { reason: 'stolen', certificateRef: 'POLICE-77' });
    expect(stolen.statusCode).toBe(200);
    expect(await statusOf(lentId)).toBe('retired');
    // The student no longer holds it on time: the loan is declared lost, on the record.
    expect(await loanOf(lentId)).toMatchObject({ status: 'lost', ended_at: null });
    expect((await timeline(lentId)).find((e) => e.action === 'device.retired')?.data.loanId).toEqual(expect.any(String));
  });

  it('a loaner marked lost on loan takes its loan with it; found, the lost loan ends and the device is in repair', async () => {
    await s.borrowed();
    const statuses = await Promise.all(s.loaners.map((l) => statusOf(l.deviceId)));
    const lentId = s.loaners[statuses.indexOf('on_loan')]!.deviceId;
    const loanId = (await loanOf(lentId))!.id;
    expect((await call(`/api/v1/devices/${lentId}/lost`, technician)).json<Device>().status).toBe('lost');
    expect(await loanOf(lentId)).toMatchObject({ id: loanId, status: 'lost', ended_at: null });
    expect((await call(`/api/v1/devices/${lentId}/found`, technician)).json<Device>().status).toBe('in_repair');
    expect(await loanOf(lentId)).toMatchObject({ id: loanId, status: 'returned', ended_at: expect.any(Number) });
    const actions = (await timeline(lentId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['device.marked_lost', 'device.found']));
  });

  it('reassigns only once wiped since the last holder: to another student, a staff member, or the loaner pool', async () => {
    const put = (id: string, personId: string) =>
      s.server.app.inject({ method: 'PUT', url: `/api/v1/devices/${id}/owner`, headers: admin.headers, payload: { personId } });
    const unassign = (id: string) =>
      s.server.app.inject({ method: 'DELETE', url: `/api/v1/devices/${id}/owner`, headers: admin.headers });
    const toPool = (id: string, pool: string) =>
      s.server.app.inject({ method: 'PATCH', url: `/api/v1/devices/${id}`, headers: admin.headers, payload: { pool } });
    const keys = s.server.services.keys;
    const senior = await aStudent(s.server.cubby, keys, s.districtId, { siteId: s.siteId });
    const freshman = await aStudent(s.server.cubby, keys, s.districtId, { siteId: s.siteId });
    const teacher = await aStudent(s.server.cubby, keys, s.districtId, { siteId: s.siteId, role: 'staff' });
    const id = await aDevice();
    // New from the vendor, nobody has held it: no wipe needed.
    expect((await put(id, senior.personId)).statusCode).toBe(200);
    expect((await unassign(id)).statusCode).toBe(200);
    const before = await s.server.cubby.db.selectFrom('devices').selectAll().execute();
    const refused = await put(id, freshman.personId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ reason: 'wipe_required' });
    const notALoaner = await toPool(id, 'loaner');
    expect(notALoaner.statusCode).toBe(409);
    expect(notALoaner.json()).toMatchObject({ reason: 'wipe_required' });
    expect(await s.server.cubby.db.selectFrom('devices').selectAll().execute()).toEqual(before);

    expect((await call(`/api/v1/devices/${id}/wipe`, technician, { method: 'powerwash' })).statusCode).toBe(200);
    expect((await put(id, teacher.personId)).json<Device>().ownerId).toBe(teacher.personId);
    expect((await unassign(id)).statusCode).toBe(200);
    // The teacher held it since the wipe: wiped again before the loaner pool takes it.
    expect((await toPool(id, 'loaner')).json()).toMatchObject({ reason: 'wipe_required' });
    expect((await call(`/api/v1/devices/${id}/wipe`, technician, { method: 'reimage' })).statusCode).toBe(200);
    expect((await toPool(id, 'loaner')).json<Device>().pool).toBe('loaner');
  });

  it('refuses the auditor, a campus that is not the caller’s, and a bad reason', async () => {
    const id = await aDevice();
    expect((await call(`/api/v1/devices/${id}/lost`, auditor)).statusCode).toBe(403);
    expect((await call(`/api/v1/devices/${id}/lost`, otherSiteAdmin)).statusCode).toBe(404);
    expect((await call(`/api/v1/devices/${id}/retire`, admin, { reason: 'misplaced' })).statusCode).toBe(400);
    expect((await call(`/api/v1/devices/${id}/wipe`, admin, {})).statusCode).toBe(400);
    expect(
      (await call('/api/v1/devices/bulk', auditor, { deviceIds: [id], action: { type: 'wipe', method: 'powerwash' } }))
        .statusCode,
    ).toBe(403);
    expect(await statusOf(id)).toBe('in_service');
  });

  it('a bulk action is all or nothing, listing each device that cannot', async () => {
    const a = await aDevice();
    const b = await aDevice();
    const statuses = await Promise.all(s.loaners.map((l) => statusOf(l.deviceId)));
    const inLocker = s.loaners[statuses.indexOf('available')]!.deviceId;
    const refused = await call('/api/v1/devices/bulk', admin, {
      deviceIds: [a, inLocker, b, '01900000-0000-7000-8000-0000000000aa'],
      action: { type: 'retire', reason: 'end_of_life' },
    });
    expect(refused.statusCode).toBe(409);
    const problem = refused.json<{ reason: string; errors: { deviceId: string; code: string; reason: string | null }[] }>();
    expect(problem.reason).toBe('bulk_refused');
    expect(problem.errors).toEqual([
      expect.objectContaining({ deviceId: inLocker, code: 'invalid_transition', reason: 'in_locker' }),
      expect.objectContaining({ deviceId: '01900000-0000-7000-8000-0000000000aa', code: 'not_found' }),
    ]);
    expect([await statusOf(a), await statusOf(b)]).toEqual(['in_service', 'in_service']);

    const wiped = await call('/api/v1/devices/bulk', technician, {
      deviceIds: [a, b],
      action: { type: 'wipe', method: 'reimage' },
    });
    expect(wiped.statusCode).toBe(200);
    expect((await timeline(b)).find((e) => e.action === 'device.wiped')?.data).toMatchObject({ method: 'reimage' });

    // A campus admin moves devices only to their own campuses.
    const elsewhere = await call('/api/v1/devices/bulk', siteAdmin, {
      deviceIds: [a],
      action: { type: 'move_campus', siteId: northId },
    });
    expect(elsewhere.statusCode).toBe(400);
    const moved = await call('/api/v1/devices/bulk', admin, {
      deviceIds: [a, b],
      action: { type: 'move_campus', siteId: northId },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<{ items: Device[] }>().items.map((d) => d.siteId)).toEqual([northId, northId]);
    expect((await timeline(a)).find((e) => e.action === 'device.campus_moved')?.data).toMatchObject({ toSiteId: northId });

    const retired = await call('/api/v1/devices/bulk', admin, {
      deviceIds: [a, b],
      action: { type: 'retire', reason: 'donated', certificateRef: 'GIFT-9' },
    });
    expect(retired.statusCode).toBe(200);
    expect(retired.json<{ items: Device[] }>().items.map((d) => d.status)).toEqual(['retired', 'retired']);
  });
});
