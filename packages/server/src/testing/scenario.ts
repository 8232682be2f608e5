import type { Dialect } from '@cubby/db';
import type { LoanPolicy } from '@cubby/core';
import { aDistrict, aLoaner, aStation, aStudent } from './builders.js';
import { startTestServer } from './harness.js';
import { StationDouble } from './station-double.js';

/**
 * One station with a few loaners and a signed-in-able student, its link open:
 * the starting point of most kiosk tests.
 */
export async function aStationScenario(
  dialect: Dialect,
  options: { loaners?: number[]; compartments?: number; policy?: Partial<LoanPolicy> } = {},
) {
  const server = await startTestServer(dialect);
  const { districtId, siteId } = await aDistrict(server.cubby, { policy: options.policy ?? {} });
  const station = await aStation(server.cubby, siteId, { compartments: options.compartments ?? 8 });
  const loaners = [];
  for (const [i, charge] of (options.loaners ?? [90, 80]).entries()) {
    loaners.push(await aLoaner(server.cubby, districtId, station.compartments[i]!.id, { charge }));
  }
  const student = await aStudent(server.cubby, server.services.keys, districtId, { pin: '2468' });
  const link = await StationDouble.connect(server.url, station.token);
  await link.hello();
  return {
    server,
    districtId,
    siteId,
    station,
    loaners,
    student,
    link,
    async signIn(credential: Record<string, string> = { badge: student.badge }) {
      const result = await link.request({ type: 'auth', credential });
      if (!result.ok) throw new Error(`sign-in refused: ${JSON.stringify(result.error)}`);
      return (result.data as { session: string }).session;
    },
    async act(session: string, action: Record<string, unknown>) {
      return link.request({ type: 'request', session, action });
    },
    /** Plays the door: opened, then closed with the given presence reading. */
    async useDoor(compartment: number, presence: boolean) {
      const unlock = await link.next((m) => m.type === 'unlock' && m.compartment === compartment);
      link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment, commandId: unlock.commandId } });
      link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment, presence } });
      return unlock;
    },
    async transactionEnd(id: string) {
      const m = await link.next((x) => x.type === 'transaction' && (x.transaction as { id: string; status: string }).id === id && (x.transaction as { status: string }).status !== 'in_progress');
      return m.transaction as { id: string; status: string; error?: { code: string }; dueAt?: number };
    },
    async close() {
      link.close();
      await server.close();
    },
  };
}

export type StationScenario = Awaited<ReturnType<typeof aStationScenario>>;
