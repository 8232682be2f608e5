import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoanPolicy } from '@cubby/core';
import type { Dialect } from '@cubby/db';
import { snapshotTables } from '@cubby/db/testing';
import { aDistrict, aLoaner, aPastVisit, aStation, aStudent } from '@cubby/server/testing';
import { SimBank, silentLogger, startStation, type KioskSettings, type RunningStation } from '@cubby/station';
import { kioskDistDir } from '../packages/web/scripts/kiosk-build.js';
import { startTestServer, type TestServer } from '../packages/server/src/testing/harness.js';
import { startRestartableServer, type RestartableServer } from './restartable-server.js';

export interface KioskSetup {
  dialect?: Dialect;
  /** Charge of each loaner, placed in compartments 1, 2, … Default: 90 and 80. */
  loaners?: number[];
  compartments?: number;
  policy?: Partial<LoanPolicy>;
  /** The district's own loaner agreement text. */
  agreement?: { en: string[]; es: string[] };
  kiosk?: KioskSettings;
  stationName?: string;
  /** Extra data to put in before the bank starts; the bank mirrors what the compartments then hold. */
  seed?: (ctx: SeedContext) => Promise<void>;
  /**
   * Offline mode: the station keeps an offline journal in a temporary file, and the server
   * (SQLite) can be stopped and started again on the same database and port (`kiosk.restartable`).
   */
  offline?: boolean;
}

export interface SeedContext {
  server: TestServer;
  districtId: string;
  siteId: string;
  station: Awaited<ReturnType<typeof aStation>>;
}

/**
 * The whole product for one browser test: a real server on a fresh test
 * database, a station in it, and a real station agent on a simulated bank
 * that serves the built kiosk app. The test plays the student at the bank
 * (take, put, close) through `bank`.
 */
export async function startKiosk(setup: KioskSetup = {}) {
  const restartable: RestartableServer | undefined = setup.offline ? await startRestartableServer() : undefined;
  const server: TestServer = restartable ?? (await startTestServer(setup.dialect ?? 'sqlite'));
  const { districtId, siteId } = await aDistrict(server.cubby, {
    policy: setup.policy ?? {},
    ...(setup.agreement ? { agreement: setup.agreement } : {}),
  });
  const count = setup.compartments ?? 12;
  const station = await aStation(server.cubby, siteId, {
    compartments: count,
    ...(setup.stationName ? { name: setup.stationName } : {}),
  });
  const charges = setup.loaners ?? [90, 80];
  const loaners = [];
  for (const [i, charge] of charges.entries()) {
    loaners.push({ ...(await aLoaner(server.cubby, districtId, station.compartments[i]!.id, { charge })), compartment: i + 1 });
  }
  await setup.seed?.({ server, districtId, siteId, station });
  const held = await server.cubby.db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select(['compartments.number', 'compartments.presence', 'devices.battery_percent'])
    .where('compartments.station_id', '=', station.stationId)
    .orderBy('compartments.number')
    .execute();
  const bank = new SimBank({
    compartments: held.map((c) => ({
      number: c.number,
      hasCharger: true,
      ...(c.presence === 1 ? { device: { battery: c.battery_percent ?? 80 } } : {}),
    })),
    // A jammed lock gives up quickly, so failover shows within a second.
    openTimeoutMs: 600,
  });
  const journalDir = setup.offline ? mkdtempSync(join(tmpdir(), 'cubby-e2e-journal-')) : undefined;
  let running: RunningStation;
  try {
    running = await startStation({
      serverUrl: server.url,
      token: station.token,
      driver: bank,
      kioskPort: 0,
      logger: silentLogger,
      staticDir: kioskDistDir,
      minBackoffMs: 20,
      maxBackoffMs: 200,
      ...(journalDir ? { journalPath: join(journalDir, 'journal.db') } : {}),
      ...(setup.kiosk ? { kiosk: setup.kiosk } : {}),
    });
  } catch (error) {
    await server.close();
    if (journalDir) rmSync(journalDir, { recursive: true, force: true });
    throw error;
  }
  if (!running.link.online) await new Promise<void>((resolve) => running.link.once('online', () => resolve()));
  const db = server.cubby.db;

  return {
    server,
    districtId,
    siteId,
    station,
    loaners,
    bank,
    /** Set with `restartable`: stop and start the server on the same database and port. */
    restartable,
    agent: running.agent,
    link: running.link,
    url: running.kioskUrl,
    /** A student with a badge, a student number and a PIN; offline, one who used this station lately (so its snapshot lists them). */
    async aStudent(options: { givenName?: string; badge?: string; studentNumber?: string; pin?: string } = {}) {
      const student = await aStudent(server.cubby, server.services.keys, districtId, { pin: '2468', ...options });
      if (setup.offline) await aPastVisit(server.cubby, station.stationId, student.personId);
      return student;
    },
    /** Plays a whole borrow through the agent (no browser), so the student holds an active loan. */
    async borrowed(badge: string) {
      await running.agent.signIn({ badge });
      const { transaction } = await running.agent.act({ kind: 'borrow', reason: 'forgotten' });
      const compartment = transaction!.compartment!;
      await until(() => bank.door(compartment) === 'open');
      bank.take(compartment);
      bank.closeDoor(compartment);
      const end = await running.agent.waitForTransaction(transaction!.id);
      if (end.status !== 'completed') throw new Error(`borrow did not complete: ${JSON.stringify(end)}`);
      running.agent.signOut();
      return compartment;
    },
    loans(personId?: string) {
      let query = db
        .selectFrom('loans')
        .innerJoin('devices', 'devices.id', 'loans.device_id')
        .select([
          'loans.id',
          'loans.status',
          'loans.reason',
          'loans.person_id',
          'devices.asset_tag',
          'devices.status as device_status',
        ]);
      if (personId) query = query.where('loans.person_id', '=', personId);
      return query.orderBy('loans.created_at').execute();
    },
    compartment(number: number) {
      return db
        .selectFrom('compartments')
        .selectAll()
        .where('station_id', '=', station.stationId)
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
    },
    device(id: string) {
      return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    },
    transactions() {
      return db.selectFrom('kiosk_transactions').select(['kind', 'status', 'error_code']).orderBy('created_at').execute();
    },
    async auditActions() {
      return (await db.selectFrom('audit_events').select('action').orderBy('seq').execute()).map((a) => a.action);
    },
    snapshot() {
      return snapshotTables(server.cubby);
    },
    async close() {
      await running.close();
      await server.close();
      if (journalDir) rmSync(journalDir, { recursive: true, force: true });
    },
  };
}

export type Kiosk = Awaited<ReturnType<typeof startKiosk>>;

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
