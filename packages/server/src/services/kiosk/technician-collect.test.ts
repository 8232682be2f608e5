import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { aFlaggedDevice as aFlaggedDeviceBuilder, aSite, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

/** A student's broken device left behind door `number`, its ticket awaiting collection. */
async function aFlaggedDevice(s: StationScenario, number: number, options: { presence?: 0 | 1 } = {}) {
  const door = await s.compartment(number);
  return aFlaggedDeviceBuilder(s.server.cubby, s.server.services.keys, s.districtId, door.id, options);
}

function ticket(s: StationScenario, id: string) {
  return s.server.cubby.db.selectFrom('repair_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe.each(testDialects)('a technician collecting flagged devices on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('opens each flagged door in turn, collects each ticket, and flags a door that reads empty', async () => {
    s = await aStationScenario(dialect);
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, {
      role: 'technician',
      siteId: s.siteId,
    });
    const a = await aFlaggedDevice(s, 5);
    const b = await aFlaggedDevice(s, 6);
    const gone = await aFlaggedDevice(s, 7, { presence: 0 });
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    expect(txn).toMatchObject({ kind: 'technician_collect', status: 'in_progress', compartment: 5, purpose: 'collect_flagged' });
    await s.useDoor(5, false);
    await s.useDoor(6, false);
    // The kiosk is told how it went: "2 collected, door 7 was empty — flagged".
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 2, emptyDoors: [7], leftInside: [], jammedDoors: [] },
    });

    for (const [n, t] of [
      [5, a],
      [6, b],
    ] as const) {
      expect(await ticket(s, t.ticketId)).toMatchObject({ status: 'collected', compartment_id: null });
      expect(await s.device(t.deviceId)).toMatchObject({ status: 'in_repair' });
      expect(await s.compartment(n)).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
    }
    // The door that read empty was not opened: its ticket still waits, and it is flagged.
    expect(await ticket(s, gone.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.kioskTransaction(txn.id)).toMatchObject({ person_id: tech.personId, kind: 'technician_collect' });
    const events = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('action', 'in', ['repair.collected', 'repair.collection_door_empty'])
      .execute();
    expect(events.filter((e) => e.action === 'repair.collected')).toHaveLength(2);
    expect(events.filter((e) => e.action === 'repair.collection_door_empty')).toHaveLength(1);
    expect(events.every((e) => e.actor_id === tech.personId)).toBe(true);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a device left inside stays awaiting collection behind its door', async () => {
    s = await aStationScenario(dialect);
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'staff' });
    const a = await aFlaggedDevice(s, 5);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    await s.useDoor(5, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 0, leftInside: [5] },
    });
    expect(await ticket(s, a.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.compartment(5)).toMatchObject({ status: 'loaded', device_id: a.deviceId });
  });

  it('a technician of another campus is refused and nothing changes', async () => {
    s = await aStationScenario(dialect);
    const other = await aSite(s.server.cubby, s.districtId, { name: 'North' });
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, {
      role: 'technician',
      siteId: other,
    });
    const a = await aFlaggedDevice(s, 5);
    const session = await s.signIn({ badge: tech.badge });
    expect(await s.act(session, { kind: 'technician_collect' })).toMatchObject({
      ok: false,
      error: { code: 'not_technician_here' },
    });
    expect(await ticket(s, a.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.compartment(5)).toMatchObject({ status: 'loaded', transaction_id: null });
  });

  it('a student gets no technician mode', async () => {
    s = await aStationScenario(dialect);
    await aFlaggedDevice(s, 5);
    const session = await s.signIn();
    expect(await s.act(session, { kind: 'technician_collect' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('a door that jams mid-collection goes out of service and the next door opens', async () => {
    s = await aStationScenario(dialect);
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician' });
    const a = await aFlaggedDevice(s, 5);
    const b = await aFlaggedDevice(s, 6);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 5);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 5, commandId: unlock.commandId, detail: 'door did not open' },
    });
    await s.useDoor(6, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 1, jammedDoors: [5] },
    });
    expect(await s.compartment(5)).toMatchObject({ status: 'out_of_service' });
    expect(await ticket(s, a.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await ticket(s, b.ticketId)).toMatchObject({ status: 'collected' });
  });

  it('the last door jamming ends the collection with what was collected', async () => {
    s = await aStationScenario(dialect);
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician' });
    const a = await aFlaggedDevice(s, 5);
    const b = await aFlaggedDevice(s, 6);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    await s.useDoor(5, false);
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 6);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 6, commandId: unlock.commandId, detail: 'door did not open' },
    });
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 1, emptyDoors: [], leftInside: [], jammedDoors: [6] },
    });
    expect(await ticket(s, a.ticketId)).toMatchObject({ status: 'collected' });
    expect(await ticket(s, b.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.compartment(6)).toMatchObject({ status: 'out_of_service' });
  });

  it('all at once (the district setting): every flagged door unlocks together and the doors shut in any order', async () => {
    s = await aStationScenario(dialect, { policy: { collectAllDoorsAtOnce: true } });
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician' });
    const a = await aFlaggedDevice(s, 5);
    const b = await aFlaggedDevice(s, 6);
    const c = await aFlaggedDevice(s, 7);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    expect(txn).toMatchObject({ status: 'in_progress', purpose: 'collect_flagged', openDoors: [5, 6, 7] });
    // Three unlocks before any door has moved.
    const unlocks = await Promise.all([5, 6, 7].map((n) => s.link.next((m) => m.type === 'unlock' && m.compartment === n)));
    expect(new Set(unlocks.map((u) => u.commandId)).size).toBe(3);
    for (const u of [unlocks[0]!, unlocks[2]!])
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'door_opened', compartment: u.compartment, commandId: u.commandId },
      });
    // Door 6 jams while 5 and 7 stand open: the kiosk still waits on those two.
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 6, commandId: unlocks[1]!.commandId, detail: 'door did not open' },
    });
    const waiting = await s.link.next(
      (m) => m.type === 'transaction' && (m.transaction as { openDoors?: number[] }).openDoors?.length === 2,
    );
    expect(waiting.transaction).toMatchObject({ status: 'in_progress', openDoors: [5, 7], compartment: 5 });
    // 7 shuts first, emptied; then 5 with its device left inside.
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 7, presence: false } });
    const one = await s.link.next(
      (m) => m.type === 'transaction' && (m.transaction as { openDoors?: number[] }).openDoors?.length === 1,
    );
    expect(one.transaction).toMatchObject({ status: 'in_progress', openDoors: [5] });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 5, presence: true } });
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 1, emptyDoors: [], leftInside: [5], jammedDoors: [6] },
    });
    expect(await ticket(s, c.ticketId)).toMatchObject({ status: 'collected' });
    expect(await ticket(s, a.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await ticket(s, b.ticketId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.compartment(5)).toMatchObject({ status: 'loaded', transaction_id: null });
    expect(await s.compartment(6)).toMatchObject({ status: 'out_of_service' });
    expect(await s.compartment(7)).toMatchObject({ status: 'empty', transaction_id: null });
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('all at once with one flagged door is the usual single door', async () => {
    s = await aStationScenario(dialect, { policy: { collectAllDoorsAtOnce: true } });
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician' });
    await aFlaggedDevice(s, 5);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'technician_collect' });
    expect(txn.openDoors).toBeUndefined();
    await s.useDoor(5, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed', summary: { collected: 1 } });
  });
});
