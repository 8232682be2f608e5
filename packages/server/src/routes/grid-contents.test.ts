import { parseJson, saveDistrictSettings } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApiToken, anAssignedDevice, aRepairReadyForPickup, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

/**
 * The station grid says what each door holds (`content`), from the server's
 * facts: the device's pool and status, its charge against the district's
 * lending floor, the charger, and the door's own status.
 */
describe.each(testDialects)("the grid's compartment contents on %s", (dialect) => {
  let s: StationScenario;
  let token: string;
  let borrowedDoor: number;

  beforeAll(async () => {
    // Doors 1–4 hold loaners at 90, 85, 30 and 20 % (the floor is 50 %); the borrow takes the 90 % one.
    s = await aStationScenario(dialect, { loaners: [90, 85, 30, 20], policy: { minChargePercent: 50 } });
    borrowedDoor = (await s.borrowed()).compartment;
    const cubby = s.server.cubby;
    const db = cubby.db;
    const door = async (n: number) => (await s.compartment(n)).id;
    await db
      .updateTable('compartments')
      .set({ charging: 1 })
      .where('id', '=', await door(3))
      .execute();

    const owner = await aStudent(cubby, s.server.services.keys, s.districtId, { givenName: 'Omar' });
    const broken = await anAssignedDevice(cubby, s.districtId, owner.personId);
    await db.updateTable('devices').set({ status: 'awaiting_collection' }).where('id', '=', broken.deviceId).execute();
    await db
      .updateTable('compartments')
      .set({ status: 'loaded', device_id: broken.deviceId, presence: 1 })
      .where('id', '=', await door(5))
      .execute();

    await aRepairReadyForPickup(cubby, s.districtId, owner.personId, await door(6));

    const charger = await aStudent(cubby, s.server.services.keys, s.districtId, { givenName: 'Cara' });
    const own = await anAssignedDevice(cubby, s.districtId, charger.personId);
    await db.updateTable('devices').set({ status: 'charging' }).where('id', '=', own.deviceId).execute();
    await db
      .updateTable('compartments')
      .set({ status: 'loaded', device_id: own.deviceId, presence: 1, charging: 1 })
      .where('id', '=', await door(7))
      .execute();

    await db
      .updateTable('compartments')
      .set({ status: 'out_of_service' })
      .where('id', '=', await door(8))
      .execute();
    token = await anApiToken(cubby, 'grid', { scopes: ['fleet:read', 'people:read'] });
  });
  afterAll(async () => s?.close());

  const grid = async () => {
    const res = await s.server.app.inject({
      method: 'GET',
      url: `/api/v1/stations/${s.station.stationId}/grid`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ compartments: { number: number; content: string; status: string; device: unknown }[] }>();
  };

  it('each door says what it holds: loaners ready, charging or low, a broken device, a repaired one, a charging one', async () => {
    const contents = Object.fromEntries((await grid()).compartments.map((c) => [c.number, c.content]));
    expect(borrowedDoor).toBe(1);
    expect(contents).toEqual({
      1: 'empty',
      2: 'loaner_ready',
      3: 'loaner_charging',
      4: 'loaner_low',
      5: 'awaiting_collection',
      6: 'awaiting_owner',
      7: 'own_device_charging',
      8: 'out_of_service',
    });
  });

  it('a broken device waiting for collection is not counted or shown as a loaner, though its door is loaded', async () => {
    const door5 = (await grid()).compartments.find((c) => c.number === 5)!;
    expect(door5).toMatchObject({ status: 'loaded', content: 'awaiting_collection', device: { pool: 'assigned' } });
  });

  it("the lending floor is the district's: lowered to 25 %, the 30 % loaner is ready", async () => {
    const db = s.server.cubby.db;
    const district = await db.selectFrom('districts').select(['id', 'settings']).executeTakeFirstOrThrow();
    const settings = parseJson(district.settings);
    const withFloor = (minChargePercent: number) => ({
      ...settings,
      loanPolicy: { ...(settings.loanPolicy as object), minChargePercent },
    });
    await saveDistrictSettings(db, district.id, withFloor(25));
    const contents = Object.fromEntries((await grid()).compartments.map((c) => [c.number, c.content]));
    expect(contents).toMatchObject({ 3: 'loaner_ready', 4: 'loaner_low' });
    await saveDistrictSettings(db, district.id, withFloor(50));
  });
});
