import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { insertDevices } from './devices.js';
import { insertDistrict } from './districts.js';
import {
  claimGoogleSync,
  claimGoogleSyncQuery,
  releaseGoogleSync,
  saveGoogleConnection,
  setBatteryIfNewer,
  setBatteryIfNewerQuery,
} from './google.js';
import { compilerOnly, expectSql } from './sql-testing.js';
import { createTestDb, testDialects } from './testing.js';

describe.each(testDialects)('the SQL of the Google sync’s conditional updates on %s', (dialect) => {
  const db = compilerOnly(dialect);
  it('a sync claims the district only when no claim is held, or the one held is stale', () => {
    expectSql(
      dialect,
      claimGoogleSyncQuery(db, 'd1', 10_000, 1000).compile(),
      'update "google_connections" set "sync_claimed_at" = ? where "district_id" = ? and ("sync_claimed_at" is null or "sync_claimed_at" < ?)',
      [10_000, 'd1', 9000],
    );
  });
  it('a telemetry reading is written only over none or an older one', () => {
    expectSql(
      dialect,
      setBatteryIfNewerQuery(db, 'x', 70, 500, 900).compile(),
      'update "devices" set "battery_percent" = ?, "battery_measured_at" = ?, "updated_at" = ? where "id" = ? and ("battery_measured_at" is null or "battery_measured_at" < ?)',
      [70, 500, 900, 'x', 500],
    );
  });
});

describe.each(testDialects)('the Google sync’s claims and readings on %s', (dialect) => {
  let cubby: CubbyDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    await insertDistrict(cubby.db, { id: 'd1', name: 'D', now: 1 });
  });
  afterEach(async () => cubby.close());

  it('one claim at a time: a second is refused until released or stale', async () => {
    await saveGoogleConnection(cubby.db, {
      district_id: 'd1',
      customer_id: 'my_customer',
      admin_email: 'a@d',
      client_email: 's@p',
      key_sealed: 'v1.x',
      directory_url: 'http://x/',
      telemetry_url: 'http://x/',
      telemetry: 0,
      sync_interval_minutes: 0,
      updated_at: 1,
      updated_by: null,
    });
    expect(await claimGoogleSync(cubby.db, 'd1', 1000, 500)).toBe(true);
    expect(await claimGoogleSync(cubby.db, 'd1', 1200, 500)).toBe(false);
    expect(await claimGoogleSync(cubby.db, 'd1', 1600, 500)).toBe(true); // the first is stale
    await releaseGoogleSync(cubby.db, 'd1', 1000); // the stale run's release leaves the new claim
    expect(await claimGoogleSync(cubby.db, 'd1', 1700, 500)).toBe(false);
    await releaseGoogleSync(cubby.db, 'd1', 1600);
    expect(await claimGoogleSync(cubby.db, 'd1', 1800, 500)).toBe(true);
  });

  it('a reading older than the stored one changes nothing; a newer one replaces it', async () => {
    await insertDevices(cubby.db, [
      {
        id: 'x',
        district_id: 'd1',
        site_id: null,
        asset_tag: 'A',
        serial: 'S',
        model: 'M',
        pool: 'loaner',
        owner_id: null,
        status: 'in_repair',
        condition: 'good',
        battery_percent: 40,
        battery_measured_at: 1000,
        loan_count: 0,
        last_loaned_at: null,
        warranty_end: null,
        created_at: 1,
        updated_at: 1,
      },
    ]);
    expect(await setBatteryIfNewer(cubby.db, 'x', 90, 900, 2000)).toBe(false);
    expect(await setBatteryIfNewer(cubby.db, 'x', 90, 1500, 2000)).toBe(true);
    const row = await cubby.db.selectFrom('devices').select(['battery_percent', 'battery_measured_at']).executeTakeFirstOrThrow();
    expect({ ...row, battery_measured_at: Number(row.battery_measured_at) }).toEqual({
      battery_percent: 90,
      battery_measured_at: 1500,
    });
  });
});
