import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { anAssignedDevice } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)("charging a student's own device on %s", (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  /** Deposits the student's device in a charging compartment and returns where. */
  async function deposited() {
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'charge' });
    await s.useDoor(txn.compartment!, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    return { own, session, door: txn.compartment!, transactionId: txn.id };
  }

  const sessions = () => s.server.cubby.db.selectFrom('charge_sessions').selectAll().execute();

  it('charge my device opens a door with a charger and switches charging on once a device is inside', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    // Only door 6 has a charger.
    await s.server.cubby.db
      .updateTable('compartments')
      .set({ has_charger: 0 })
      .where('station_id', '=', s.station.stationId)
      .where('number', '!=', 6)
      .execute();
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'charge' });
    expect(txn).toMatchObject({ kind: 'charge', compartment: 6, purpose: 'deposit_for_charge' });
    expect(await sessions()).toMatchObject([{ status: 'depositing', device_id: own.deviceId }]);

    await s.useDoor(6, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.link.next((m) => m.type === 'set_charging')).toMatchObject({ compartment: 6, on: true });
    const [session1] = await sessions();
    expect(session1).toMatchObject({ status: 'charging', device_id: own.deviceId, station_id: s.station.stationId });
    expect(session1!.deposited_at).not.toBeNull();
    expect(await s.compartment(6)).toMatchObject({
      status: 'loaded',
      device_id: own.deviceId,
      charging: 1,
      transaction_id: null,
    });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'charging' });
    expect(await s.auditActions()).toContain('charge.started');

    // Signing in again shows the device waiting to be collected.
    const again = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(again).toMatchObject({ ok: true, data: { charging: { compartment: 6, collectable: true } } });
  });

  it('a charge door that closes empty starts no charging', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'charge' });
    await s.useDoor(txn.compartment!, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect(await sessions()).toMatchObject([{ status: 'cancelled' }]);
    expect(await s.compartment(txn.compartment!)).toMatchObject({ status: 'empty', charging: 0 });
    await s.link.ping();
    expect(s.link.received.some((m) => m.type === 'set_charging')).toBe(false);
  });

  it('collecting within the time limit opens the door and, once it closes empty, ends the session and switches charging off', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { own, session, door } = await deposited();
    await s.link.next((m) => m.type === 'set_charging' && m.on === true);

    const txn = await s.start(session, { kind: 'collect' });
    expect(txn).toMatchObject({ kind: 'collect', compartment: door, purpose: 'collect_own' });
    expect(await sessions()).toMatchObject([{ status: 'collecting' }]);
    await s.useDoor(door, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.link.next((m) => m.type === 'set_charging' && m.on === false)).toMatchObject({ compartment: door });
    const [collected] = await sessions();
    expect(collected).toMatchObject({ status: 'collected' });
    expect(collected!.collected_at).not.toBeNull();
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await s.compartment(door)).toMatchObject({ status: 'empty', device_id: null, charging: 0, transaction_id: null });
    expect(await s.auditActions()).toContain('charge.collected');
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('collecting after the time limit is refused as charge_expired and changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90], policy: { chargeTimeLimitMinutes: 1 } });
    await deposited();
    // Deposited two minutes ago, with a one-minute limit.
    await s.server.cubby.db
      .updateTable('charge_sessions')
      .set({ deposited_at: Date.now() - 2 * 60_000 })
      .execute();
    const signedIn = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(signedIn).toMatchObject({ ok: true, data: { charging: { collectable: false } } });
    // The new sign-in is the station's live session (it ended the one of the deposit).
    const session = (signedIn.data as { session: string }).session;

    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'collect' })).toMatchObject({ ok: false, error: { code: 'charge_expired' } });
    expect(await s.snapshot()).toEqual(before);
  });

  it('collecting at another station is refused and changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await deposited();
    const other = await s.anotherStation();
    const signedIn = await other.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(signedIn).toMatchObject({ ok: true, data: { charging: null } });
    const otherSession = (signedIn.data as { session: string }).session;

    const before = await s.snapshot();
    expect(await s.act(otherSession, { kind: 'collect' }, other.link)).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_collect' },
    });
    expect(await s.snapshot()).toEqual(before);
    await other.link.ping();
    expect(other.link.received.some((m) => m.type === 'unlock')).toBe(false);
  });

  it('a second charge while one device is already charging is refused', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await deposited();
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'charge' })).toMatchObject({ ok: false, error: { code: 'already_charging' } });
    expect(await s.snapshot()).toEqual(before);
  });
});
