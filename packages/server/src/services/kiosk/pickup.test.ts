import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { aRepairReadyForPickup } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('picking up a repaired device on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const ticket = (id: string) =>
    s.server.cubby.db.selectFrom('repair_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a repaired device waiting here is offered at sign-in, and picking it up closes the ticket and puts the device back in service', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const waiting = await aRepairReadyForPickup(s.server.cubby, s.districtId, s.student.personId, s.station.compartments[4]!.id);
    const signedIn = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(signedIn).toMatchObject({ ok: true, data: { pickup: { compartment: 5 } } });
    const session = (signedIn.data as { session: string }).session;

    const txn = await s.start(session, { kind: 'pickup' });
    expect(txn).toMatchObject({ kind: 'pickup', status: 'in_progress', compartment: 5, purpose: 'pickup_repaired' });
    await s.useDoor(5, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });

    const closed = await ticket(waiting.ticketId);
    expect(closed).toMatchObject({ status: 'closed', compartment_id: null });
    expect(closed.closed_at).not.toBeNull();
    expect(await s.device(waiting.deviceId)).toMatchObject({ status: 'in_service', owner_id: s.student.personId });
    expect(await s.compartment(5)).toMatchObject({ status: 'empty', device_id: null, presence: 0, transaction_id: null });
    expect(await s.kioskTransaction(txn.id)).toMatchObject({ status: 'completed', repair_ticket_id: waiting.ticketId });
    expect(await s.auditActions()).toContain('repair.picked_up');
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });

    // Nothing waits any more.
    const later = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(later).toMatchObject({ ok: true, data: { pickup: null } });
  });

  it('a repaired device left in the compartment stays waiting for pickup', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const waiting = await aRepairReadyForPickup(s.server.cubby, s.districtId, s.student.personId, s.station.compartments[4]!.id);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'pickup' });
    await s.useDoor(5, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'device_not_taken' } });
    expect(await ticket(waiting.ticketId)).toMatchObject({ status: 'ready_for_pickup' });
    expect(await s.device(waiting.deviceId)).toMatchObject({ status: 'ready_for_pickup' });
    expect(await s.compartment(5)).toMatchObject({ status: 'loaded', device_id: waiting.deviceId, transaction_id: null });
  });

  it('a repaired device waiting at another station is not offered here', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await aRepairReadyForPickup(s.server.cubby, s.districtId, s.student.personId, s.station.compartments[4]!.id);
    const other = await s.anotherStation();
    const signedIn = await other.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(signedIn).toMatchObject({ ok: true, data: { pickup: null } });
    const session = (signedIn.data as { session: string }).session;
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'pickup' }, other.link)).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_collect' },
    });
    expect(await s.snapshot()).toEqual(before);
  });
});
