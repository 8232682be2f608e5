import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';

/**
 * Found by the kill -9 station test: two returns of one loan were open at two
 * doors at once; the first returned it, and the second door, closing on "a
 * device", tried to put the same loaner behind a second door. The database
 * refused (one place per device), and inside the station's hello that refusal
 * rolled back the whole hello, so the station was never welcomed again.
 */
describe.each(testDialects)('a step the server cannot settle, on %s', (dialect) => {
  let s: StationScenario;
  let again: StationDouble | undefined;
  afterEach(async () => {
    again?.close();
    await s?.close();
  });

  it('a second return of a loan whose return door is already open is refused and changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await s.borrowed();
    const first = await s.start(session, { kind: 'return' });
    const before = await s.snapshot();
    expect(await s.act(session, { kind: 'return' })).toMatchObject({ ok: false, error: { code: 'no_active_loan' } });
    expect(await s.snapshot()).toEqual(before);
    await s.useDoor(first.compartment!, true);
    expect((await s.transactionEnd(first.id)).status).toBe('completed');
    expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
  });

  it.each(['hello', 'door_closed'] as const)(
    'is failed and flagged for a technician, and the station still works (settled by %s)',
    async (via) => {
      s = await aStationScenario(dialect, { loaners: [90] });
      const { session } = await s.borrowed();
      const txn = await s.start(session, { kind: 'return' });
      const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === txn.compartment);
      // Meanwhile the loan was returned behind another door (as an offline replay can record it).
      const loan = (await s.loans())[0]!;
      const other = await s.server.cubby.db
        .selectFrom('compartments')
        .select(['id', 'number'])
        .where('station_id', '=', s.station.stationId)
        .where('status', '=', 'empty')
        .where('transaction_id', 'is', null)
        .orderBy('number', 'desc')
        .executeTakeFirstOrThrow();
      await s.server.cubby.db
        .updateTable('loans')
        .set({ status: 'returned', ended_at: Date.now() })
        .where('id', '=', loan.id)
        .execute();
      await s.server.cubby.db.updateTable('devices').set({ status: 'available' }).where('id', '=', loan.device_id).execute();
      await s.server.cubby.db
        .updateTable('compartments')
        .set({ status: 'loaded', device_id: loan.device_id, presence: 1 })
        .where('id', '=', other.id)
        .execute();

      let link = s.link;
      if (via === 'hello') {
        // The agent dies with the door open; someone shuts it on something; the restarted agent says hello.
        s.link.close();
        again = await StationDouble.connect(s.server.url, s.station.token);
        link = again;
        const readings = [1, 2, 3, 4, 5, 6, 7, 8].map((number) => ({
          number,
          door: 'closed' as const,
          presence: number === txn.compartment || number === other.number,
          charging: false,
        }));
        expect((await again.hello(readings)).type).toBe('welcome');
      } else {
        s.link.openAndClose(unlock, true);
      }
      await link.ping();

      expect(await s.kioskTransaction(txn.id)).toMatchObject({ status: 'failed', error_code: 'compartment_fault' });
      expect(await s.compartment(txn.compartment!)).toMatchObject({
        status: 'out_of_service',
        transaction_id: null,
        device_id: null,
        door: 'closed',
      });
      const alerts = await s.server.cubby.db.selectFrom('alerts').selectAll().where('kind', '=', 'step_unsettled').execute();
      expect(alerts).toHaveLength(1);
      expect(JSON.stringify(alerts[0]!.detail)).toContain('already returned');
      expect(await s.auditActions()).toContain('compartment.step_unsettled');
      expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
      // The station goes on serving: the student can borrow the loaner the other door holds.
      const next = await s.signIn(undefined, link);
      const borrow = await s.start(next, { kind: 'borrow', reason: 'forgotten' }, link);
      expect(borrow.compartment).toBe(other.number);
    },
  );
});
