import { sealAuditChain } from '@cubby/db';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('borrowing a loaner on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('a loan becomes active only once the door closes with the loaner gone', async () => {
    s = await aStationScenario(dialect, { loaners: [60, 95] });
    const session = await s.signIn();
    const result = await s.act(session, { kind: 'borrow', reason: 'forgotten' });
    expect(result.ok).toBe(true);
    const txn = (result.data as { transaction: { id: string; compartment: number; dueAt: number } }).transaction;
    // The fullest loaner (95 %, in door 2) is chosen.
    expect(txn.compartment).toBe(2);
    const pending = await s.server.cubby.db.selectFrom('loans').selectAll().executeTakeFirstOrThrow();
    expect(pending.status).toBe('pending');

    await s.useDoor(2, false);
    const end = await s.transactionEnd(txn.id);
    expect(end.status).toBe('completed');
    const loan = await s.server.cubby.db.selectFrom('loans').selectAll().executeTakeFirstOrThrow();
    expect(loan).toMatchObject({
      status: 'active',
      person_id: s.student.personId,
      device_id: s.loaners[1]!.deviceId,
      reason: 'forgotten',
    });
    const door = await s.server.cubby.db.selectFrom('compartments').selectAll().where('number', '=', 2).executeTakeFirstOrThrow();
    expect(door).toMatchObject({ status: 'empty', device_id: null, transaction_id: null });
    const device = await s.server.cubby.db
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', s.loaners[1]!.deviceId)
      .executeTakeFirstOrThrow();
    expect(device).toMatchObject({ status: 'on_loan', loan_count: 1 });
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
    await sealAuditChain(s.server.cubby);
    const actions = (await s.server.cubby.db.selectFrom('audit_events').select('action').orderBy('seq').execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['loan.claimed', 'transaction.borrow_started', 'compartment.door_opened', 'loan.started']),
    );
  });

  it("the finished borrow names the loaner the student took (its asset tag), for the kiosk's done screen", async () => {
    s = await aStationScenario(dialect, { loaners: [95] });
    const session = await s.signIn();
    const result = await s.act(session, { kind: 'borrow', reason: 'forgotten' });
    const txn = (result.data as { transaction: { id: string; compartment: number } }).transaction;
    await s.useDoor(txn.compartment, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed', assetTag: s.loaners[0]!.assetTag });
  });

  it('a loaner left in the compartment cancels the loan', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const txn = ((await s.act(session, { kind: 'borrow', reason: 'broken' })).data as { transaction: { id: string } })
      .transaction;
    await s.useDoor(1, true);
    const end = await s.transactionEnd(txn.id);
    expect(end).toMatchObject({ status: 'failed', error: { code: 'loaner_not_taken' } });
    const loan = await s.server.cubby.db.selectFrom('loans').selectAll().executeTakeFirstOrThrow();
    expect(loan.status).toBe('cancelled');
    const device = await s.server.cubby.db.selectFrom('devices').selectAll().executeTakeFirstOrThrow();
    expect(device.status).toBe('available');
    const door = await s.server.cubby.db.selectFrom('compartments').selectAll().where('number', '=', 1).executeTakeFirstOrThrow();
    expect(door).toMatchObject({ status: 'loaded', device_id: device.id });
  });

  it('only loaners above the charge floor are handed out', async () => {
    s = await aStationScenario(dialect, { loaners: [30, 45] });
    const session = await s.signIn();
    const result = await s.act(session, { kind: 'borrow', reason: 'dead_battery' });
    expect(result).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
  });

  it('a jammed lock fails over to another loaner and takes the jammed door out of service', async () => {
    s = await aStationScenario(dialect, { loaners: [95, 90] });
    const session = await s.signIn();
    const txn = (
      (await s.act(session, { kind: 'borrow', reason: 'forgotten' })).data as { transaction: { id: string; compartment: number } }
    ).transaction;
    expect(txn.compartment).toBe(1);
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 1);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 1, commandId: unlock.commandId, detail: 'door did not open' },
    });
    await s.useDoor(2, false);
    const end = await s.transactionEnd(txn.id);
    expect(end.status).toBe('completed');
    const jammed = await s.server.cubby.db
      .selectFrom('compartments')
      .selectAll()
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
    expect(jammed.status).toBe('out_of_service');
    const loan = await s.server.cubby.db.selectFrom('loans').selectAll().executeTakeFirstOrThrow();
    expect(loan).toMatchObject({ status: 'active', device_id: s.loaners[1]!.deviceId });
    const alerts = await s.server.cubby.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toMatchObject([{ kind: 'lock_fault' }]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });
});
