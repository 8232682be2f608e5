import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setDeviceOwner, setDeviceOwnerQuery } from './device-records.js';
import { insertDevices } from './devices.js';
import { insertDistrict } from './districts.js';
import { insertPeople } from './people.js';
import { compilerOnly, expectSql } from './sql-testing.js';
import { createTestDb, testDialects, type TestDb } from './testing.js';

/**
 * A student's own device is set from exactly the owner the caller read, so
 * two staff assigning one Chromebook to two students at once cannot both win.
 */
describe.each(testDialects)('a device’s owner on %s', (dialect) => {
  it('is a conditional update from the owner that was read', () => {
    const db = compilerOnly(dialect);
    expectSql(
      dialect,
      setDeviceOwnerQuery(db, { id: 'd1', from: null, to: 'p1', pool: 'assigned', now: 5 }).compile(),
      'update "devices" set "owner_id" = ?, "pool" = ?, "updated_at" = ? where "id" = ? and "owner_id" is null',
      ['p1', 'assigned', 5, 'd1'],
    );
    expectSql(
      dialect,
      setDeviceOwnerQuery(db, { id: 'd1', from: 'p1', to: null, pool: 'assigned', now: 6 }).compile(),
      // Given up, the device remembers when: the next holder waits for a wipe (wipeRequired).
      'update "devices" set "owner_id" = ?, "pool" = ?, "updated_at" = ?, "released_at" = ? where "id" = ? and "owner_id" = ?',
      [null, 'assigned', 6, 6, 'd1', 'p1'],
    );
  });

  let cubby: TestDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    await insertDistrict(cubby.db, { id: 'dist', name: 'D', settings: {}, now: 1 });
    const person = (id: string) => ({
      id,
      district_id: 'dist',
      site_id: null,
      role: 'student' as const,
      external_id: null,
      student_number: id,
      given_name: id,
      family_name: 'T',
      grade: '9',
      badge_hash: null,
      pin_hash: null,
      agreement_accepted_at: null,
      active: 1 as const,
      created_at: 1,
    });
    await insertPeople(cubby.db, [person('p1'), person('p2')]);
    await insertDevices(cubby.db, [
      {
        id: 'd1',
        district_id: 'dist',
        site_id: null,
        asset_tag: 'CB-1',
        serial: null,
        model: 'Chromebook',
        pool: 'loaner',
        owner_id: null,
        status: 'in_service',
        condition: 'good',
        battery_percent: 0,
        loan_count: 0,
        last_loaned_at: null,
        warranty_end: null,
        created_at: 1,
        updated_at: 1,
      },
    ]);
  });
  afterEach(async () => cubby?.close());

  it('the second of two assignments from "nobody" changes nothing', async () => {
    expect(await setDeviceOwner(cubby.db, { id: 'd1', from: null, to: 'p1', pool: 'assigned', now: 2 })).toBe(true);
    expect(await setDeviceOwner(cubby.db, { id: 'd1', from: null, to: 'p2', pool: 'assigned', now: 3 })).toBe(false);
    const row = await cubby.db.selectFrom('devices').select(['owner_id', 'pool', 'updated_at']).executeTakeFirstOrThrow();
    expect({ ...row, updated_at: Number(row.updated_at) }).toEqual({ owner_id: 'p1', pool: 'assigned', updated_at: 2 });
  });
});
