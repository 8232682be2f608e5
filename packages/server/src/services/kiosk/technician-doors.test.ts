import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { aRepairedDevice, aSite, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

async function aTechnician(s: StationScenario, siteId: string = s.siteId) {
  return aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId });
}

async function auditOf(s: StationScenario, action: string) {
  const rows = await s.server.cubby.db
    .selectFrom('audit_events')
    .select(['actor_type', 'actor_id', 'data', 'transaction_id'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data }));
}

/** A refusal, and the tables exactly as they were. */
async function refusedAndUnchanged(s: StationScenario, session: string, action: Record<string, unknown>, code: string) {
  const before = await s.snapshot();
  expect(await s.act(session, action)).toMatchObject({ ok: false, error: { code } });
  expect(await s.snapshot()).toEqual(before);
}

/** A door the sim's sensor reads differently from the records (someone took or left something without the kiosk). */
function setPresence(s: StationScenario, number: number, presence: 0 | 1) {
  return s.server.cubby.db
    .updateTable('compartments')
    .set({ presence })
    .where('station_id', '=', s.station.stationId)
    .where('number', '=', number)
    .execute();
}

describe.each(testDialects)('a technician at the doors on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  describe('opening a door with a reason', () => {
    it('opens the picked door; its shut updates the records and the end says how it differs from them', async () => {
      s = await aStationScenario(dialect);
      const tech = await aTechnician(s);
      const session = await s.signIn({ badge: tech.badge });
      const loaner = s.loaners[0]!;
      const txn = await s.start(session, { kind: 'technician_open_door', compartment: 1, reason: 'check_contents' });
      expect(txn).toMatchObject({ kind: 'technician_open_door', compartment: 1, purpose: 'technician_open' });
      await s.useDoor(1, false);
      expect(await s.transactionEnd(txn.id)).toMatchObject({
        status: 'completed',
        summary: { differences: [{ compartment: 1, recordedAssetTag: loaner.assetTag, sensed: false }], jammedDoors: [] },
      });
      // The records follow the sensor: the door is empty, the loaner no longer behind it.
      expect(await s.compartment(1)).toMatchObject({ status: 'empty', device_id: null, presence: 0, transaction_id: null });
      const [opened] = await auditOf(s, 'compartment.technician_opened');
      expect(opened).toMatchObject({
        actor_type: 'person',
        actor_id: tech.personId,
        transaction_id: txn.id,
        data: { number: 1, reason: 'check_contents', deviceId: loaner.deviceId },
      });
      expect(await auditOf(s, 'compartment.device_removed')).toMatchObject([
        { actor_id: tech.personId, data: { number: 1, deviceId: loaner.deviceId } },
      ]);
      expect(await auditOf(s, 'compartment.contents_differ')).toMatchObject([{ actor_id: tech.personId }]);

      // An empty door that shuts on something nobody recorded: that is the difference.
      const second = await s.start(await s.signIn({ badge: tech.badge }), {
        kind: 'technician_open_door',
        compartment: 4,
        reason: 'clean',
      });
      await s.useDoor(4, true);
      expect(await s.transactionEnd(second.id)).toMatchObject({
        summary: { differences: [{ compartment: 4, recordedAssetTag: null, sensed: true }] },
      });
      expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
    });

    it('a door whose contents are as recorded ends with no difference', async () => {
      s = await aStationScenario(dialect);
      const tech = await aTechnician(s);
      const txn = await s.start(await s.signIn({ badge: tech.badge }), {
        kind: 'technician_open_door',
        compartment: 2,
        reason: 'stuck_device',
      });
      await s.useDoor(2, true);
      expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed', summary: { differences: [] } });
      expect(await s.compartment(2)).toMatchObject({ status: 'loaded', device_id: s.loaners[1]!.deviceId });
    });

    it('a student forging it, a technician of another campus, a door mid-visit, out of service or unknown: refused, nothing changes', async () => {
      s = await aStationScenario(dialect);
      const open = (compartment: number) => ({ kind: 'technician_open_door', compartment, reason: 'other' });
      await refusedAndUnchanged(s, await s.signIn(), open(3), 'forbidden');
      const north = await aTechnician(s, await aSite(s.server.cubby, s.districtId, { name: 'North' }));
      await refusedAndUnchanged(s, await s.signIn({ badge: north.badge }), open(3), 'not_technician_here');

      // A student's borrow holds door 1 (its door is open for them).
      const borrow = await s.start(await s.signIn(), { kind: 'borrow', reason: 'forgotten' });
      const tech = await aTechnician(s);
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), open(borrow.compartment!), 'door_in_use');

      await s.server.cubby.db
        .updateTable('compartments')
        .set({ status: 'out_of_service' })
        .where('station_id', '=', s.station.stationId)
        .where('number', '=', 5)
        .execute();
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), open(5), 'door_out_of_service');
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), open(99), 'not_found');
    });

    it('hostile input is refused at the edge', async () => {
      s = await aStationScenario(dialect);
      const tech = await aTechnician(s);
      const session = await s.signIn({ badge: tech.badge });
      const before = await s.snapshot();
      for (const action of [
        { kind: 'technician_open_door', compartment: 3, reason: 'because' },
        { kind: 'technician_open_door', compartment: 0, reason: 'clean' },
        { kind: 'technician_open_door', compartment: 3.5, reason: 'clean' },
        { kind: 'technician_open_door', compartment: '3', reason: 'clean' },
        { kind: 'technician_open_door', compartment: 3 },
        { kind: 'technician_open_door', compartment: 3, reason: 'clean', transactionId: 'x' },
        { kind: 'technician_door_service', compartment: 3, outOfService: 'yes', reason: 'other' },
        { kind: 'technician_door_service', compartment: 3, outOfService: true, reason: 'x'.repeat(10_000) },
        { kind: 'bank_check_doors', doors: [1, 2] },
      ]) {
        const id = s.link.send({ type: 'request', session, action });
        expect(await s.link.notice(id)).toMatchObject({ error: { code: 'bad_request' } });
      }
      expect(await s.snapshot()).toEqual(before);
    });

    it('a jammed lock takes the door out of service and the end says so', async () => {
      s = await aStationScenario(dialect);
      const tech = await aTechnician(s);
      const txn = await s.start(await s.signIn({ badge: tech.badge }), {
        kind: 'technician_open_door',
        compartment: 3,
        reason: 'check_contents',
      });
      const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 3);
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'lock_fault', compartment: 3, commandId: unlock.commandId, detail: 'door did not open' },
      });
      expect(await s.transactionEnd(txn.id)).toMatchObject({
        status: 'completed',
        summary: { jammedDoors: [3], differences: [] },
      });
      expect(await s.compartment(3)).toMatchObject({ status: 'out_of_service', transaction_id: null });
    });
  });

  describe('taking a door out of service and back', () => {
    it('out and back in, audited with the technician and the reason, as on the dashboard', async () => {
      s = await aStationScenario(dialect);
      const tech = await aTechnician(s);
      const auth = await s.link.request({ type: 'auth', credential: { badge: tech.badge } });
      expect(auth.ok && auth.data).toMatchObject({ technician: { outOfServiceDoors: [], busyDoors: [] } });
      const session = (auth.data as { session: string }).session;
      expect(
        await s.act(session, { kind: 'technician_door_service', compartment: 2, outOfService: true, reason: 'broken_lock' }),
      ).toMatchObject({ ok: true, data: { accepted: true } });
      expect(await s.compartment(2)).toMatchObject({ status: 'out_of_service', device_id: s.loaners[1]!.deviceId });
      // The next sign-in's menu knows it.
      const again = await s.link.request({ type: 'auth', credential: { badge: tech.badge } });
      expect(again.ok && again.data).toMatchObject({ technician: { outOfServiceDoors: [2] } });
      const session2 = (again.data as { session: string }).session;
      // Already out of service: nothing changes, nothing is audited twice.
      await s.act(session2, { kind: 'technician_door_service', compartment: 2, outOfService: true, reason: 'broken_lock' });
      expect(
        await s.act(session2, { kind: 'technician_door_service', compartment: 2, outOfService: false, reason: 'repaired' }),
      ).toMatchObject({ ok: true });
      expect(await s.compartment(2)).toMatchObject({ status: 'loaded' });
      expect(await auditOf(s, 'compartment.taken_out_of_service')).toMatchObject([
        { actor_type: 'person', actor_id: tech.personId, data: { number: 2, reason: 'broken_lock', from: 'loaded' } },
      ]);
      expect(await auditOf(s, 'compartment.returned_to_service')).toMatchObject([
        { actor_type: 'person', actor_id: tech.personId, data: { number: 2, reason: 'repaired', to: 'loaded' } },
      ]);
      expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
    });

    it('refused: a student, another campus, a door mid-visit, a repaired device waiting there, contents unknown', async () => {
      s = await aStationScenario(dialect);
      const out = (compartment: number, outOfService = true) => ({
        kind: 'technician_door_service',
        compartment,
        outOfService,
        reason: 'other',
      });
      await refusedAndUnchanged(s, await s.signIn(), out(3), 'forbidden');
      const north = await aTechnician(s, await aSite(s.server.cubby, s.districtId, { name: 'North' }));
      await refusedAndUnchanged(s, await s.signIn({ badge: north.badge }), out(3), 'not_technician_here');
      const tech = await aTechnician(s);

      const borrow = await s.start(await s.signIn(), { kind: 'borrow', reason: 'forgotten' });
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), out(borrow.compartment!), 'door_in_use');

      // A repaired device placed for its owner behind door 3.
      const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
      const place = await s.start(await s.signIn({ badge: tech.badge }), {
        kind: 'place_for_pickup',
        assetTag: repaired.assetTag,
      });
      await s.useDoor(place.compartment!, true);
      await s.transactionEnd(place.id);
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), out(place.compartment!), 'door_holds_pickup');

      // Door 5 out of service, and its sensor now sees something nobody recorded.
      await s.act(await s.signIn({ badge: tech.badge }), out(5));
      await setPresence(s, 5, 1);
      await refusedAndUnchanged(s, await s.signIn({ badge: tech.badge }), out(5, false), 'door_contents_unknown');
    });
  });

  describe('the bank check opening each door', () => {
    it('opens every free door in turn and lists every difference between the records and what is inside', async () => {
      s = await aStationScenario(dialect, { compartments: 4 });
      const tech = await aTechnician(s);
      // Door 4 out of service: not opened.
      await s.act(await s.signIn({ badge: tech.badge }), {
        kind: 'technician_door_service',
        compartment: 4,
        outOfService: true,
        reason: 'damaged_door',
      });
      const txn = await s.start(await s.signIn({ badge: tech.badge }), { kind: 'bank_check_doors' });
      expect(txn).toMatchObject({ kind: 'bank_check_doors', compartment: 1, purpose: 'bank_check' });
      expect(await s.compartment(3)).toMatchObject({ status: 'reserved', transaction_id: txn.id });
      expect(await s.compartment(4)).toMatchObject({ status: 'out_of_service', transaction_id: null });
      await s.useDoor(1, true); // the loaner is there
      await s.useDoor(2, false); // the loaner is gone
      await s.useDoor(3, true); // something nobody recorded
      expect(await s.transactionEnd(txn.id)).toMatchObject({
        status: 'completed',
        summary: {
          differences: [
            { compartment: 2, recordedAssetTag: s.loaners[1]!.assetTag, sensed: false },
            { compartment: 3, recordedAssetTag: null, sensed: true },
          ],
          jammedDoors: [],
        },
      });
      expect(await s.compartment(1)).toMatchObject({ status: 'loaded', device_id: s.loaners[0]!.deviceId });
      expect(await s.compartment(2)).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
      expect(await auditOf(s, 'compartment.contents_differ')).toHaveLength(2);
      expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
    });

    it('a jammed door is skipped (out of service now) and the check goes on; a student and another campus are refused', async () => {
      s = await aStationScenario(dialect, { compartments: 3 });
      await refusedAndUnchanged(s, await s.signIn(), { kind: 'bank_check_doors' }, 'forbidden');
      const north = await aTechnician(s, await aSite(s.server.cubby, s.districtId, { name: 'North' }));
      await refusedAndUnchanged(s, await s.signIn({ badge: north.badge }), { kind: 'bank_check_doors' }, 'not_technician_here');
      const tech = await aTechnician(s);
      const txn = await s.start(await s.signIn({ badge: tech.badge }), { kind: 'bank_check_doors' });
      await s.useDoor(1, true);
      const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 2);
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'lock_fault', compartment: 2, commandId: unlock.commandId, detail: 'door did not open' },
      });
      await s.useDoor(3, false);
      expect(await s.transactionEnd(txn.id)).toMatchObject({
        status: 'completed',
        summary: { jammedDoors: [2], differences: [] },
      });
      expect(await s.compartment(2)).toMatchObject({ status: 'out_of_service' });
    });
  });
});
