import { estimateCharge } from '@cubby/core';
import { loanerCandidates, saveDistrictSettings } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGoogleSyncJob } from '../../jobs/google-sync.js';
import { aDistrict, aLoaner, anApiToken, aStation } from '../../testing/builders.js';
import { aChromeOsDevice, aTelemetryDevice, FakeGoogle } from '../../testing/fake-google.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';
import { runGoogleSync } from './sync.js';

const minute = 60_000;
const hour = 60 * minute;

/** Battery telemetry through the Google sync, and the sync on its schedule, on both databases. */
describe.each(testDialects)('Google telemetry and the scheduled sync on %s', (dialect) => {
  let server: TestServer;
  let google: FakeGoogle;
  let admin: string;
  let districtId: string;
  let stationId: string;
  let doors: { id: string }[];
  const fast = { pageSize: 2, retries: 1, maxRetryDelayMs: 5 };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    let siteId: string;
    ({ districtId, siteId } = await aDistrict(server.cubby));
    ({ stationId, compartments: doors } = await aStation(server.cubby, siteId, { compartments: 6 }));
    admin = await anApiToken(server.cubby, 'it', { scopes: ['integrations:write', 'fleet:read'] });
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    google = await new FakeGoogle().start();
    await server.cubby.db.updateTable('compartments').set({ status: 'empty', device_id: null, presence: 0 }).execute();
    await server.cubby.db.deleteFrom('devices').execute();
    await server.cubby.db.deleteFrom('google_syncs').execute();
  });
  afterEach(async () => google.close());

  async function connect(body: Record<string, unknown> = {}) {
    const res = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/google',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        serviceAccountKey: google.serviceAccountKey(),
        adminEmail: google.adminEmail,
        directoryUrl: google.url,
        telemetryUrl: google.url,
        telemetry: true,
        syncIntervalMinutes: 0,
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** A loaner in a locker whose serial Google knows, with telemetry for it. */
  async function aLoanerGoogleReports(
    door: number,
    serial: string,
    options: Parameters<typeof aTelemetryDevice>[0] extends infer O ? Omit<O & object, 'deviceId' | 'serialNumber'> : never,
    station: { charge?: number; measuredAt?: number | null } = {},
  ) {
    const loaner = await aLoaner(server.cubby, districtId, doors[door]!.id, {
      charge: station.charge ?? 30,
      measuredAt: station.measuredAt ?? null,
    });
    await server.cubby.db.updateTable('devices').set({ serial }).where('id', '=', loaner.deviceId).execute();
    google.chromeOsDevices.push(aChromeOsDevice({ deviceId: `g-${serial}`, serialNumber: serial }));
    google.telemetryDevices.push(aTelemetryDevice({ deviceId: `g-${serial}`, serialNumber: serial, ...options }));
    return loaner;
  }
  const device = (id: string) => server.cubby.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('writes the latest sample as a reading with the sample’s time, only when newer than what Cubby knows; the estimate uses it with its age', async () => {
    const now = Date.now();
    const fresh = await aLoanerGoogleReports(0, 'S-FRESH', {
      fullChargeCapacity: 4000,
      samples: [
        { at: now - 3 * hour, remaining: 1000 },
        { at: now - hour, remaining: 3400 },
      ],
    });
    const older = await aLoanerGoogleReports(
      1,
      'S-OLDER',
      { samples: [{ at: now - 2 * hour, remaining: 3800 }] },
      { charge: 60, measuredAt: now - 10 * minute },
    );
    const stale = await aLoanerGoogleReports(2, 'S-STALE', {
      fullChargeCapacity: 4000,
      samples: [{ at: now - 6 * hour, remaining: 4000 }],
    });
    await aLoanerGoogleReports(3, 'S-EXTRA', { samples: [] });
    await connect();
    const run = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(run.counts).toMatchObject({ telemetrySeen: 4, batteryReadings: 2 });
    // Telemetry read over two pages, its scope granted in the same grant, the battery reports asked for.
    const pages = google.requestsTo('telemetry');
    expect(pages).toHaveLength(2);
    expect(pages[0]!.query.readMask).toContain('batteryStatusReport');
    expect(pages[0]!.query.readMask).toContain('batteryInfo');
    expect(String(google.requestsTo('token')[0]!.claims!.scope)).toContain(
      'https://www.googleapis.com/auth/chrome.management.telemetry.readonly',
    );

    expect(await device(fresh.deviceId)).toMatchObject({ battery_percent: 85 });
    expect(Number((await device(fresh.deviceId)).battery_measured_at)).toBe(now - hour);
    // The station's reading ten minutes ago is newer than telemetry's two hours ago: it stays.
    expect(await device(older.deviceId)).toMatchObject({ battery_percent: 60 });
    expect(Number((await device(older.deviceId)).battery_measured_at)).toBe(now - 10 * minute);

    // Lending reads them through core's estimate: reported with its age, or aged out.
    const candidates = await loanerCandidates(server.cubby.db, stationId);
    const reading = (id: string) => estimateCharge(candidates.find((c) => c.deviceId === id)!.charge, Date.now());
    expect(reading(fresh.deviceId)).toMatchObject({ percent: 85, source: 'reported', ageMs: expect.any(Number) });
    expect((reading(fresh.deviceId) as { ageMs: number }).ageMs).toBeGreaterThanOrEqual(hour);
    expect(reading(stale.deviceId)).toEqual({ percent: 20, source: 'estimated' });

    // The same telemetry again writes nothing new.
    const again = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(again.counts.batteryReadings).toBe(0);
  });

  it('flags a loaner whose battery no longer lasts a school day, and shows it in the devices list', async () => {
    const now = Date.now();
    const worn = await aLoanerGoogleReports(0, 'S-WORN', {
      designCapacity: 4000,
      fullChargeCapacity: 2400,
      cycleCount: 640,
      samples: [{ at: now - hour, remaining: 2000 }],
    });
    const healthy = await aLoanerGoogleReports(1, 'S-GOOD', {
      designCapacity: 4000,
      fullChargeCapacity: 3900,
      samples: [{ at: now - hour, remaining: 2000 }],
    });
    await connect();
    const run = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(run.counts.batteryWorn).toBe(1);
    expect(await device(worn.deviceId)).toMatchObject({
      battery_worn: 1,
      battery_cycle_count: 640,
      battery_full_capacity: 2400,
      battery_design_capacity: 4000,
      battery_health: 'BATTERY_HEALTH_NORMAL',
    });
    expect((await device(healthy.deviceId)).battery_worn).toBe(0);
    const list = await server.app.inject({
      method: 'GET',
      url: '/api/v1/devices?limit=50',
      headers: { authorization: `Bearer ${admin}` },
    });
    const items = list.json().items as {
      id: string;
      batteryWorn: boolean | null;
      googleStatus: string | null;
      osUpdatesEnd: number | null;
    }[];
    expect(items.find((d) => d.id === worn.deviceId)).toMatchObject({
      batteryWorn: true,
      googleStatus: 'ACTIVE',
      osUpdatesEnd: 1938729600000,
    });
    expect(items.find((d) => d.id === healthy.deviceId)).toMatchObject({ batteryWorn: false });

    // A district that asks for a longer day (configurable threshold) flags the other one too.
    const district = await server.cubby.db.selectFrom('districts').select('settings').executeTakeFirstOrThrow();
    const settings = typeof district.settings === 'string' ? JSON.parse(district.settings) : district.settings;
    await saveDistrictSettings(server.cubby.db, districtId, { ...settings, batteryWear: { schoolDayHours: 9.95 } });
    expect((await runGoogleSync(server.services, { trigger: 'cli', ...fast })).counts.batteryWorn).toBe(2);
    await saveDistrictSettings(server.cubby.db, districtId, settings);
  });

  it('a telemetry scope the district did not delegate fails the run (recorded), telemetry off reads no telemetry', async () => {
    await aLoanerGoogleReports(0, 'S-1', { samples: [{ at: Date.now() - hour, remaining: 2000 }] });
    await connect({ telemetry: false });
    const run = await runGoogleSync(server.services, { trigger: 'cli', ...fast });
    expect(run.counts).toMatchObject({ matched: 1, telemetrySeen: 0, batteryReadings: 0 });
    expect(google.requestsTo('telemetry')).toHaveLength(0);
    await connect({ telemetry: true });
    google.fail({ api: 'telemetry', page: 1, status: 403 });
    await expect(runGoogleSync(server.services, { trigger: 'cli', ...fast })).rejects.toMatchObject({
      message: expect.stringContaining('Telemetry API, page 1: HTTP 403'),
    });
  });

  it('runs on its schedule once the interval has passed, one run per interval; a failed scheduled run is recorded with its error', async () => {
    google.chromeOsDevices = [aChromeOsDevice()];
    await connect({ syncIntervalMinutes: 60 });
    let now = Date.now();
    const job = startGoogleSyncJob(server.services, { checkMs: 20, clock: () => now, tuning: fast });
    try {
      await waitFor(async () => (await runs()).length === 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(await runs()).toHaveLength(1); // the hour has not passed
      google.fail({ api: 'directory', page: 1, status: 500, times: 10 });
      now += 61 * minute;
      await waitFor(async () => (await runs()).length === 2);
    } finally {
      await job.stop();
    }
    const [failed, first] = await runs();
    expect(first).toMatchObject({ trigger: 'schedule', outcome: 'succeeded', actor_type: 'system' });
    expect(failed).toMatchObject({ trigger: 'schedule', outcome: 'failed', error: expect.stringContaining('HTTP 500') });
  });

  const runs = () => server.cubby.db.selectFrom('google_syncs').selectAll().orderBy('started_at', 'desc').execute();
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
