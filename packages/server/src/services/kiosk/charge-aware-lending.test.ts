import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { anApiToken } from '../../testing/builders.js';
import { aChromeOsDevice, aTelemetryDevice, FakeGoogle } from '../../testing/fake-google.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';
import { runGoogleSync } from '../google/sync.js';

const minute = 60_000;
const hour = 60 * minute;

/**
 * Lending from the best reading there is (ISSUE19): a lock-only board measures
 * nothing, so a loaner's charge is core's estimate from its last measured level
 * or the conservative default (20 %) along the Chromebook curve; a board that
 * senses charging current says "charged" and that overrides the estimate.
 */
describe.each(testDialects)('charge-aware lending on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const borrow = async () => s.act(await s.signIn(), { kind: 'borrow', reason: 'dead_battery' });

  it('a loaner nobody measured, just put on its charger, is not lent even though its old level said 95 %', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 95, measuredAt: null, chargingSince: Date.now() }] });
    expect(await borrow()).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
  });

  it('an unmeasured loaner is lent once 40 minutes on the charger carry the default past the 50 % floor', async () => {
    // 20 % + 40 min at 80 % per 90 min ≈ 55 %.
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: Date.now() - 40 * minute }] });
    const result = await borrow();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect((result.data as { transaction: { compartment: number } }).transaction.compartment).toBe(1);
  });

  it("the district's charging settings, changed over the API, are what the next borrow judges by", async () => {
    // Off its charger and never measured: the default level (20 %) is under the 50 % floor.
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: null }] });
    expect(await borrow()).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
    const admin = await anApiToken(s.server.cubby, 'admin', { scopes: ['fleet:read', 'policy:write'] });
    const headers = { authorization: `Bearer ${admin}` };
    const current = (await s.server.app.inject({ method: 'GET', url: '/api/v1/settings/charging', headers })).json();
    const res = await s.server.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/charging',
      headers,
      payload: { ...current, estimate: { ...current.estimate, defaultPercent: 60 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await borrow()).ok).toBe(true);
  });

  it('a 95 % reading from yesterday, with no charger since, has aged out: the loaner is not lent', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 95, measuredAt: Date.now() - 24 * hour, chargingSince: null }] });
    expect(await borrow()).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
  });

  it('fullest first by the best reading: 30 % and an hour on the charger beats a fresh 60 % reading off it', async () => {
    s = await aStationScenario(dialect, {
      loaners: [
        { charge: 60, measuredAt: Date.now(), chargingSince: null },
        // Measured at its return, five minutes before it went on the charger.
        { charge: 30, measuredAt: Date.now() - 5 * minute - hour, chargingSince: Date.now() - hour },
      ],
    });
    // Door 2: 30 % + 60 min ≈ 83 %; door 1 stays at its reported 60 %.
    const result = await borrow();
    expect((result.data as { transaction: { compartment: number } }).transaction.compartment).toBe(2);
  });

  it('a current-sensing board saying "charged" makes an unmeasured loaner lendable at once', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: Date.now() - minute }] });
    expect(await borrow()).toMatchObject({ ok: false });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'charge_state', compartment: 1, state: 'charged' } });
    await s.link.ping();
    expect(await s.compartment(1)).toMatchObject({ charge_sensed: 'charged' });
    expect((await borrow()).ok).toBe(true);
  });

  it('a "charging" port stays below full, and a sensed state for a door without a device is ignored', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: Date.now() - 10 * hour }] });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'charge_state', compartment: 1, state: 'charging' } });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'charge_state', compartment: 5, state: 'charged' } });
    await s.link.ping();
    expect(await s.compartment(5)).toMatchObject({ charge_sensed: null });
    const token = await anApiToken(s.server.cubby, 'grid', { scopes: ['fleet:read'] });
    const grid = await s.server.app.inject({
      method: 'GET',
      url: `/api/v1/stations/${s.station.stationId}/grid`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(grid.statusCode, grid.body).toBe(200);
    const door1 = grid.json().compartments.find((c: { number: number }) => c.number === 1);
    expect(door1).toMatchObject({
      charging: true,
      device: { batteryPercent: 99, charge: { source: 'estimated', lendableAt: null } },
    });
  });

  it('a returned loaner whose last measured level had aged out starts again from the default, and charges back into lending', async () => {
    // Measured five hours ago as it went on the charger: trusted while it stayed there (lendable).
    const fiveHoursAgo = Date.now() - 5 * hour;
    s = await aStationScenario(dialect, { loaners: [{ charge: 95, measuredAt: fiveHoursAgo, chargingSince: fiveHoursAgo }] });
    const { session } = await s.borrowed();
    const back = await s.start(session, { kind: 'return' });
    await s.useDoor(back.compartment!, true);
    expect((await s.transactionEnd(back.id)).status).toBe('completed');
    const door = await s.compartment(back.compartment!);
    expect(door).toMatchObject({ status: 'loaded', device_id: s.loaners[0]!.deviceId });
    expect(Number(door.charging_since)).toBeGreaterThan(Date.now() - minute);
    // Back on a charger now, its 95 % was five hours old: the estimate starts from 20 %.
    const other = await s.anotherStation();
    const elsewhere = await s.signIn(undefined, other.link);
    expect(await s.act(elsewhere, { kind: 'borrow', reason: 'broken' }, other.link)).toMatchObject({
      ok: false,
      error: { code: 'no_loaner_available', data: { nearby: [] } },
    });
    // Forty minutes on the charger later it is lendable again, by the same estimate.
    await s.server.cubby.db
      .updateTable('compartments')
      .set({ charging_since: Date.now() - 40 * minute })
      .where('id', '=', door.id)
      .execute();
    expect(await s.act(elsewhere, { kind: 'borrow', reason: 'broken' }, other.link)).toMatchObject({
      ok: false,
      error: { code: 'no_loaner_available', data: { nearby: [{ stationId: s.station.stationId, available: 1 }] } },
    });
  });

  it('a returned loaner measured recently starts from that level (discharge on loan is not guessed)', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 80, measuredAt: Date.now() - hour }] });
    const { session } = await s.borrowed();
    const back = await s.start(session, { kind: 'return' });
    await s.useDoor(back.compartment!, true);
    expect((await s.transactionEnd(back.id)).status).toBe('completed');
    const other = await s.anotherStation();
    const elsewhere = await s.signIn(undefined, other.link);
    expect(await s.act(elsewhere, { kind: 'borrow', reason: 'broken' }, other.link)).toMatchObject({
      error: { code: 'no_loaner_available', data: { nearby: [{ stationId: s.station.stationId, available: 1 }] } },
    });
  });

  it('the overview counts only lendable loaners as available and says when the others will be', async () => {
    const now = Date.now();
    s = await aStationScenario(dialect, {
      loaners: [
        { charge: 90, measuredAt: now },
        { charge: 30, measuredAt: null, chargingSince: now },
        { charge: 30, measuredAt: now, chargingSince: null },
      ],
    });
    const token = await anApiToken(s.server.cubby, 'overview', { scopes: ['fleet:read'] });
    const res = await s.server.app.inject({
      method: 'GET',
      url: '/api/v1/overview',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const campus = res.json().campuses[0];
    const station = campus.stations[0];
    expect(station.counts).toMatchObject({ loaded: 3, loanersAvailable: 1, loanersCharging: 2 });
    // The unmeasured one: from the default 20 % to the 50 % floor is 33¾ minutes on the curve.
    expect(station.nextLendableAt).toBeGreaterThanOrEqual(now + 33.75 * minute);
    expect(station.nextLendableAt).toBeLessThanOrEqual(Date.now() + 33.75 * minute);
    expect(campus.nextLendableAt).toBe(station.nextLendableAt);
    expect(campus.totals).toMatchObject({ loanersAvailable: 1, loanersCharging: 2 });
  });
});

