import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import type { SignedIn } from '@cubby/protocol';
import { aLoaner, aSite, aStation, anAssignedDevice } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

describe.each(testDialects)('what the menu offers at sign-in on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  async function signedIn(): Promise<SignedIn> {
    const result = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    if (!result.ok) throw new Error(`sign-in refused: ${JSON.stringify(result.error)}`);
    return result.data as SignedIn;
  }

  it('with a lendable loaner here and a device on record, borrow, swap and drop-off are all allowed', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    expect((await signedIn()).choices).toEqual({
      borrow: { allowed: true },
      swap: { allowed: true },
      dropOff: { allowed: true },
    });
  });

  it('a student at the loan limit is told so at sign-in, the borrow refuses the same, and a drop-off stays open', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    await s.borrowed();
    const before = await s.snapshot();
    // The new sign-in is the station's live session: the borrow goes under it.
    const { choices, session } = await signedIn();
    expect(choices).toEqual({
      borrow: { allowed: false, refusedFor: 'loan_limit_reached' },
      swap: { allowed: false, refusedFor: 'loan_limit_reached' },
      dropOff: { allowed: true },
    });
    // Signing in changed nothing (beyond the sign-in's own audit, if any).
    expect((await s.snapshot()).loans).toEqual(before.loans);
    expect(await s.act(session, { kind: 'borrow', reason: 'other' })).toMatchObject({
      ok: false,
      error: { code: choices.borrow.refusedFor },
    });
  });

  it('with every loaner here below the charge floor, the menu names the nearest station: same campus first', async () => {
    s = await aStationScenario(dialect, { loaners: [30, 49] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const cubby = s.server.cubby;
    // Another campus with more loaners still comes after this campus's own station.
    const north = await aSite(cubby, s.districtId, { name: 'North Campus' });
    const gym = await aStation(cubby, north, { name: 'North Gym', compartments: 4 });
    for (const c of gym.compartments.slice(0, 3)) await aLoaner(cubby, s.districtId, c.id, { charge: 95 });
    const cafeteria = await aStation(cubby, s.siteId, { name: 'Cafeteria', compartments: 4 });
    await aLoaner(cubby, s.districtId, cafeteria.compartments[0]!.id, { charge: 80 });
    // Below the floor: not counted anywhere.
    await aLoaner(cubby, s.districtId, cafeteria.compartments[1]!.id, { charge: 20 });

    const nearby = [
      { stationId: cafeteria.stationId, stationName: 'Cafeteria', available: 1 },
      { stationId: gym.stationId, stationName: 'North Gym', available: 3, campusName: 'North Campus' },
    ];
    const { choices } = await signedIn();
    expect(choices).toEqual({
      borrow: { allowed: false, refusedFor: 'no_loaner_available', nearby },
      swap: { allowed: false, refusedFor: 'no_loaner_available', nearby },
      dropOff: { allowed: true, nearby },
    });
    // The borrow itself refuses with the same code and the same stations.
    const session = await s.signIn();
    expect(await s.act(session, { kind: 'borrow', reason: 'forgotten' })).toMatchObject({
      ok: false,
      error: { code: 'no_loaner_available', data: { nearby } },
    });
  });

  it('a student with no device on record cannot swap or drop off, and is told why', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    expect((await signedIn()).choices).toEqual({
      borrow: { allowed: true },
      swap: { allowed: false, refusedFor: 'no_device_on_record' },
      dropOff: { allowed: false, refusedFor: 'no_device_on_record' },
    });
  });
});
