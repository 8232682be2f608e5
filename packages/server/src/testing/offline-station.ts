import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '@cubby/db';
import type { LoanPolicy } from '@cubby/core';
import { OfflineJournal, SimBank, StationAgent, StationLink, type ActionResult, type Logger } from '@cubby/station';
import type { Logger as ServerLogger } from 'pino';
import { aDistrict, aLoaner, aPastVisit, aStation, aStudent } from './builders.js';
import { startTestServer } from './harness.js';
import { NetworkOutage } from './network-outage.js';

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A real server, a real station agent on a sim bank with its offline journal
 * in a file, and a network between them that tests can cut: loaners behind
 * the first doors, empty doors after them, and a few students.
 */
export async function anOfflineCapableStation(
  dialect: Dialect,
  options: {
    loaners?: number[];
    students?: number;
    doors?: number;
    policy?: Partial<LoanPolicy>;
    env?: Record<string, string>;
    /** Loggers for a test that reads what the server and the station log. */
    serverLog?: ServerLogger;
    stationLog?: Logger;
  } = {},
) {
  const server = await startTestServer(
    dialect,
    { CUBBY_POLICY_SNAPSHOT_SECONDS: '1', ...options.env },
    options.serverLog ? { log: options.serverLog } : {},
  );
  const { districtId, siteId } = await aDistrict(server.cubby, { policy: options.policy ?? {} });
  const charges = options.loaners ?? [95, 90];
  const station = await aStation(server.cubby, siteId, { compartments: options.doors ?? 6 });
  const loaners = [];
  for (const [i, charge] of charges.entries())
    loaners.push(await aLoaner(server.cubby, districtId, station.compartments[i]!.id, { charge }));
  const students = [];
  for (let i = 0; i < (options.students ?? 2); i++) {
    const student = await aStudent(server.cubby, server.services.keys, districtId, { pin: '2468' });
    // Offline, a station knows only the people who used it lately: these students have.
    await aPastVisit(server.cubby, station.stationId, student.personId);
    students.push(student);
  }
  const outage = await NetworkOutage.between(server.url);
  const dir = mkdtempSync(join(tmpdir(), 'cubby-journal-'));
  const journalPath = join(dir, 'journal.db');
  const bank = new SimBank({
    compartments: station.compartments.map((c, i) => ({
      number: c.number,
      hasCharger: true,
      ...(i < charges.length ? { device: { battery: charges[i]! } } : {}),
    })),
    openTimeoutMs: 1_000,
  });
  let journal!: OfflineJournal;
  let link!: StationLink;
  let agent!: StationAgent;
  let running = false;

  const world = {
    server,
    districtId,
    /** The folder of the station's journal file (and its WAL): what a stolen kiosk's disk holds. */
    journalDir: dir,
    station,
    loaners,
    students,
    outage,
    bank,
    get journal() {
      return journal;
    },
    get link() {
      return link;
    },
    get agent() {
      return agent;
    },
    /** Starts (or restarts) the agent on the same journal file. */
    async boot() {
      journal = new OfflineJournal(journalPath);
      link = new StationLink({
        serverUrl: outage.url,
        token: station.token,
        readings: () => bank.readings(),
        minBackoffMs: 20,
        maxBackoffMs: 100,
        welcomeTimeoutMs: 2_000,
        ...(options.stationLog ? { logger: options.stationLog } : {}),
      });
      agent = new StationAgent({
        driver: bank,
        link,
        journal,
        requestTimeoutMs: 5_000,
        ...(options.stationLog ? { logger: options.stationLog } : {}),
      });
      await agent.start();
      link.start();
      running = true;
    },
    /** Stops the agent as a power cut would, keeping the journal file. */
    async shutdown() {
      if (!running) return;
      running = false;
      await agent.close();
      await link.close();
      journal.close();
    },
    /** Online with a policy snapshot issued from now on. */
    async online() {
      outage.restore();
      const since = Date.now();
      await waitFor(() => link.online && (journal.snapshot()?.issuedAt ?? 0) >= since, 'the link and a fresh snapshot');
    },
    async offline() {
      outage.cut();
      await waitFor(() => !link.online, 'the link to drop');
    },
    async journalDrained() {
      await waitFor(() => link.online && journal.entries().length === 0, 'the journal to drain');
      await agent.replayJournal();
    },
    /** One visit: sign in, ask, and take or put a device at the door that opens. `midway` runs while that door is open. */
    async visit(
      badge: string,
      action: { kind: 'borrow'; reason: 'forgotten' } | { kind: 'return' },
      midway: () => Promise<void> = async () => {},
    ) {
      try {
        await agent.signIn({ badge });
        const result: ActionResult = await agent.act(action);
        const txn = result.transaction!;
        if (txn.status !== 'in_progress') return { status: txn.status, id: txn.id, offline: result.offline === true };
        const door = txn.compartment!;
        await waitFor(() => bank.door(door) === 'open', `door ${door} to open`);
        await midway();
        if (action.kind === 'borrow') bank.take(door);
        else bank.put(door, 60);
        bank.closeDoor(door);
        // An online transaction finishes on the server: it needs the link back to hear the door closed.
        if (result.offline !== true && !link.online) await world.online();
        const end = await agent.waitForTransaction(txn.id, undefined, 15_000);
        return { status: end.status, id: txn.id, offline: result.offline === true };
      } catch (error) {
        return { status: 'refused', code: (error as { code?: string }).code ?? String(error), offline: !link.online };
      } finally {
        agent.signOut();
      }
    },
    loans() {
      return server.cubby.db.selectFrom('loans').selectAll().orderBy('created_at').execute();
    },
    async close() {
      await world.shutdown();
      await outage.close();
      await bank.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

export type OfflineCapableStation = Awaited<ReturnType<typeof anOfflineCapableStation>>;
