import { sealAuditChain } from '@cubby/db';
import type { Dialect } from '@cubby/db';
import { snapshotTables } from '@cubby/db/testing';
import type { LoanPolicy } from '@cubby/core';
import { aDistrict, aLoaner, aStation, aStudent, type LoanerCharge } from './builders.js';
import { startTestServer } from './harness.js';
import { StationDouble } from './station-double.js';

export interface TransactionSeen {
  id: string;
  kind: string;
  status: string;
  compartment: number | null;
  purpose: string | null;
  error?: { code: string };
  dueAt?: number;
  openDoors?: number[];
}

/**
 * One station with a few loaners and a signed-in-able student, its link open:
 * the starting point of most kiosk tests.
 */
export async function aStationScenario(
  dialect: Dialect,
  options: {
    /** Each loaner's charge, or its charge facts (see aLoaner). */
    loaners?: (number | LoanerCharge)[];
    compartments?: number;
    policy?: Partial<LoanPolicy>;
    env?: Record<string, string>;
  } = {},
) {
  const server = await startTestServer(dialect, options.env);
  const { districtId, siteId } = await aDistrict(server.cubby, { policy: options.policy ?? {} });
  const station = await aStation(server.cubby, siteId, { compartments: options.compartments ?? 8 });
  const loaners = [];
  for (const [i, charge] of (options.loaners ?? [90, 80]).entries()) {
    const facts = typeof charge === 'number' ? { charge } : charge;
    loaners.push(await aLoaner(server.cubby, districtId, station.compartments[i]!.id, facts));
  }
  const student = await aStudent(server.cubby, server.services.keys, districtId, { pin: '2468' });
  const link = await StationDouble.connect(server.url, station.token);
  await link.hello();
  const otherLinks: StationDouble[] = [];
  const db = server.cubby.db;
  return {
    server,
    districtId,
    siteId,
    station,
    loaners,
    student,
    link,
    async signIn(credential: Record<string, string> = { badge: student.badge }, at: StationDouble = link) {
      const result = await at.request({ type: 'auth', credential });
      if (!result.ok) throw new Error(`sign-in refused: ${JSON.stringify(result.error)}`);
      return (result.data as { session: string }).session;
    },
    async act(session: string, action: Record<string, unknown>, at: StationDouble = link) {
      return at.request({ type: 'request', session, action });
    },
    /** Starts an action that must be accepted, and returns its transaction. */
    async start(session: string, action: Record<string, unknown>, at: StationDouble = link): Promise<TransactionSeen> {
      const result = await at.request({ type: 'request', session, action });
      if (!result.ok) throw new Error(`request refused: ${JSON.stringify(result.error)}`);
      return (result.data as { transaction: TransactionSeen }).transaction;
    },
    /** Plays the door: opened, then closed with the given presence reading. */
    async useDoor(compartment: number, presence: boolean, at: StationDouble = link) {
      const unlock = await at.next((m) => m.type === 'unlock' && m.compartment === compartment);
      at.openAndClose(unlock, presence);
      return unlock;
    },
    async transactionEnd(id: string, at: StationDouble = link): Promise<TransactionSeen> {
      const m = await at.next(
        (x) =>
          x.type === 'transaction' &&
          (x.transaction as TransactionSeen).id === id &&
          (x.transaction as TransactionSeen).status !== 'in_progress',
      );
      return m.transaction as TransactionSeen;
    },
    /** Signs the student in and plays a whole borrow, so they hold an active loan. */
    async borrowed(reason = 'forgotten') {
      const session = await this.signIn();
      const txn = await this.start(session, { kind: 'borrow', reason });
      await this.useDoor(txn.compartment!, false);
      const end = await this.transactionEnd(txn.id);
      if (end.status !== 'completed') throw new Error(`borrow did not complete: ${JSON.stringify(end)}`);
      return { session, compartment: txn.compartment!, transactionId: txn.id };
    },
    /** A second station at the same site, its link open and greeted. */
    async anotherStation(name = 'Cafeteria') {
      const other = await aStation(server.cubby, siteId, { name, compartments: 4 });
      const otherLink = await StationDouble.connect(server.url, other.token);
      otherLinks.push(otherLink);
      await otherLink.hello();
      return { station: other, link: otherLink };
    },
    /** A link whose station has not said hello yet (or never will). */
    async rawLink(token: string) {
      const raw = await StationDouble.connect(server.url, token);
      otherLinks.push(raw);
      return raw;
    },
    compartment(number: number, stationId = station.stationId) {
      return db
        .selectFrom('compartments')
        .selectAll()
        .where('station_id', '=', stationId)
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
    },
    device(id: string) {
      return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    },
    loans() {
      return db.selectFrom('loans').selectAll().orderBy('created_at').execute();
    },
    kioskTransaction(id: string) {
      return db.selectFrom('kiosk_transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    },
    async auditActions() {
      await sealAuditChain(server.cubby);
      return (await db.selectFrom('audit_events').select('action').orderBy('seq').execute()).map((a) => a.action);
    },
    snapshot() {
      return snapshotTables(server.cubby);
    },
    async close() {
      for (const l of otherLinks) l.close();
      link.close();
      await server.close();
    },
  };
}

export type StationScenario = Awaited<ReturnType<typeof aStationScenario>>;
