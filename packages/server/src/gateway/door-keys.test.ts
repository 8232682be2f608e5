import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { anAssignedDevice } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

/** Doors opened with a key (no unlock command) must not move a transaction along. */
describe.each(testDialects)('doors opened without a command on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const doorEvent = (event: Record<string, unknown>) => s.link.send({ type: 'event', at: Date.now(), event });

  it("a swap's held loaner door opened early by key stays held, and the loan still waits for the deposit", async () => {
    s = await aStationScenario(dialect, { loaners: [90, 95] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const txn = await s.start(await s.signIn(), { kind: 'swap', symptom: 'keyboard' });
    doorEvent({ kind: 'door_opened', compartment: 2 });
    doorEvent({ kind: 'door_closed', compartment: 2, presence: false });
    await s.link.ping();
    expect(await s.compartment(2)).toMatchObject({ status: 'reserved', transaction_id: txn.id, command_id: null });
    const [loan] = await s.loans();
    expect(loan).toMatchObject({ status: 'pending' });
  });

  it('a loaner taken out with a key leaves its compartment empty and the removal is audited', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    doorEvent({ kind: 'door_opened', compartment: 1 });
    doorEvent({ kind: 'door_closed', compartment: 1, presence: false });
    await s.link.ping();
    expect(await s.compartment(1)).toMatchObject({ status: 'empty', device_id: null });
    expect(await s.auditActions()).toEqual(
      expect.arrayContaining(['compartment.door_opened_without_command', 'compartment.device_removed_without_transaction']),
    );
  });
});
