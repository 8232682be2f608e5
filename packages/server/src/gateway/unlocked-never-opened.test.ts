import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';

/**
 * Found by killing a station agent (SIGKILL) between the server's unlock and the
 * pulse: the door never opened, so no door_opened or door_closed ever came, and
 * the compartment stayed reserved with the transaction in progress for good.
 * The restarted agent's hello reading (door closed) now finishes the step.
 */
describe.each(testDialects)('an unlock the station never carried out, on %s', (dialect) => {
  let s: StationScenario;
  let again: StationDouble | undefined;
  afterEach(async () => {
    again?.close();
    await s?.close();
  });

  it('is settled by the hello of the restarted station from the presence reading', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' });
    await s.link.next((m) => m.type === 'unlock');
    s.link.close(); // the agent dies before pulsing the lock

    again = await StationDouble.connect(s.server.url, s.station.token);
    // The loaner is still behind its closed door.
    const readings = [1, 2, 3, 4, 5, 6, 7, 8].map((number) => ({
      number,
      door: 'closed' as const,
      presence: number === txn.compartment,
      charging: false,
    }));
    await again.hello(readings);
    await again.ping();
    expect((await s.kioskTransaction(txn.id))?.status).not.toBe('in_progress');
    expect((await s.loans()).map((l) => l.status)).toEqual(['cancelled']);
    expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
  });
});
