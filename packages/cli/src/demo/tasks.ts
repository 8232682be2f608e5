import {
  appendSealedAuditEvents,
  insertDevices,
  insertTask,
  moveDevice,
  newId,
  setDeviceOwner,
  stockCompartment,
  type AuditBody,
  type CubbyDb,
} from '@cubby/db';

/**
 * Two single-use tasks (docs/tasks.md), so a newcomer sees the feature at
 * once: a pick-up already loaded by the campus technician (a new Chromebook
 * replacing one handed in at the IT office), waiting behind a door for its
 * student, and a drop-off (a leaving student's device) whose door opens when
 * that student badges in. Both are for banner students, at their campus's
 * first station.
 */
export interface DemoTasksInput {
  /** The pick-up's station, where its technician loaded it. */
  stationId: string;
  technicianId: string;
  /** The dashboard user who set them up (the demo's IT director). */
  createdBy: string;
  pickUp: { personId: string; oldDeviceId: string; siteId: string };
  dropOff: { personId: string; deviceId: string; stationId: string };
  now: number;
}

const hour = 3_600_000;

export async function writeDemoTasks(cubby: CubbyDb, input: DemoTasksInput): Promise<{ pickUpDoor: number }> {
  const { now } = input;
  // The old device was handed in at the IT office; the new one is nobody's until the student takes it.
  await setDeviceOwner(cubby.db, { id: input.pickUp.oldDeviceId, from: input.pickUp.personId, to: null, pool: 'assigned', now });
  const deviceId = newId();
  await insertDevices(cubby.db, [
    {
      id: deviceId,
      district_id: (
        await cubby.db
          .selectFrom('devices')
          .select('district_id')
          .where('id', '=', input.pickUp.oldDeviceId)
          .executeTakeFirstOrThrow()
      ).district_id,
      site_id: input.pickUp.siteId,
      asset_tag: 'CB-NEW-0001',
      serial: null,
      model: 'Dell Chromebook 3110',
      pool: 'assigned',
      owner_id: null,
      status: 'in_service',
      condition: 'new',
      battery_percent: 100,
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: now + 3 * 365 * 24 * hour,
      created_at: now - 4 * hour,
      updated_at: now - 4 * hour,
    },
  ]);
  // The highest free door of the station.
  const door = await cubby.db
    .selectFrom('compartments')
    .select(['id', 'number'])
    .where('station_id', '=', input.stationId)
    .where('status', '=', 'empty')
    .where('device_id', 'is', null)
    .orderBy('number', 'desc')
    .executeTakeFirstOrThrow();
  const readyAt = now - hour;
  await moveDevice(cubby.db, { id: deviceId, from: 'in_service', event: { type: 'loaded_for_task' }, now: readyAt });
  await stockCompartment(cubby.db, input.stationId, door.number, deviceId, readyAt, { onCharger: true });
  const pickUpId = newId();
  const dropOffId = newId();
  const base = {
    district_id: (await cubby.db.selectFrom('devices').select('district_id').where('id', '=', deviceId).executeTakeFirstOrThrow())
      .district_id,
    station_id: input.stationId,
    created_by: input.createdBy,
    done_at: null,
    done_by: null,
    cancelled_at: null,
    cancelled_by: null,
  };
  await insertTask(cubby.db, {
    ...base,
    id: pickUpId,
    kind: 'pick_up',
    person_id: input.pickUp.personId,
    device_id: deviceId,
    compartment_id: door.id,
    state: 'ready',
    note: 'Replacement 1:1 Chromebook',
    created_at: now - 3 * hour,
    ready_at: readyAt,
    ready_by: input.technicianId,
  });
  await insertTask(cubby.db, {
    ...base,
    station_id: input.dropOff.stationId,
    id: dropOffId,
    kind: 'drop_off',
    person_id: input.dropOff.personId,
    device_id: input.dropOff.deviceId,
    compartment_id: null,
    state: 'ready',
    note: 'Leaving the district: collect the Chromebook',
    created_at: now - 2 * hour,
    ready_at: null,
    ready_by: null,
  });
  const audit = (
    at: number,
    actorType: 'user' | 'person',
    actorId: string,
    action: string,
    id: string,
    data: Record<string, unknown>,
    stationId = input.stationId,
  ): AuditBody => ({
    seq: null,
    id: newId(),
    at,
    actor_type: actorType,
    actor_id: actorId,
    action,
    entity_type: 'task',
    entity_id: id,
    station_id: stationId,
    transaction_id: null,
    data,
  });
  await appendSealedAuditEvents(cubby.db, [
    audit(now - 3 * hour, 'user', input.createdBy, 'task.created', pickUpId, {
      kind: 'pick_up',
      personId: input.pickUp.personId,
      deviceId,
    }),
    audit(
      now - 2 * hour,
      'user',
      input.createdBy,
      'task.created',
      dropOffId,
      {
        kind: 'drop_off',
        personId: input.dropOff.personId,
        deviceId: input.dropOff.deviceId,
      },
      input.dropOff.stationId,
    ),
    audit(readyAt, 'person', input.technicianId, 'task.ready', pickUpId, {
      deviceId,
      compartment: door.number,
      notify: input.pickUp.personId,
    }),
  ]);
  return { pickUpDoor: door.number };
}
