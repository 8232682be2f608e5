import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('returning a loaner on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('a return puts the loaner in an empty charging compartment and counts only once presence sees it inside', async () => {
    s = await aStationScenario(dialect, { loaners: [60, 95] });
    const { session, compartment: borrowedFrom } = await s.borrowed();
    expect(borrowedFrom).toBe(2);
    // Only door 5 of the empty ones has a charger: a returned loaner should charge.
    await s.server.cubby.db
      .updateTable('compartments')
      .set({ has_charger: 0 })
      .where('station_id', '=', s.station.stationId)
      .where('number', '!=', 5)
      .execute();

    const txn = await s.start(session, { kind: 'return', assetTag: s.loaners[1]!.assetTag });
    expect(txn).toMatchObject({ kind: 'return', status: 'in_progress', compartment: 5, purpose: 'return_loaner' });
    // Nothing is recorded while the door is open.
    expect((await s.loans())[0]!.status).toBe('active');

    await s.useDoor(5, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    const [loan] = await s.loans();
    expect(loan).toMatchObject({ status: 'returned', return_station_id: s.station.stationId });
    expect(loan!.ended_at).not.toBeNull();
    expect(await s.device(s.loaners[1]!.deviceId)).toMatchObject({ status: 'available' });
    expect(await s.compartment(5)).toMatchObject({
      status: 'loaded',
      device_id: s.loaners[1]!.deviceId,
      presence: 1,
      transaction_id: null,
    });
    const returned = await s.server.cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'loan.returned')
      .execute();
    expect(returned).toMatchObject([{ entity_id: loan!.id, transaction_id: txn.id, actor_id: s.student.personId }]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a return without an asset tag takes back the loan the student holds', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await s.borrowed();
    const txn = await s.start(session, { kind: 'return' });
    await s.useDoor(txn.compartment!, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect((await s.loans())[0]!.status).toBe('returned');
  });

  it('an empty "return" (the door closes with nothing inside) is not recorded', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await s.borrowed();
    const txn = await s.start(session, { kind: 'return' });
    await s.useDoor(txn.compartment!, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect((await s.loans())[0]).toMatchObject({ status: 'active', ended_at: null, return_station_id: null });
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'on_loan' });
    expect(await s.compartment(txn.compartment!)).toMatchObject({
      status: 'empty',
      device_id: null,
      presence: 0,
      transaction_id: null,
    });
    expect(await s.kioskTransaction(txn.id)).toMatchObject({ status: 'failed', error_code: 'nothing_returned' });
    expect(await s.auditActions()).not.toContain('loan.returned');
  });

  it("returning a loaner that is not the student's is refused as wrong_loaner and changes nothing", async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    const { session } = await s.borrowed();
    const before = await s.snapshot();
    // Loaner 2 exists but is not on loan to this student; LN-NOPE does not exist.
    for (const assetTag of [s.loaners[1]!.assetTag, 'LN-NOPE']) {
      const result = await s.act(session, { kind: 'return', assetTag });
      expect(result).toMatchObject({ ok: false, error: { code: 'wrong_loaner' } });
    }
    expect(await s.snapshot()).toEqual(before);
  });

  it('a student with no active loan is told no_active_loan and nothing changes', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'return' })).toMatchObject({ ok: false, error: { code: 'no_active_loan' } });
    expect(await s.snapshot()).toEqual(before);
  });

  it('a jammed door during a return fails over to another empty compartment', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await s.borrowed();
    const txn = await s.start(session, { kind: 'return' });
    const jammedNumber = txn.compartment!;
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === jammedNumber);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: jammedNumber, commandId: unlock.commandId, detail: 'door did not open' },
    });
    const moved = await s.link.next((m) => {
      const t = m.transaction as { id: string; compartment: number | null } | undefined;
      return m.type === 'transaction' && t!.id === txn.id && t!.compartment !== jammedNumber;
    });
    expect(moved.transaction).toMatchObject({ status: 'in_progress', purpose: 'return_loaner' });
    const nextDoor = (moved.transaction as { compartment: number }).compartment;

    await s.useDoor(nextDoor, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.compartment(jammedNumber)).toMatchObject({ status: 'out_of_service', transaction_id: null, device_id: null });
    expect(await s.compartment(nextDoor)).toMatchObject({ status: 'loaded', device_id: s.loaners[0]!.deviceId });
    expect((await s.loans())[0]).toMatchObject({ status: 'returned' });
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'available' });
    const alerts = await s.server.cubby.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toMatchObject([{ kind: 'lock_fault', cleared_at: null }]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });
});
