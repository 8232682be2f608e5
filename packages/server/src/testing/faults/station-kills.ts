import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '@cubby/db';
import type { CompartmentReading } from '@cubby/protocol';
import { startTestServer } from '../harness.js';
import { StationProcess, kioskVisit, seeded } from '../station-process.js';
import { aFaultDistrict } from './district.js';
import { AcknowledgementLedger, doorMismatches } from './ledger.js';
import { everyTransactionSettled, judge, type FaultOutcome } from './outcome.js';

export interface StationKillOptions {
  dialect: Dialect;
  kills: number;
  seed?: number;
}

/**
 * kill -9 of the station agent (a real child process, station-child.ts) at
 * random moments while three students borrow and return through its kiosk
 * HTTP API, then a restart on the same journal file and the same sim bank
 * (kept in a file, so the restarted agent finds the doors as they were left).
 * The server runs in this process.
 */
export async function runStationKills(options: StationKillOptions): Promise<FaultOutcome> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const random = seeded(seed);
  const server = await startTestServer(options.dialect);
  const [spec] = await aFaultDistrict(server.cubby, server.services.keys, { stations: 1, doors: 6, loaners: 3, students: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'cubby-station-kills-'));
  const station = new StationProcess({
    dir,
    serverUrl: server.url,
    token: spec!.token,
    compartments: spec!.doors,
    loaded: spec!.loaded,
  });
  const ledger = new AcknowledgementLedger();
  const visits = new Map<string, number>();
  try {
    for (let round = 0; round < options.kills; round++) {
      const kioskUrl = await station.start();
      // Flows start once the hello is in: the child's autopilot puts "a device" into any
      // return door, so an offline return during the reconnect could return a loaner the
      // student no longer holds (it is behind the door of the online return the kill cut
      // short), which no real student can do. Offline work is the link-cut scenario's.
      await station.online();
      let running = true;
      // Three students share the one kiosk, and their visits overlap: sessions replace each
      // other and requests race (a double tap), which is how two returns of one loan were found.
      const students = spec!.badges.map(async (badge, i) => {
        let borrow = true;
        while (running) {
          const outcome = await kioskVisit(
            kioskUrl,
            badge,
            borrow ? { kind: 'borrow', reason: 'forgotten' } : { kind: 'return' },
          );
          visits.set(outcome.status, (visits.get(outcome.status) ?? 0) + 1);
          if (outcome.status === 'completed' && outcome.id)
            ledger.add({ id: outcome.id, kind: borrow ? 'borrow' : 'return', offline: false });
          if (outcome.status === 'lost_contact') return;
          borrow = !borrow;
          await new Promise((resolve) => setTimeout(resolve, 10 + i * 7));
        }
      });
      // Kill at a random moment once the kiosk API is up: before, during or after a door step.
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 2_500)));
      await station.kill();
      running = false;
      await Promise.all(students);
    }

    // The last boot: its hello tells the server how the doors really are; then everything settles.
    await station.start();
    await station.online();
    await everyTransactionSettled(server.cubby);
    await station.stop();

    // Every door is closed once the agent stops; the bank file says what is inside.
    const bank = JSON.parse(readFileSync(station.statePath, 'utf8')) as Record<string, number>;
    const readings: CompartmentReading[] = Array.from({ length: spec!.doors }, (_, i) => ({
      number: i + 1,
      door: 'closed',
      presence: String(i + 1) in bank,
      charging: false,
    }));
    const verdict = await judge(server.cubby, ledger, [await doorMismatches(server.cubby, spec!.stationId, readings)]);
    return {
      scenario: 'station_kills',
      db: options.dialect,
      seed,
      cuts: 0,
      kills: options.kills,
      ...verdict,
      visits: Object.fromEntries(visits),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await station.kill();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
