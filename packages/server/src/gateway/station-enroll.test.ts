import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { SimBank, silentLogger, startStation, stationCredential, type RunningStation } from '@cubby/station';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { waitFor } from '../testing/offline-station.js';
import { aUser, signIn } from '../testing/users.js';

/**
 * A new station from the dashboard to its first hello: an admin adds it and
 * gets a one-time code; the agent trades the code for its credential, keeps
 * it in a private file, connects, and uses the file from then on. The code
 * works once; revoking the station cuts it off.
 */
describe.each(testDialects)('enrolling a station with a one-time code on %s', (dialect) => {
  let server: TestServer | undefined;
  let station: RunningStation | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await station?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'trades the code once for a credential kept in a private file, connects, and stops when revoked',
    { timeout: 60_000 },
    async () => {
      server = await startTestServer(dialect);
      const { siteId } = await aDistrict(server.cubby);
      const admin = await signIn(server.app, await aUser(server.cubby, { role: 'site_admin', siteIds: [siteId] }));
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/stations',
        headers: admin.headers,
        payload: { siteId, name: 'Gym Lobby', compartments: 6 },
      });
      expect(created.statusCode, created.body).toBe(201);
      const stationId = created.json<{ id: string }>().id;
      const issued = await server.app.inject({
        method: 'POST',
        url: `/api/v1/stations/${stationId}/enrollment-code`,
        headers: admin.headers,
      });
      expect(issued.statusCode, issued.body).toBe(201);
      const { code } = issued.json<{ code: string }>();

      dir = mkdtempSync(join(tmpdir(), 'cubby-enroll-'));
      const tokenFile = join(dir, 'secrets', 'station-token');
      const token = await stationCredential({ serverUrl: server.url, enrollCode: code.toLowerCase(), tokenFile });
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      // The code is spent; the file is the credential from now on.
      await expect(stationCredential({ serverUrl: server.url, enrollCode: code, tokenFile: join(dir, 'other') })).rejects.toThrow(
        /enrollment refused \(401\)/,
      );
      expect(await stationCredential({ serverUrl: server.url, tokenFile })).toBe(token);

      const bank = new SimBank({ compartments: Array.from({ length: 6 }, (_, i) => ({ number: i + 1, hasCharger: true })) });
      station = await startStation({
        serverUrl: server.url,
        token,
        driver: bank,
        kioskPort: 0,
        logger: silentLogger,
        journalPath: join(dir, 'journal.db'),
        maxBackoffMs: 200,
      });
      const connected = () =>
        server!.cubby.db.selectFrom('stations').select('connected').where('id', '=', stationId).executeTakeFirstOrThrow();
      await waitFor(async () => (await connected()).connected === 1, 'the enrolled station to connect');

      expect(
        (await server.app.inject({ method: 'POST', url: `/api/v1/stations/${stationId}/revoke`, headers: admin.headers }))
          .statusCode,
      ).toBe(204);
      await waitFor(async () => (await connected()).connected === 0, 'the revoked station to drop');
      // It keeps trying with the old credential and stays out.
      await new Promise((r) => setTimeout(r, 600));
      expect((await connected()).connected).toBe(0);
      const audit = await server.cubby.db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', stationId)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['station.created', 'station.enrollment_code_issued', 'station.enrolled', 'station.revoked']),
      );
    },
  );
});
