/*
 * PENDING — not run by `npm test` (the file name does not end in .test.ts).
 * This kill -9 test of the station agent reproduces an open bug: after kills,
 * `completeStep` can hit `UNIQUE constraint failed: compartments.device_id`,
 * and the same error inside `stationConnected` rolls back the hello, so the
 * station never gets `welcome` again. Rename to station-kill.test.ts (in
 * ../gateway/) once that is fixed; see the issue notes and docs/offline.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aDistrict, aLoaner, aStation, aStudent } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { waitFor } from '../testing/offline-station.js';
import { StationProcess, kioskVisit, seeded } from '../testing/station-process.js';

/**
 * kill -9 of the station agent (a real child process) at seeded random
 * moments while kiosk flows run through its kiosk HTTP API, then a restart on
 * the same journal file and the same sim bank. Nothing the kiosk was told is
 * completed may be lost or counted twice, and the server must end up seeing
 * the doors as they are.
 */
describe.each(testDialects)('station agent killed with SIGKILL on %s', (dialect) => {
  let server: TestServer | undefined;
  let station: StationProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await station?.kill();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged transaction and leaves doors, audit chain and invariants right', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.CUBBY_KILL_SEED ?? 20261123);
    const random = seeded(seed);
    server = await startTestServer(dialect);
    const { districtId, siteId } = await aDistrict(server.cubby, { policy: { maxActiveLoans: 1, minChargePercent: 0 } });
    const doors = 6;
    const st = await aStation(server.cubby, siteId, { compartments: doors });
    for (const n of [0, 1, 2]) await aLoaner(server.cubby, districtId, st.compartments[n]!.id, { charge: 90 });
    const badges: string[] = [];
    for (let i = 0; i < 3; i++) badges.push((await aStudent(server.cubby, server.services.keys, districtId)).badge);
    dir = mkdtempSync(join(tmpdir(), 'cubby-station-kill-'));
    station = new StationProcess({ dir, serverUrl: server.url, token: st.token, compartments: doors, loaded: [1, 2, 3] });

    const acknowledged: string[] = [];
    for (let round = 0; round < 3; round++) {
      const kioskUrl = await station.start();
      // Flows start once the hello is in. Offline visits during the reconnect would let the
      // sim's autopilot "return" one loaner twice (at the old door and at a new one), which no
      // real student can do, and which the server cannot settle (see the report).
      await station.online();
      // Each student alternates borrow and return; a refusal (already holding one, nothing to return) is fine.
      let running = true;
      const students = badges.map(async (badge, i) => {
        let borrow = true;
        while (running) {
          const outcome = await kioskVisit(kioskUrl, badge, borrow ? { kind: 'borrow', reason: 'forgotten' } : { kind: 'return' });
          if (outcome.status === 'completed' && outcome.id) acknowledged.push(outcome.id);
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
    const cubby = server.cubby;
    await waitFor(
      async () => (await cubby.db.selectFrom('kiosk_transactions').select('id').where('status', '=', 'in_progress').execute()).length === 0,
      'every transaction to settle after the restart',
      60_000,
    ).catch(async (error: unknown) => {
      const stuck = await cubby.db.selectFrom('kiosk_transactions').selectAll().where('status', '=', 'in_progress').execute();
      const held = await cubby.db.selectFrom('compartments').selectAll().where('transaction_id', 'is not', null).execute();
      throw new Error(`${String(error)}: ${JSON.stringify({ stuck, held })}`);
    });
    await station.stop();

    const rows = await cubby.db.selectFrom('kiosk_transactions').select(['id', 'request_id', 'status']).execute();
    // An offline transaction (the restarted agent serves before its link is back) is
    // recorded by the replay with request_id journal:<the kiosk's id>.
    const lost = acknowledged.filter((id) => rows.filter((r) => (r.id === id || r.request_id === `journal:${id}`) && r.status === 'completed').length !== 1);
    expect({ seed, lost, rows: rows.filter((r) => lost.includes(r.id)) }).toEqual({ seed, lost: [], rows: [] });
    expect(new Set(acknowledged).size).toBe(acknowledged.length);

    // No door the server believes loaded (or empty) that the bank says otherwise.
    const bank = JSON.parse(readFileSync(station.statePath, 'utf8')) as Record<string, number>;
    const compartments = await cubby.db.selectFrom('compartments').select(['number', 'status']).where('station_id', '=', st.stationId).orderBy('number').execute();
    expect(compartments.map((c) => [c.number, c.status === 'loaded'])).toEqual(compartments.map((c) => [c.number, String(c.number) in bank]));
    expect(await lockerInvariantViolations(cubby)).toEqual([]);
  });
});
