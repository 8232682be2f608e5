import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { aRepairedDevice, aSite, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

function ticket(s: StationScenario, id: string) {
  return s.server.cubby.db.selectFrom('repair_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function aTechnician(s: StationScenario, siteId: string | undefined = s.siteId) {
  return aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', ...(siteId ? { siteId } : {}) });
}

describe.each(testDialects)('a technician placing a repaired device for pickup on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('a door opens for the scanned device, its ticket is ready there, and the owner picks it up', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);

    // The sign-in carries the technician menu's counts.
    const auth = await s.link.request({ type: 'auth', credential: { badge: tech.badge } });
    expect(auth.ok && auth.data).toMatchObject({
      technician: { awaitingCollection: 0, emptyCompartments: 6, loanersHere: 2, readyToPlace: 1 },
    });
    const session = (auth.data as { session: string }).session;

    // Typed in lower case, with a stray space: the tag is found all the same.
    const txn = await s.start(session, { kind: 'place_for_pickup', assetTag: ` ${repaired.assetTag.toLowerCase()}` });
    expect(txn).toMatchObject({ kind: 'place_for_pickup', status: 'in_progress', compartment: 3, purpose: 'place_repaired' });
    await s.useDoor(3, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });

    const door = await s.compartment(3);
    expect(await ticket(s, repaired.ticketId)).toMatchObject({ status: 'ready_for_pickup', compartment_id: door.id });
    expect(await s.device(repaired.deviceId)).toMatchObject({ status: 'ready_for_pickup' });
    expect(door).toMatchObject({ status: 'loaded', device_id: repaired.deviceId, transaction_id: null });
    const events = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'data'])
      .where('action', 'in', ['repair.ready_for_pickup', 'transaction.place_for_pickup_started'])
      .execute();
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.actor_id === tech.personId)).toBe(true);
    const ready = events.find((e) => e.action === 'repair.ready_for_pickup')!;
    const data = typeof ready.data === 'string' ? JSON.parse(ready.data) : ready.data;
    expect(data).toMatchObject({ notify: s.student.personId, compartment: 3, deviceId: repaired.deviceId });

    // The owner's own pickup finds it behind that door.
    const owner = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(owner.ok && owner.data).toMatchObject({ pickup: { compartment: 3 } });
    const pickup = await s.start((owner.data as { session: string }).session, { kind: 'pickup' });
    expect(pickup).toMatchObject({ compartment: 3, purpose: 'pickup_repaired' });
    await s.useDoor(3, false);
    expect(await s.transactionEnd(pickup.id)).toMatchObject({ status: 'completed' });
    expect(await ticket(s, repaired.ticketId)).toMatchObject({ status: 'closed' });
    expect(await s.device(repaired.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('refuses an unknown tag, a device that is not repaired, and one already in a locker', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const session = await s.signIn({ badge: tech.badge });
    const refused = async (assetTag: string) => {
      const r = await s.act(session, { kind: 'place_for_pickup', assetTag });
      return r.ok ? 'accepted' : (r.error as { code: string }).code;
    };
    expect(await refused('NO-SUCH-TAG')).toBe('unknown_asset_tag');
    // A loaner sitting in door 1 is in a compartment; an in-service device has no repaired ticket.
    expect(await refused(s.loaners[0]!.assetTag)).toBe('device_in_compartment');
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    const notRepaired = await aRepairedDevice(s.server.cubby, s.districtId, other.personId);
    await s.server.cubby.db
      .updateTable('repair_tickets')
      .set({ status: 'in_repair' })
      .where('id', '=', notRepaired.ticketId)
      .execute();
    expect(await refused(notRepaired.assetTag)).toBe('not_repaired');
    expect(await s.compartment(3)).toMatchObject({ status: 'empty', transaction_id: null });
  });

  it('a technician of another campus is refused with not_technician_here, and a student is forbidden', async () => {
    s = await aStationScenario(dialect);
    const north = await aSite(s.server.cubby, s.districtId, { name: 'North' });
    const tech = await aTechnician(s, north);
    const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
    const auth = await s.link.request({ type: 'auth', credential: { badge: tech.badge } });
    expect(auth.ok && auth.data).toMatchObject({ technicianRefused: 'not_technician_here' });
    expect(auth.ok && (auth.data as Record<string, unknown>).technician).toBeUndefined();
    const session = (auth.data as { session: string }).session;
    expect(await s.act(session, { kind: 'place_for_pickup', assetTag: repaired.assetTag })).toMatchObject({
      ok: false,
      error: { code: 'not_technician_here' },
    });
    const student = await s.signIn();
    expect(await s.act(student, { kind: 'place_for_pickup', assetTag: repaired.assetTag })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ticket(s, repaired.ticketId)).toMatchObject({ status: 'repaired', compartment_id: null });
  });

  it('a door that jams goes out of service and the next empty door takes the device', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s, undefined); // district-wide
    const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'place_for_pickup', assetTag: repaired.assetTag });
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 3);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 3, commandId: unlock.commandId, detail: 'door did not open' },
    });
    await s.useDoor(4, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.compartment(3)).toMatchObject({ status: 'out_of_service' });
    const door = await s.compartment(4);
    expect(await ticket(s, repaired.ticketId)).toMatchObject({ status: 'ready_for_pickup', compartment_id: door.id });
  });

  it('a door shut with nothing inside places nothing', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'place_for_pickup', assetTag: repaired.assetTag });
    await s.useDoor(3, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect(await ticket(s, repaired.ticketId)).toMatchObject({ status: 'repaired', compartment_id: null });
    expect(await s.device(repaired.deviceId)).toMatchObject({ status: 'in_repair' });
    expect(await s.compartment(3)).toMatchObject({ status: 'empty', device_id: null });
  });
});