/**
 * Lending from Google telemetry (ISSUE19 item 2): a loaner the lock board
 * cannot measure, whose Chromebook reported its battery to Google, is lent by
 * that reading while it is fresh; the same reading, old, no longer counts.
 */
describe.each(testDialects)('lending from Google battery telemetry on %s', (dialect) => {
  let s: StationScenario;
  let google: FakeGoogle;
  afterEach(async () => {
    await s?.close();
    await google?.close();
  });

  async function telemetrySays(at: number, percent: number) {
    google = await new FakeGoogle().start();
    const admin = await anApiToken(s.server.cubby, 'it', { scopes: ['integrations:write', 'fleet:read'] });
    const res = await s.server.app.inject({
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
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const deviceId = s.loaners[0]!.deviceId;
    await s.server.cubby.db.updateTable('devices').set({ serial: 'S-1' }).where('id', '=', deviceId).execute();
    google.chromeOsDevices.push(aChromeOsDevice({ deviceId: 'g-1', serialNumber: 'S-1' }));
    google.telemetryDevices.push(
      aTelemetryDevice({
        deviceId: 'g-1',
        serialNumber: 'S-1',
        fullChargeCapacity: 4000,
        samples: [{ at, remaining: 40 * percent }],
      }),
    );
    await runGoogleSync(s.server.services, { trigger: 'cli', pageSize: 10, retries: 1, maxRetryDelayMs: 5 });
  }
  const borrow = async () => s.act(await s.signIn(), { kind: 'borrow', reason: 'dead_battery' });

  it('a fresh 85 % report makes an unmeasured loaner off its charger lendable', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: null }] });
    expect(await borrow()).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
    await telemetrySays(Date.now() - 30 * minute, 85);
    const result = await borrow();
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('an 85 % report from yesterday has aged out: the loaner is still not lent', async () => {
    s = await aStationScenario(dialect, { loaners: [{ charge: 10, measuredAt: null, chargingSince: null }] });
    await telemetrySays(Date.now() - 24 * hour, 85);
    expect(await borrow()).toMatchObject({ ok: false, error: { code: 'no_loaner_available' } });
  });
});
