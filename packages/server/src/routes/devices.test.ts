import { sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import type { Device, DeviceProfile, DeviceTimeline } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, aSite, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * The device page's API (docs/dashboard-api.md "Devices"): one device with
 * its battery and where the reading came from, its timeline from the audit
 * trail, adding and editing by hand, and making it a student's own, which
 * the kiosk's swap then takes. Refusals carry their reason.
 */
describe.each(testDialects)('device routes on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let siteAdmin: Browser;
  let otherSiteAdmin: Browser;
  let technician: Browser;
  let auditor: Browser;
  let northId: string;
  let foreignDeviceId: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    const db = s.server.cubby.db;
    await db
      .updateTable('people')
      .set({ site_id: s.siteId, given_name: 'Tomás', family_name: 'Reyes' })
      .where('id', '=', s.student.personId)
      .execute();
    await db.updateTable('devices').set({ site_id: s.siteId }).execute();
    northId = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
    siteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [s.siteId] }));
    otherSiteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [northId] }));
    technician = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId] }));
    auditor = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'auditor' }));
    const other = await aDistrict(s.server.cubby, { name: 'Elsewhere ISD' });
    await s.server.cubby.db
      .insertInto('devices')
      .values({
        id: '01900000-0000-7000-8000-00000000f0f0',
        district_id: other.districtId,
        site_id: other.siteId,
        asset_tag: 'ELSEWHERE-1',
        serial: null,
        model: 'Chromebook',
        pool: 'loaner',
        owner_id: null,
        status: 'in_service',
        condition: 'good',
        battery_percent: 50,
        loan_count: 0,
        last_loaned_at: null,
        warranty_end: null,
        created_at: Date.now(),
        updated_at: Date.now(),
      })
      .execute();
    foreignDeviceId = '01900000-0000-7000-8000-00000000f0f0';
  });
  afterAll(async () => s?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, who: Browser, payload?: unknown) =>
    s.server.app.inject({ method, url, headers: who.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  let tagCounter = 0;
  const newDevice = (over: Record<string, unknown> = {}) => ({
    assetTag: `CB-NEW-${++tagCounter}`,
    serial: `SN${tagCounter}`,
    model: 'Acer Chromebook 311',
    pool: 'assigned',
    siteId: s.siteId,
    condition: 'good',
    warrantyEnd: Date.UTC(2027, 5, 30),
    ...over,
  });

  it('shows a loaner in its locker with its measured battery, and its borrow and return on its timeline', async () => {
    const loaner = s.loaners[0]!;
    const first = await call('GET', `/api/v1/devices/${loaner.deviceId}`, technician);
    expect(first.statusCode).toBe(200);
    const profile = first.json<DeviceProfile>();
    expect(profile.device).toMatchObject({ assetTag: loaner.assetTag, stationId: s.station.stationId, compartmentNumber: 1 });
    expect(profile).toMatchObject({ stationName: 'Library', timeZone: 'America/Chicago', ownerName: null });
    expect(profile.battery).toMatchObject({ percent: 90, source: 'reported' });
    expect(profile.battery.measuredAt).toEqual(expect.any(Number));

    await s.borrowed();
    const session = await s.signIn();
    const ret = await s.start(session, { kind: 'return' });
    await s.useDoor(ret.compartment!, true);
    await s.transactionEnd(ret.id);
    await sealAuditChain(s.server.cubby);
    const timeline = (await call('GET', `/api/v1/devices/${loaner.deviceId}/timeline`, auditor)).json<DeviceTimeline>();
    const actions = timeline.items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'loan.claimed',
        'loan.started',
        'loan.returned',
        'transaction.borrow_started',
        'transaction.return_started',
        'compartment.door_closed',
      ]),
    );
    expect(timeline.items.map((e) => e.seq)).toEqual([...timeline.items.map((e) => e.seq)].sort((a, b) => b - a));
    const started = timeline.items.find((e) => e.action === 'loan.started')!;
    expect(started.names).toMatchObject({ actor: 'Tomás Reyes', device: loaner.assetTag, station: 'Library' });
    // The other loaner's events are not on this one's timeline.
    const other = (await call('GET', `/api/v1/devices/${s.loaners[1]!.deviceId}/timeline`, auditor)).json<DeviceTimeline>();
    expect(other.items.map((e) => e.action)).not.toContain('loan.started');
    // A technician sees the timeline without names of students.
    const asTech = (await call('GET', `/api/v1/devices/${loaner.deviceId}/timeline?limit=2`, technician)).json<DeviceTimeline>();
    expect(asTech.items).toHaveLength(2);
    expect(asTech.nextCursor).toEqual(expect.any(String));
    expect(asTech.items.every((e) => e.names.actor !== 'Tomás Reyes')).toBe(true);
    const next = (
      await call('GET', `/api/v1/devices/${loaner.deviceId}/timeline?limit=2&cursor=${asTech.nextCursor}`, technician)
    ).json<DeviceTimeline>();
    expect(next.items[0]!.seq).toBeLessThan(asTech.items[1]!.seq);
  });

  it('answers 404 for a device of another district or another campus, 400 for a bad cursor', async () => {
    expect((await call('GET', `/api/v1/devices/${foreignDeviceId}`, admin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/devices/${foreignDeviceId}/timeline`, admin)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/devices/${foreignDeviceId}`, admin, { condition: 'cracked' })).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/devices/${s.loaners[0]!.deviceId}`, otherSiteAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/devices/${s.loaners[0]!.deviceId}/timeline?cursor=1;drop`, admin)).statusCode).toBe(400);
  });

  it('adds and edits a device, refusing a taken asset tag, bad input and a campus that is not the caller’s', async () => {
    const res = await call('POST', '/api/v1/devices', technician, newDevice({ assetTag: 'CB-9001' }));
    expect(res.statusCode).toBe(201);
    const device = res.json<Device>();
    expect(device).toMatchObject({ assetTag: 'CB-9001', status: 'in_service', pool: 'assigned', ownerId: null });
    const taken = await call('POST', '/api/v1/devices', admin, newDevice({ assetTag: 'CB-9001' }));
    expect(taken.json()).toMatchObject({ status: 409, reason: 'asset_tag_taken' });
    expect((await call('POST', '/api/v1/devices', admin, newDevice({ pool: 'borrowed' }))).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/devices', admin, newDevice({ warrantyEnd: 'soon' }))).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/devices', technician, newDevice({ siteId: northId }))).json()).toMatchObject({
      reason: 'unknown_campus',
    });
    expect((await call('POST', '/api/v1/devices', technician, newDevice({ siteId: null }))).json()).toMatchObject({
      reason: 'campus_required',
    });
    expect((await call('POST', '/api/v1/devices', auditor, newDevice())).statusCode).toBe(403);

    const edited = await call('PATCH', `/api/v1/devices/${device.id}`, technician, {
      condition: 'cracked hinge',
      serial: 'NXHQ1',
    });
    expect(edited.json<Device>()).toMatchObject({ condition: 'cracked hinge', serial: 'NXHQ1' });
    const stocked = await call('PATCH', `/api/v1/devices/${s.loaners[1]!.deviceId}`, admin, { pool: 'assigned' });
    expect(stocked.json()).toMatchObject({ status: 409, reason: 'in_use' });
    await sealAuditChain(s.server.cubby);
    const timeline = (await call('GET', `/api/v1/devices/${device.id}/timeline`, siteAdmin)).json<DeviceTimeline>();
    expect(timeline.items.map((e) => e.action)).toEqual(['device.updated', 'device.created']);
  });

  it('assigns a device to a student, which the kiosk’s swap then takes; unassigns it', async () => {
    const device = (await call('POST', '/api/v1/devices', admin, newDevice())).json<Device>();
    const assigned = await call('PUT', `/api/v1/devices/${device.id}/owner`, siteAdmin, { personId: s.student.personId });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json<Device>()).toMatchObject({ ownerId: s.student.personId, pool: 'assigned' });
    const profile = (await call('GET', `/api/v1/devices/${device.id}`, siteAdmin)).json<DeviceProfile>();
    expect(profile.ownerName).toBe('Tomás Reyes');

    // The kiosk knows it as theirs: the menu offers a swap, and the swap's ticket is for this device.
    const signedIn = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(signedIn).toMatchObject({ ok: true, data: { choices: { swap: { allowed: true } } } });

    const second = (await call('POST', '/api/v1/devices', admin, newDevice())).json<Device>();
    const refusedSecond = await call('PUT', `/api/v1/devices/${second.id}/owner`, siteAdmin, { personId: s.student.personId });
    expect(refusedSecond.json()).toMatchObject({ status: 409, reason: 'has_device' });
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const taken = await call('PUT', `/api/v1/devices/${device.id}/owner`, siteAdmin, { personId: other.personId });
    expect(taken.json()).toMatchObject({ status: 409, reason: 'owned_by_other' });
    const inLocker = await call('PUT', `/api/v1/devices/${s.loaners[1]!.deviceId}/owner`, siteAdmin, {
      personId: other.personId,
    });
    expect(inLocker.json()).toMatchObject({ status: 409, reason: 'in_locker' });
    const outside = await call('PUT', `/api/v1/devices/${second.id}/owner`, otherSiteAdmin, { personId: other.personId });
    expect(outside.statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/devices/${second.id}/owner`, technician, { personId: other.personId })).statusCode).toBe(
      403,
    );

    const session = await s.signIn();
    const swap = await s.start(session, { kind: 'swap', symptom: 'screen' });
    await s.useDoor(swap.compartment!, true);
    // The broken device is in: the loaner's door is next.
    const loanerDoor = await s.link.next((m) => m.type === 'unlock');
    s.link.openAndClose(loanerDoor, false);
    expect((await s.transactionEnd(swap.id)).status).toBe('completed');
    const ticket = await s.server.cubby.db
      .selectFrom('repair_tickets')
      .select('device_id')
      .orderBy('reported_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(ticket.device_id).toBe(device.id);

    const unassign = await call('DELETE', `/api/v1/devices/${second.id}/owner`, siteAdmin);
    expect(unassign.json<Device>().ownerId).toBeNull();
    await sealAuditChain(s.server.cubby);
    const timeline = (await call('GET', `/api/v1/devices/${device.id}/timeline`, admin)).json<DeviceTimeline>();
    const assignedEvent = timeline.items.find((e) => e.action === 'device.assigned')!;
    expect(assignedEvent.names).toMatchObject({ subject: 'Tomás Reyes', device: device.assetTag });
    expect(timeline.items.map((e) => e.action)).toContain('repair.created');
  });

  it('refuses to assign a loaner that is out on loan', async () => {
    const borrower = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const session = await s.signIn({ badge: borrower.badge });
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' });
    await s.useDoor(txn.compartment!, false);
    await s.transactionEnd(txn.id);
    const [loan] = await s.server.cubby.db
      .selectFrom('loans')
      .select('device_id')
      .where('person_id', '=', borrower.personId)
      .execute();
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const res = await call('PUT', `/api/v1/devices/${loan!.device_id}/owner`, admin, { personId: other.personId });
    expect(res.json()).toMatchObject({ status: 409, code: 'conflict', reason: 'on_loan' });
  });
});
