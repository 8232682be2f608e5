import { sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aDistrict, anApiToken } from '../../testing/builders.js';
import { aChromeOsDevice, FakeGoogle } from '../../testing/fake-google.js';
import { aDeviceOnRecord } from '../../testing/google-world.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';
import { runGoogleSync } from './sync.js';

/** The Google Admin sync against the local fake Google, on both databases (docs/google.md). */
describe.each(testDialects)('the Google sync on %s', (dialect) => {
  let server: TestServer;
  let google: FakeGoogle;
  let admin: string;
  const fast = { pageSize: 2, retries: 2, maxRetryDelayMs: 5 };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    await aDistrict(server.cubby);
    admin = await anApiToken(server.cubby, 'it', { scopes: ['integrations:write', 'fleet:read', 'audit:read'] });
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    google = await new FakeGoogle().start();
    await server.cubby.db.deleteFrom('devices').execute();
    await server.cubby.db.deleteFrom('google_syncs').execute();
  });
  afterEach(async () => google.close());

  const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });

  async function connect(overrides: Record<string, unknown> = {}) {
    const res = await call('PUT', '/api/v1/google', {
      serviceAccountKey: google.serviceAccountKey(),
      customerId: 'my_customer',
      adminEmail: google.adminEmail,
      directoryUrl: google.url,
      telemetryUrl: google.url,
      telemetry: false,
      syncIntervalMinutes: 0,
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  }
  const devices = () => server.cubby.db.selectFrom('devices').selectAll().orderBy('asset_tag').execute();

  it('stores the key sealed: never answered, never in the audit log, not in the database in clear', async () => {
    const res = await connect();
    expect(res.json()).toMatchObject({ connected: true, clientEmail: google.clientEmail, adminEmail: google.adminEmail });
    expect(res.body).not.toContain('PRIVATE KEY');
    expect((await call('GET', '/api/v1/google')).body).not.toContain('PRIVATE KEY');
    const row = await server.cubby.db.selectFrom('google_connections').selectAll().executeTakeFirstOrThrow();
    expect(row.key_sealed).not.toContain('PRIVATE KEY');
    expect(row.key_sealed).not.toContain(google.clientEmail);
    await sealAuditChain(server.cubby);
    const audit = await server.cubby.db.selectFrom('audit_events').select('data').where('action', 'like', 'google.%').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('PRIVATE KEY');
    // Changing the settings without a key keeps the stored one.
    expect(
      (
        await call('PUT', '/api/v1/google', {
          adminEmail: google.adminEmail,
          directoryUrl: google.url,
          telemetry: false,
          syncIntervalMinutes: 60,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await server.cubby.db.selectFrom('google_connections').select('key_sealed').executeTakeFirstOrThrow()).key_sealed,
    ).toBe(row.key_sealed);
  });

  it('refuses a key that is not a service account key, with a problem', async () => {
    const res = await call('PUT', '/api/v1/google', {
      serviceAccountKey: '{"type":"authorized_user"}',
      adminEmail: 'a@b.c',
      telemetry: false,
      syncIntervalMinutes: 0,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'bad_request', detail: expect.stringContaining('service account') });
  });

  it('matches Google devices by serial or asset tag over every page, writes their fields and reports what did not match', async () => {
    const bySerial = await aDeviceOnRecord(server.cubby, { serial: '5CD1111AAA', asset_tag: 'LN-001' });
    const byTag = await aDeviceOnRecord(server.cubby, { serial: null, asset_tag: 'LN-002' });
    const notInGoogle = await aDeviceOnRecord(server.cubby, { serial: 'NOPE', asset_tag: 'LN-003' });
    google.chromeOsDevices = [
      aChromeOsDevice({
        deviceId: 'g1',
        serialNumber: '5cd1111aaa',
        orgUnitPath: '/Students/Loaners',
        lastSync: '2026-11-30T14:05:00.000Z',
        autoUpdateExpiration: '1938729600000',
      }),
      aChromeOsDevice({
        deviceId: 'g2',
        serialNumber: '5CD2222BBB',
        annotatedAssetId: 'ln-002',
        status: 'DISABLED',
        annotatedUser: 'jdoe@district.example',
      }),
      aChromeOsDevice({ deviceId: 'g3', serialNumber: '5CD3333CCC', annotatedAssetId: 'UNKNOWN-9' }),
      aChromeOsDevice({ deviceId: 'g4', serialNumber: '5CD4444DDD' }),
      aChromeOsDevice({ deviceId: 'g5', serialNumber: '5CD5555EEE' }),
    ];
    await connect();
    const run = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(run.outcome).toBe('succeeded');
    expect(run.counts).toMatchObject({ seen: 5, matched: 2, updated: 2, onlyInGoogle: 3, onlyInCubby: 1 });
    expect(run.unmatched.onlyInGoogle.map((d) => d.serial)).toEqual(['5CD3333CCC', '5CD4444DDD', '5CD5555EEE']);
    expect(run.unmatched.onlyInCubby).toEqual([{ serial: 'NOPE', assetTag: 'LN-003', model: null }]);
    // Three pages of two, each asking for the next with the token Google gave, projection FULL.
    const pages = google.requestsTo('directory');
    expect(pages.map((p) => p.query.pageToken ?? null)).toEqual([null, expect.any(String), expect.any(String)]);
    expect(pages.every((p) => p.query.projection === 'FULL' && p.path.includes('/customer/my_customer/'))).toBe(true);
    // The grant: a signed assertion from the service account, acting as the admin, for the read-only scope.
    const [token] = google.requestsTo('token');
    expect(token!.claims).toMatchObject({
      iss: google.clientEmail,
      sub: google.adminEmail,
      aud: 'https://oauth2.googleapis.com/token',
      scope: 'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly',
    });
    const rows = await devices();
    expect(rows).toHaveLength(3); // nothing created
    const first = rows.find((d) => d.id === bySerial.id)!;
    expect(first).toMatchObject({
      google_device_id: 'g1',
      google_org_unit_path: '/Students/Loaners',
      google_status: 'ACTIVE',
      google_recent_user: 'student@district.example',
    });
    expect(Number(first.google_last_sync)).toBe(Date.parse('2026-11-30T14:05:00.000Z'));
    expect(Number(first.os_updates_end)).toBe(1938729600000);
    expect(rows.find((d) => d.id === byTag.id)).toMatchObject({
      google_device_id: 'g2',
      google_status: 'DISABLED',
      google_annotated_user: 'jdoe@district.example',
    });
    expect(rows.find((d) => d.id === notInGoogle.id)!.google_device_id).toBeNull();

    // Re-running with nothing new at Google changes no device.
    const again = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(again.counts).toMatchObject({ matched: 2, updated: 0 });

    await sealAuditChain(server.cubby);
    const audited = await server.cubby.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type'])
      .where('action', '=', 'google.synced')
      .execute();
    expect(audited).toHaveLength(2);
    const history = (await call('GET', '/api/v1/google')).json();
    expect(history.recentSyncs.map((r: { trigger: string }) => r.trigger)).toEqual(['cli', 'cli']);
  });

  it('on demand through the API as the signed-in caller; refused (409) when Google is not connected', async () => {
    expect((await call('DELETE', '/api/v1/google')).statusCode).toBeGreaterThanOrEqual(204);
    const before = await call('POST', '/api/v1/google/sync');
    expect(before.statusCode).toBe(409);
    expect(before.json()).toMatchObject({ code: 'conflict', detail: expect.stringContaining('not connected') });
    await connect();
    google.chromeOsDevices = [aChromeOsDevice()];
    const res = await call('POST', '/api/v1/google/sync');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ trigger: 'dashboard', outcome: 'succeeded', counts: { seen: 1, onlyInGoogle: 1 } });
    expect((await call('POST', '/api/v1/google/test')).json()).toMatchObject({ ok: true });
  });

  it('a 429 is retried and the sync goes on', async () => {
    await aDeviceOnRecord(server.cubby, { serial: 'S1' });
    google.chromeOsDevices = [aChromeOsDevice({ serialNumber: 'S1' }), aChromeOsDevice(), aChromeOsDevice()];
    google.fail({ api: 'directory', page: 2, status: 429 });
    await connect();
    const run = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { seen: 3, matched: 1 } });
    expect(google.requestsTo('directory')).toHaveLength(3); // page 1, page 2 refused, page 2 again
  });

  const failures: [string, Parameters<FakeGoogle['fail']>[0], RegExp][] = [
    ['a 500 that persists', { api: 'directory', page: 2, status: 500, times: 10 }, /page 2: HTTP 500/],
    ['a 429 that persists past the retries', { api: 'directory', page: 1, status: 429, times: 10 }, /HTTP 429.*quota/i],
    ['a 403 (no privilege)', { api: 'directory', page: 1, status: 403 }, /HTTP 403.*privilege/],
    ['a 401 from the API', { api: 'directory', page: 1, status: 401 }, /HTTP 401/],
    ['a malformed page', { api: 'directory', page: 2, malformed: true }, /page 2 with something that is not a device list/],
  ];
  it.each(failures)('%s fails the run: recorded with its error, audited, no device written', async (_name, fault, message) => {
    const known = await aDeviceOnRecord(server.cubby, { serial: 'S1' });
    google.chromeOsDevices = [aChromeOsDevice({ serialNumber: 'S1' }), aChromeOsDevice(), aChromeOsDevice()];
    google.fail(fault);
    await connect();
    await expect(runGoogleSync(server.services, { trigger: 'cli', ...fast })).rejects.toMatchObject({
      code: 'integration_failed',
      message: expect.stringMatching(message),
    });
    expect((await devices()).find((d) => d.id === known.id)!.google_device_id).toBeNull();
    const [run] = (await call('GET', '/api/v1/google')).json().recentSyncs;
    expect(run).toMatchObject({ outcome: 'failed', error: expect.stringMatching(message) });
    await sealAuditChain(server.cubby);
    expect(
      await server.cubby.db.selectFrom('audit_events').select('action').where('action', '=', 'google.sync_failed').execute(),
    ).not.toHaveLength(0);
    // The claim is released: the next run may start.
    expect(
      (await server.cubby.db.selectFrom('google_connections').select('sync_claimed_at').executeTakeFirstOrThrow())
        .sync_claimed_at,
    ).toBeNull();
  });

  it('an admin Google does not delegate to is refused at the token endpoint (401 unauthorized_client), as a 502 problem', async () => {
    await connect({ adminEmail: 'someone-else@district.example' });
    const res = await call('POST', '/api/v1/google/sync');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      code: 'integration_failed',
      detail: expect.stringMatching(/HTTP 401.*unauthorized|delegation/i),
    });
    expect((await call('POST', '/api/v1/google/test')).json()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('401'),
    });
  });

  it('a key Google does not know fails the grant (invalid signature)', async () => {
    await connect();
    google.forgetKey();
    await expect(runGoogleSync(server.services, { trigger: 'cli', ...fast })).rejects.toMatchObject({
      code: 'integration_failed',
      message: expect.stringContaining('Invalid JWT Signature'),
    });
  });

  it('one run at a time: a second sync while one runs is refused', async () => {
    google.chromeOsDevices = Array.from({ length: 6 }, () => aChromeOsDevice());
    await connect();
    const results = await Promise.allSettled([
      runGoogleSync(server.services, { trigger: 'cli', ...fast }),
      runGoogleSync(server.services, { trigger: 'cli', ...fast }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict', message: expect.stringContaining('already running') });
  });
});
