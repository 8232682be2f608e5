import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';

describe.each(testDialects)('a link that drops while a door is open on %s', (dialect) => {
  let s: StationScenario;
  let again: StationDouble | undefined;
  afterEach(async () => {
    again?.close();
    await s?.close();
  });

  it('the door closed during the outage finishes its step from the hello reading, once', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' });
    const unlock = await s.link.next((m) => m.type === 'unlock');
    s.link.send({
      type: 'event',
      event: { kind: 'door_opened', compartment: txn.compartment, commandId: unlock.commandId },
      at: Date.now(),
    });
    await s.link.ping();
    s.link.close();

    again = await StationDouble.connect(s.server.url, s.station.token);
    const readings = [1, 2, 3, 4, 5, 6, 7, 8].map((number) => ({
      number,
      door: 'closed' as const,
      presence: false,
      charging: false,
    }));
    await again.hello(readings);
    // The door_closed the station queued while offline comes after hello, and changes nothing more.
    again.send({ type: 'event', event: { kind: 'door_closed', compartment: txn.compartment, presence: false }, at: Date.now() });
    await again.ping();
    expect((await s.loans()).map((l) => l.status)).toEqual(['active']);
    expect(await s.kioskTransaction(txn.id)).toMatchObject({ status: 'completed' });
    expect((await s.auditActions()).filter((a) => a === 'loan.started')).toHaveLength(1);
    expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
  });
});
