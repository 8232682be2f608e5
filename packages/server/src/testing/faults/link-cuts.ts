import { setTimeout as sleep } from 'node:timers/promises';
import type { Dialect } from '@cubby/db';
import { startTestServer } from '../harness.js';
import { NetworkOutage } from '../network-outage.js';
import { seeded } from '../station-process.js';
import { waitFor } from '../offline-station.js';
import { BankStation, studentsAtWork } from './bank-station.js';
import { aFaultDistrict } from './district.js';
import { AcknowledgementLedger, doorMismatches } from './ledger.js';
import { everyTransactionSettled, judge, tally, type FaultOutcome } from './outcome.js';

export interface LinkCutOptions {
  dialect: Dialect;
  /** Link cuts in all, shared out over the stations. */
  cuts: number;
  stations?: number;
  seed?: number;
}

/**
 * Random network cuts between stations and the server while students borrow
 * and return: each station's link goes through its own relay, which drops
 * every connection at a random moment (mid-request, mid-door, mid-replay)
 * and comes back a random while later; during the cut the station serves
 * offline from its journal. The server runs in this process.
 */
export async function runLinkCuts(options: LinkCutOptions): Promise<FaultOutcome> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const random = seeded(seed);
  const server = await startTestServer(options.dialect, { CUBBY_POLICY_SNAPSHOT_SECONDS: '1' });
  const specs = await aFaultDistrict(server.cubby, server.services.keys, { stations: options.stations ?? 3 });
  const outages: NetworkOutage[] = [];
  const stations: BankStation[] = [];
  const ledger = new AcknowledgementLedger();
  let cuts = 0;
  try {
    for (const spec of specs) {
      const outage = await NetworkOutage.between(server.url);
      outages.push(outage);
      const station = new BankStation({ ...spec, serverUrl: outage.url });
      stations.push(station);
      await station.boot();
    }
    // Offline borrows need a snapshot: start once every station holds one.
    await waitFor(
      () => stations.every((s) => s.link.online && s.journal.snapshot() !== undefined),
      'the stations online with a policy snapshot',
      30_000,
    );

    const students = studentsAtWork(stations, ledger, random);
    const perStation = Math.ceil(options.cuts / stations.length);
    const cutters = stations.map(async (station, i) => {
      const outage = outages[i]!;
      for (let c = 0; c < perStation && cuts < options.cuts; c++) {
        await sleep(50 + Math.floor(random() * 400));
        outage.cut();
        cuts++;
        await sleep(20 + Math.floor(random() * 500));
        outage.restore();
        await waitFor(() => station.link.online, `station ${i + 1} back online`, 30_000);
      }
    });
    await Promise.all(cutters);
    await students.stop();

    for (const station of stations) await station.settled();
    await everyTransactionSettled(server.cubby);
    const doors = [];
    for (const station of stations)
      doors.push(await doorMismatches(server.cubby, station.stationId, await station.bank.readings()));
    const verdict = await judge(server.cubby, ledger, doors);
    return {
      scenario: 'link_cuts',
      db: options.dialect,
      seed,
      cuts,
      kills: 0,
      ...verdict,
      visits: tally(stations.map((s) => s.outcomes)),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const station of stations) await station.close();
    for (const outage of outages) await outage.close();
    await server.close();
  }
}
