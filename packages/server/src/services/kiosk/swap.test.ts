import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { anAssignedDevice } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('swapping a broken device on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('a swap takes the broken device first, files its repair ticket, then opens the loaner door', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 95] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'swap', symptom: 'screen', notes: 'cracked in the corner' });
    // The first door is an empty one for the broken device; both doors are already held.
    expect(txn).toMatchObject({ kind: 'swap', status: 'in_progress', compartment: 3, purpose: 'deposit_broken' });
    expect(await s.compartment(2)).toMatchObject({
      status: 'reserved',
      transaction_id: txn.id,
      purpose: 'take_loaner',
      command_id: null,
    });
    expect(s.link.received.some((m) => m.type === 'unlock' && m.compartment === 2)).toBe(false);

    await s.useDoor(3, true);
    const loanerStep = await s.link.next(
      (m) => m.type === 'transaction' && (m.transaction as { compartment: number }).compartment === 2,
    );
    expect(loanerStep.transaction).toMatchObject({ id: txn.id, status: 'in_progress', purpose: 'take_loaner' });
    // The ticket exists before the loaner door opens.
    const tickets = await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute();
    expect(tickets).toHaveLength(1);
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });

    await s.useDoor(2, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });

    const [ticket] = await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute();
    const [loan] = await s.loans();
    const deposit = await s.compartment(3);
    expect(ticket).toMatchObject({
      device_id: own.deviceId,
      person_id: s.student.personId,
      status: 'awaiting_collection',
      symptom: 'screen',
      notes: 'cracked in the corner',
      transaction_id: txn.id,
      loan_id: loan!.id,
      compartment_id: deposit.id,
    });
    expect(ticket!.awaiting_collection_at).not.toBeNull();
    expect(loan).toMatchObject({ status: 'active', transaction_id: txn.id, device_id: s.loaners[1]!.deviceId, reason: 'broken' });
    expect(deposit).toMatchObject({ status: 'loaded', device_id: own.deviceId, transaction_id: null });
    expect(await s.compartment(2)).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.device(s.loaners[1]!.deviceId)).toMatchObject({ status: 'on_loan', loan_count: 1 });
    expect(await s.kioskTransaction(txn.id)).toMatchObject({
      status: 'completed',
      loan_id: loan!.id,
      repair_ticket_id: ticket!.id,
    });

    const actions = await s.auditActions();
    expect(actions.indexOf('repair.created')).toBeGreaterThan(-1);
    expect(actions.indexOf('repair.created')).toBeLessThan(actions.indexOf('loan.started'));
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a swap whose deposit door closes empty gives the held loaner back and files no ticket', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'swap', symptom: 'keyboard' });
    expect(await s.compartment(1)).toMatchObject({ status: 'reserved', transaction_id: txn.id });

    await s.useDoor(txn.compartment!, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect(await s.loans()).toMatchObject([{ status: 'cancelled' }]);
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'available', loan_count: 0 });
    expect(await s.compartment(1)).toMatchObject({
      status: 'loaded',
      device_id: s.loaners[0]!.deviceId,
      transaction_id: null,
      purpose: null,
      command_id: null,
    });
    expect(await s.compartment(txn.compartment!)).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute()).toEqual([]);
    expect(s.link.received.some((m) => m.type === 'unlock' && m.compartment === 1)).toBe(false);

    // The loaner is back in the pool: the student can still borrow it.
    const borrow = await s.start(session, { kind: 'borrow', reason: 'broken' });
    expect(borrow.compartment).toBe(1);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a swap by a student with no device on record is refused and changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'swap', symptom: 'battery' })).toMatchObject({
      ok: false,
      error: { code: 'no_device_on_record' },
    });
    expect(await s.snapshot()).toEqual(before);
  });
});
