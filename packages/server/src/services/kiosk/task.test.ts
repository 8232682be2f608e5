import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { anAssignedDevice, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';
import { aUser, signIn, type Browser } from '../../testing/users.js';

/**
 * Single-use tasks at the kiosk (docs/tasks.md): a technician loads a pick-up,
 * the person's badge opens exactly that door; a drop-off's empty door takes
 * the person's device, which a technician's collection then takes out. Any
 * other task id is refused and changes nothing.
 */

async function aNewDevice(s: StationScenario) {
  const { deviceId } = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
  await s.server.cubby.db.updateTable('devices').set({ owner_id: null }).where('id', '=', deviceId).execute();
  const device = await s.device(deviceId);
  return { deviceId, assetTag: device.asset_tag };
}

async function anAdmin(s: StationScenario): Promise<Browser> {
  return signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
}

async function createTask(s: StationScenario, admin: Browser, body: Record<string, unknown>) {
  const res = await s.server.app.inject({ method: 'POST', url: '/api/v1/tasks', headers: admin.headers, payload: body });
  if (res.statusCode !== 201) throw new Error(`task not created: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; state: string };
}

function task(s: StationScenario, id: string) {
  return s.server.cubby.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function aTechnician(s: StationScenario) {
  return aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId: s.siteId });
}

const signedIn = async (s: StationScenario, badge: string) => {
  const auth = await s.link.request({ type: 'auth', credential: { badge } });
  if (!auth.ok) throw new Error('sign-in refused');
  return auth.data as { session: string; task?: unknown; technician?: Record<string, unknown> };
};

describe.each(testDialects)('single-use tasks at the kiosk on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('a pick-up is loaded by a technician, then the student’s badge opens that door and the device becomes theirs', async () => {
    s = await aStationScenario(dialect);
    const admin = await anAdmin(s);
    const device = await aNewDevice(s);
    const created = await createTask(s, admin, {
      kind: 'pick_up',
      personId: s.student.personId,
      stationId: s.station.stationId,
      assetTag: device.assetTag,
    });
    expect(created).toMatchObject({ state: 'awaiting_load' });
    // Before it is loaded, the student sees nothing.
    expect((await signedIn(s, s.student.badge)).task).toBeUndefined();

    const tech = await aTechnician(s);
    const techIn = await signedIn(s, tech.badge);
    expect(techIn.technician).toMatchObject({ tasksToLoad: 1, readyToPlace: 0 });
    const load = await s.start(techIn.session, { kind: 'place_for_pickup', assetTag: device.assetTag });
    expect(load).toMatchObject({ compartment: 3, purpose: 'place_repaired' });
    await s.useDoor(3, true);
    expect(await s.transactionEnd(load.id)).toMatchObject({ status: 'completed' });
    const door = await s.compartment(3);
    expect(await task(s, created.id)).toMatchObject({ state: 'ready', compartment_id: door.id, ready_by: tech.personId });
    expect(await s.device(device.deviceId)).toMatchObject({ status: 'ready_for_pickup', owner_id: null });
    expect(door).toMatchObject({ status: 'loaded', device_id: device.deviceId });
    const ready = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['actor_id', 'data'])
      .where('action', '=', 'task.ready')
      .executeTakeFirstOrThrow();
    const data = typeof ready.data === 'string' ? JSON.parse(ready.data) : ready.data;
    expect(ready.actor_id).toBe(tech.personId);
    expect(data).toMatchObject({ notify: s.student.personId, compartment: 3 });

    const student = await signedIn(s, s.student.badge);
    expect(student.task).toEqual({ id: created.id, kind: 'pick_up', compartment: 3, assetTag: device.assetTag });
    const txn = await s.start(student.session, { kind: 'task', taskId: created.id });
    expect(txn).toMatchObject({ kind: 'task', compartment: 3, purpose: 'task_pick_up' });
    await s.useDoor(3, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await task(s, created.id)).toMatchObject({ state: 'done', done_by: s.student.personId });
    expect(await s.device(device.deviceId)).toMatchObject({
      status: 'in_service',
      owner_id: s.student.personId,
      pool: 'assigned',
    });
    expect(await s.compartment(3)).toMatchObject({ status: 'empty', device_id: null });
    expect((await s.auditActions()).filter((a) => a.startsWith('task.') || a === 'device.assigned')).toEqual([
      'task.created',
      'task.ready',
      'device.assigned',
      'task.done',
    ]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a drop-off opens an empty door for the student’s own device, and a technician’s collection takes it out', async () => {
    s = await aStationScenario(dialect);
    const admin = await anAdmin(s);
    const { deviceId } = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const created = await createTask(s, admin, {
      kind: 'drop_off',
      personId: s.student.personId,
      stationId: s.station.stationId,
    });
    expect(created).toMatchObject({ state: 'ready' });
    const student = await signedIn(s, s.student.badge);
    expect(student.task).toMatchObject({ id: created.id, kind: 'drop_off', compartment: null });
    const txn = await s.start(student.session, { kind: 'task', taskId: created.id });
    expect(txn).toMatchObject({ compartment: 3, purpose: 'task_drop_off' });
    await s.useDoor(3, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    const door = await s.compartment(3);
    expect(await task(s, created.id)).toMatchObject({ state: 'done', compartment_id: door.id });
    expect(await s.device(deviceId)).toMatchObject({ status: 'awaiting_collection' });
    expect(door).toMatchObject({ status: 'loaded', device_id: deviceId });
    // Done: the student's next sign-in shows no task.
    expect((await signedIn(s, s.student.badge)).task).toBeUndefined();

    const tech = await aTechnician(s);
    const techIn = await signedIn(s, tech.badge);
    expect(techIn.technician).toMatchObject({ awaitingCollection: 1 });
    const collect = await s.start(techIn.session, { kind: 'technician_collect' });
    expect(collect).toMatchObject({ compartment: 3, purpose: 'collect_flagged' });
    await s.useDoor(3, false);
    expect(await s.transactionEnd(collect.id)).toMatchObject({ status: 'completed', summary: { collected: 1 } });
    expect(await s.device(deviceId)).toMatchObject({ status: 'in_repair' });
    expect(await s.compartment(3)).toMatchObject({ status: 'empty', device_id: null });
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('another person’s task id, a forged one, and a task of another station are refused and change nothing', async () => {
    s = await aStationScenario(dialect);
    const admin = await anAdmin(s);
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const mine = await createTask(s, admin, { kind: 'drop_off', personId: s.student.personId, stationId: s.station.stationId });
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    await anAssignedDevice(s.server.cubby, s.districtId, other.personId);
    const cafeteria = await s.anotherStation();
    const elsewhere = await createTask(s, admin, {
      kind: 'drop_off',
      personId: other.personId,
      stationId: cafeteria.station.stationId,
    });

    const otherIn = await signedIn(s, other.badge);
    // The other student's task is at the cafeteria: invisible here.
    expect(otherIn.task).toBeUndefined();
    const before = await s.snapshot();
    for (const taskId of [mine.id, elsewhere.id, 'forged-0000', ''.padEnd(64, 'x')]) {
      const r = await s.act(otherIn.session, { kind: 'task', taskId });
      expect(r).toMatchObject({ ok: false, error: { code: 'nothing_to_collect' } });
    }
    expect(await s.snapshot()).toEqual(before);
    expect(await task(s, mine.id)).toMatchObject({ state: 'ready', compartment_id: null });
  });

  it('a pick-up door that jams is refused, the task stays ready; a drop-off door that jams falls over to another', async () => {
    s = await aStationScenario(dialect);
    const admin = await anAdmin(s);
    const device = await aNewDevice(s);
    const pickUp = await createTask(s, admin, {
      kind: 'pick_up',
      personId: s.student.personId,
      stationId: s.station.stationId,
      assetTag: device.assetTag,
    });
    const tech = await aTechnician(s);
    const load = await s.start((await signedIn(s, tech.badge)).session, { kind: 'place_for_pickup', assetTag: device.assetTag });
    await s.useDoor(3, true);
    await s.transactionEnd(load.id);

    const jam = async (compartment: number) => {
      const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === compartment);
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'lock_fault', compartment, commandId: unlock.commandId, detail: 'door did not open' },
      });
    };
    const txn = await s.start((await signedIn(s, s.student.badge)).session, { kind: 'task', taskId: pickUp.id });
    await jam(3);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed' });
    expect(await task(s, pickUp.id)).toMatchObject({ state: 'ready' });
    expect(await s.compartment(3)).toMatchObject({ status: 'out_of_service', device_id: device.deviceId });

    // A drop-off by another student: door 4 jams, door 5 takes the device.
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    const own = await anAssignedDevice(s.server.cubby, s.districtId, other.personId);
    const dropOff = await createTask(s, admin, { kind: 'drop_off', personId: other.personId, stationId: s.station.stationId });
    const drop = await s.start((await signedIn(s, other.badge)).session, { kind: 'task', taskId: dropOff.id });
    expect(drop).toMatchObject({ compartment: 4 });
    await jam(4);
    await s.useDoor(5, true);
    expect(await s.transactionEnd(drop.id)).toMatchObject({ status: 'completed' });
    const door = await s.compartment(5);
    expect(await task(s, dropOff.id)).toMatchObject({ state: 'done', compartment_id: door.id });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });
  });
});
