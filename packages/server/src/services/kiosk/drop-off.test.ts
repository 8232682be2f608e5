import { afterEach, describe, expect, it } from 'vitest';
import { personTransactionNotes } from '@cubby/db';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { anAssignedDevice } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('leaving a broken device for repair on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('at a station with no lendable loaner, a drop-off files a repair ticket and leaves the device for collection', async () => {
    // The only loaner is below the 50 % floor: a swap would be refused.
    s = await aStationScenario(dialect, { loaners: [30] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    expect(await s.act(session, { kind: 'swap', symptom: 'screen' })).toMatchObject({
      ok: false,
      error: { code: 'no_loaner_available' },
    });

    const txn = await s.start(session, { kind: 'drop_off', symptom: 'screen', notes: 'cracked' });
    expect(txn).toMatchObject({ kind: 'drop_off', status: 'in_progress', purpose: 'deposit_for_repair' });
    // An empty door, never the loaner's.
    expect(txn.compartment).not.toBe(1);
    await s.useDoor(txn.compartment!, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });

    const tickets = await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute();
    const door = await s.compartment(txn.compartment!);
    expect(tickets).toMatchObject([
      {
        device_id: own.deviceId,
        person_id: s.student.personId,
        status: 'awaiting_collection',
        symptom: 'screen',
        notes: 'cracked',
        transaction_id: txn.id,
        loan_id: null,
        compartment_id: door.id,
      },
    ]);
    expect(door).toMatchObject({ status: 'loaded', device_id: own.deviceId, transaction_id: null });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.loans()).toEqual([]);
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'available', loan_count: 0 });
    expect(await s.kioskTransaction(txn.id)).toMatchObject({ status: 'completed', repair_ticket_id: tickets[0]!.id });
    // The student's own words are personal data: an erasure finds them as it finds a swap's.
    expect(await personTransactionNotes(s.server.cubby.db, s.student.personId)).toMatchObject([
      { id: txn.id, detail: { notes: 'cracked' } },
    ]);
    const actions = await s.auditActions();
    expect(actions).toContain('transaction.drop_off_started');
    expect(actions).toContain('repair.created');
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a student at the loan limit can still leave a broken device, and no loan starts', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const { session } = await s.borrowed();
    const txn = await s.start(session, { kind: 'drop_off', symptom: 'keyboard' });
    await s.useDoor(txn.compartment!, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await s.loans()).toMatchObject([{ status: 'active' }]);
  });

  it('a drop-off whose door closes empty files no ticket and leaves the device with the student', async () => {
    s = await aStationScenario(dialect, { loaners: [30] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'drop_off', symptom: 'battery' });
    await s.useDoor(txn.compartment!, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect(await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute()).toEqual([]);
    expect(await s.device(own.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await s.compartment(txn.compartment!)).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
  });

  it('a jammed drop-off door fails over to another empty compartment', async () => {
    s = await aStationScenario(dialect, { loaners: [30] });
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'drop_off', symptom: 'liquid' });
    const jammed = txn.compartment!;
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === jammed);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: jammed, commandId: unlock.commandId, detail: 'door did not open' },
    });
    const moved = await s.link.next((m) => {
      const t = m.transaction as { id: string; compartment: number | null } | undefined;
      return m.type === 'transaction' && t!.id === txn.id && t!.compartment !== jammed;
    });
    expect(moved.transaction).toMatchObject({ status: 'in_progress', purpose: 'deposit_for_repair' });
    const nextDoor = (moved.transaction as { compartment: number }).compartment;
    await s.useDoor(nextDoor, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.compartment(jammed)).toMatchObject({ status: 'out_of_service', device_id: null });
    expect(await s.compartment(nextDoor)).toMatchObject({ status: 'loaded', device_id: own.deviceId });
    expect(await s.server.cubby.db.selectFrom('repair_tickets').selectAll().execute()).toMatchObject([
      { compartment_id: (await s.compartment(nextDoor)).id, status: 'awaiting_collection' },
    ]);
  });

  it('a drop-off by a student with no device on record is refused and changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [30] });
    const session = await s.signIn();
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'drop_off', symptom: 'other' })).toMatchObject({
      ok: false,
      error: { code: 'no_device_on_record' },
    });
    expect(await s.snapshot()).toEqual(before);
  });
});
