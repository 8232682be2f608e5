import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain, type Dialect } from '@cubby/db';
import { Keys } from '../../secrets.js';
import { waitFor } from '../offline-station.js';
import { seeded } from '../station-process.js';
import { BankStation, studentsAtWork } from './bank-station.js';
import { aFaultDatabase } from './database.js';
import { aFaultDistrict } from './district.js';
import { AcknowledgementLedger, doorMismatches } from './ledger.js';
import { everyTransactionSettled, judge, tally, type FaultOutcome } from './outcome.js';
import { ServerProcess, faultSecret } from './server-process.js';

export interface ServerKillOptions {
  dialect: Dialect;
  kills: number;
  stations?: number;
  seed?: number;
}

/**
 * kill -9 of the server (a real child process, server-child.ts) at random
 * moments while students borrow and return at real station agents in this
 * process, then a restart on the same database and port. While it is down
 * the stations serve offline from their journals and replay them when it is
 * back. On PostgreSQL the restarted server's sealer must chain the audit
 * events written before the kill.
 */
export async function runServerKills(options: ServerKillOptions): Promise<FaultOutcome & { unsealedAtEnd: number }> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const random = seeded(seed);
  const database = await aFaultDatabase(options.dialect);
  const dir = mkdtempSync(join(tmpdir(), 'cubby-server-kills-'));
  const checker = database.open();
  const stations: BankStation[] = [];
  const ledger = new AcknowledgementLedger();
  let server: ServerProcess | undefined;
  try {
    const specs = await aFaultDistrict(checker, new Keys(faultSecret), { stations: options.stations ?? 2 });
    server = await ServerProcess.on(database, dir);
    await server.start();
    for (const spec of specs) {
      const station = new BankStation({ ...spec, serverUrl: server.url });
      stations.push(station);
      await station.boot();
    }
    await waitFor(
      () => stations.every((s) => s.link.online && s.journal.snapshot() !== undefined),
      'the stations online with a policy snapshot',
      30_000,
    );

    const students = studentsAtWork(stations, ledger, random);
    for (let k = 0; k < options.kills; k++) {
      // Up long enough for the stations to reconnect and replay, then killed at a random moment.
      await waitFor(() => stations.every((s) => s.link.online), 'the stations back online', 60_000);
      await sleep(200 + Math.floor(random() * 1_500));
      await server.kill();
      await sleep(Math.floor(random() * 800));
      await server.start();
    }
    await students.stop();
    for (const station of stations) await station.settled(60_000);
    await everyTransactionSettled(checker);
    // PostgreSQL: the running server's sealer, not this check, must chain what was written before the kills.
    await waitFor(
      async () => (await verifyAuditChain(checker)).unsealed === 0,
      'the server to seal every audit event',
      30_000,
    ).catch(() => {});
    const unsealedAtEnd = (await verifyAuditChain(checker)).unsealed;
    const doors = [];
    for (const station of stations) doors.push(await doorMismatches(checker, station.stationId, await station.bank.readings()));
    const verdict = await judge(checker, ledger, doors);
    return {
      scenario: 'server_kills',
      db: options.dialect,
      seed,
      cuts: 0,
      kills: options.kills,
      ...verdict,
      unsealedAtEnd,
      visits: tally(stations.map((s) => s.outcomes)),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const station of stations) await station.close();
    await server?.kill();
    await checker.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
