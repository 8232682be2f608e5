import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultChargeSettings, rankLoaners } from '@cubby/core';
import {
  policySnapshotSigningInput,
  type CompartmentReading,
  type PolicySnapshotMessage,
  type SnapshotLoaner,
} from '@cubby/protocol';
import { offlineBadgeHash, signWithStationKey, snapshotCredentialHash } from '@cubby/protocol/offline-keys';
import type { JournalRecord } from './journal.js';
import {
  chooseOfflineLoaner,
  chooseReturnDoor,
  isSnapshotGenuine,
  loanerCandidate,
  offlineChoices,
  recogniseOffline,
} from './offline-desk.js';

const keys = { stationId: 'station-1', snapshotKey: 'station-key', badgeKey: 'badge-key' };
// A low scrypt cost keeps the unit tests quick; the server's default is in offline-keys.ts.
const hashing = { salt: 'a-salt-for-the-tests', n: 1024, r: 8, p: 1 };
const [ana1001, ben1002] = await Promise.all(
  ['1001', '1002'].map((badge) => snapshotCredentialHash(offlineBadgeHash(keys.badgeKey, badge), hashing)),
);

function aSnapshot(overrides: Partial<PolicySnapshotMessage> = {}): PolicySnapshotMessage {
  const body = {
    snapshotId: 'snap-1',
    issuedAt: Date.now(),
    maxActiveLoans: 1,
    minChargePercent: 50,
    offlineBorrowLimit: 2,
    hashing,
    credentials: [
      { hash: ana1001!, personId: 'ana', openLoans: 0 },
      { hash: ben1002!, personId: 'ben', openLoans: 1 },
    ],
    loaners: [
      { compartment: 1, deviceId: 'd1', battery: 80 },
      { compartment: 2, deviceId: 'd2', battery: 95 },
    ],
    ...overrides,
  };
  return {
    v: 1,
    id: 'm',
    type: 'policy_snapshot',
    ...body,
    signature: signWithStationKey(keys.snapshotKey, policySnapshotSigningInput(keys.stationId, body)),
  };
}
const door = (number: number, presence: boolean, open = false): CompartmentReading => ({
  number,
  door: open ? 'open' : 'closed',
  presence,
  charging: false,
});
const readings = [door(1, true), door(2, true), door(3, false), door(4, false)];
const aBorrow = (personId: string, compartment: number): JournalRecord => ({
  key: `k${compartment}`,
  seq: compartment,
  at: 1,
  credentialHash: 'h',
  personId,
  action: { kind: 'borrow', reason: 'forgotten' },
  compartment,
  outcome: 'completed',
  presenceAfter: false,
  closedAt: 2,
});

describe('deciding alone while offline', () => {
  it('trusts a snapshot signed for this station and nothing altered or meant for another', () => {
    const snapshot = aSnapshot();
    expect(isSnapshotGenuine(snapshot, keys)).toBe(true);
    expect(isSnapshotGenuine({ ...snapshot, offlineBorrowLimit: 500 }, keys)).toBe(false);
    expect(isSnapshotGenuine({ ...snapshot, minChargePercent: 0 }, keys)).toBe(false);
    const worn = { ...snapshot, loaners: snapshot.loaners.map((l) => ({ ...l, loanCount: 40 })) };
    expect(isSnapshotGenuine(worn, keys)).toBe(false);
    expect(isSnapshotGenuine({ ...snapshot, snapshotId: 'snap-2' }, keys)).toBe(false);
    expect(isSnapshotGenuine({ ...snapshot, hashing: { ...hashing, n: 2 } }, keys)).toBe(false);
    expect(isSnapshotGenuine(snapshot, { ...keys, stationId: 'station-2' })).toBe(false);
  });

  it.each([
    [{ badge: '1001' }, { personId: 'ana' }],
    [{ badge: ' 1001 ' }, { personId: 'ana' }],
    [{ badge: '9999' }, 'offline_unknown_credential'],
    [{ studentNumber: 'S1', pin: '1234' }, 'offline_pin_unavailable'],
  ] as const)('signing in with %j gives %j', async (credential, expected) => {
    const attempt = recogniseOffline(credential, aSnapshot(), keys);
    if (typeof expected === 'string') await expect(attempt).rejects.toMatchObject({ code: expected });
    else expect(await attempt).toMatchObject(expected);
  });

  it('lends the best charged loaner the sensor still sees, skipping doors opened since the snapshot', () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    expect(chooseOfflineLoaner(ana, aSnapshot(), [], readings)).toEqual({ compartment: 2, deviceId: 'd2' });
    expect(chooseOfflineLoaner(ana, aSnapshot(), [], readings, new Set([2]))).toEqual({ compartment: 1, deviceId: 'd1' });
    expect(() => chooseOfflineLoaner(ana, aSnapshot(), [], [door(1, false), door(2, false)])).toThrow(
      expect.objectContaining({ code: 'no_loaner_available' }),
    );
  });

  it('spreads wear offline as online: among loaners charged alike, the one lent least goes out', () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    const snapshot = aSnapshot({
      loaners: [
        { compartment: 1, deviceId: 'd1', battery: 98, loanCount: 12, lastLoanedAt: 5 },
        { compartment: 2, deviceId: 'd2', battery: 91, loanCount: 3, lastLoanedAt: 9 },
      ],
    });
    expect(chooseOfflineLoaner(ana, snapshot, [], readings)).toEqual({ compartment: 2, deviceId: 'd2' });
  });

  it('never lends a loaner below the charge floor the snapshot carries', () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    const snapshot = aSnapshot({ minChargePercent: 90, loaners: [{ compartment: 1, deviceId: 'd1', battery: 80 }] });
    expect(() => chooseOfflineLoaner(ana, snapshot, [], readings)).toThrow(
      expect.objectContaining({ code: 'no_loaner_available' }),
    );
  });

  it('estimates charge offline with core: a loaner charging below the floor at the snapshot is lent once its curve crosses it', () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    const issuedAt = Date.UTC(2026, 11, 2, 14, 0);
    const snapshot = aSnapshot({
      issuedAt,
      loaners: [{ compartment: 1, deviceId: 'd1', battery: 20, charge: { poweredSince: issuedAt } }],
    });
    // From the default 20 % to the 50 % floor is 33¾ minutes on the Chromebook curve.
    expect(() => chooseOfflineLoaner(ana, snapshot, [], readings, new Set(), undefined, issuedAt + 30 * 60_000)).toThrow(
      expect.objectContaining({ code: 'no_loaner_available' }),
    );
    expect(chooseOfflineLoaner(ana, snapshot, [], readings, new Set(), undefined, issuedAt + 34 * 60_000)).toEqual({
      compartment: 1,
      deviceId: 'd1',
    });
    // The district's own settings travel with the snapshot: a 40 % default is already past 30 % floor.
    const generous = aSnapshot({
      minChargePercent: 30,
      loaners: [{ compartment: 1, deviceId: 'd1', battery: 20, charge: {} }],
      chargeEstimate: { ...defaultChargeSettings, defaultPercent: 40 },
    });
    expect(chooseOfflineLoaner(ana, generous, [], readings)).toEqual({ compartment: 1, deviceId: 'd1' });
    expect(isSnapshotGenuine(generous, keys)).toBe(true);
    // The facts are signed: a disk edit that puts a loaner on the charger for hours is caught.
    const forged = { ...snapshot, loaners: [{ ...snapshot.loaners[0]!, charge: { poweredSince: issuedAt - 86_400_000 } }] };
    expect(isSnapshotGenuine(forged, keys)).toBe(false);
  });

  it("lends core's first pick among the loaners the sensors still see, or refuses when there is none", () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    const aLoaner = fc.record(
      {
        compartment: fc.integer({ min: 1, max: 12 }),
        deviceId: fc.uuid(),
        battery: fc.integer({ min: 0, max: 100 }),
        loanCount: fc.integer({ min: 0, max: 6 }),
        lastLoanedAt: fc.integer({ min: 0, max: 1_000 }),
      },
      { requiredKeys: ['compartment', 'deviceId', 'battery'] },
    );
    const aReading = (number: number) =>
      fc
        .record({ door: fc.constantFrom('open' as const, 'closed' as const), presence: fc.boolean() })
        .map((r): CompartmentReading => ({ number, ...r, charging: false }));
    fc.assert(
      fc.property(
        fc.uniqueArray(aLoaner, { selector: (l) => l.compartment, maxLength: 12 }),
        fc.tuple(...Array.from({ length: 12 }, (_, i) => aReading(i + 1))),
        fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 100 }),
        (loaners: SnapshotLoaner[], bank, touched, minChargePercent) => {
          const snapshot = aSnapshot({ loaners, minChargePercent });
          const seen = new Set(bank.filter((r) => r.door === 'closed' && r.presence).map((r) => r.number));
          const visible = loaners.filter((l) => seen.has(l.compartment) && !touched.includes(l.compartment));
          const [expected] = rankLoaners(
            visible.map((l) => loanerCandidate(l, Date.now())),
            minChargePercent,
          );
          const attempt = () => chooseOfflineLoaner(ana, snapshot, [], bank, new Set(touched));
          if (expected) expect(attempt()).toEqual({ compartment: expected.compartmentNumber, deviceId: expected.deviceId });
          else expect(attempt).toThrow(expect.objectContaining({ code: 'no_loaner_available' }));
        },
      ),
    );
  });

  it('refuses a borrow past the person limit or the outage limit', () => {
    const ben = { personId: 'ben', credentialHash: 'h', openLoans: 1 };
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    expect(() => chooseOfflineLoaner(ben, aSnapshot(), [], readings)).toThrow(
      expect.objectContaining({ code: 'loan_limit_reached', data: { limit: 1 } }),
    );
    expect(() => chooseOfflineLoaner(ana, aSnapshot(), [aBorrow('ana', 2)], readings)).toThrow(
      expect.objectContaining({ code: 'loan_limit_reached' }),
    );
    const outage = [aBorrow('cal', 1), aBorrow('dee', 2)];
    expect(() => chooseOfflineLoaner(ana, aSnapshot({ maxActiveLoans: 3 }), outage, readings)).toThrow(
      expect.objectContaining({ code: 'offline_limit_reached' }),
    );
  });

  it('counts borrows the server already applied under the same snapshot, as the server does', () => {
    const ana = { personId: 'ana', credentialHash: 'h', openLoans: 0 };
    const lent = (byPerson: Record<string, number>) => ({
      total: Object.values(byPerson).reduce((a, b) => a + b, 0),
      byPerson,
    });
    expect(() => chooseOfflineLoaner(ana, aSnapshot(), [], readings, new Set(), lent({ ana: 1 }))).toThrow(
      expect.objectContaining({ code: 'loan_limit_reached' }),
    );
    expect(() =>
      chooseOfflineLoaner(ana, aSnapshot({ maxActiveLoans: 3 }), [aBorrow('cal', 1)], readings, new Set(), lent({ dee: 1 })),
    ).toThrow(expect.objectContaining({ code: 'offline_limit_reached' }));
    expect(chooseOfflineLoaner(ana, aSnapshot(), [], readings, new Set(), lent({ ben: 1 }))).toMatchObject({ compartment: 2 });
  });

  it('takes a return at the first closed, empty door not in use', () => {
    expect(chooseReturnDoor([], readings)).toBe(3);
    expect(chooseReturnDoor([{ ...aBorrow('ana', 3), closedAt: null }], readings)).toBe(4);
    expect(() => chooseReturnDoor([], [door(1, true), door(3, false, true)])).toThrow(
      expect.objectContaining({ code: 'no_compartment_available' }),
    );
  });

  it('offers the offline menu what chooseOfflineLoaner would decide, and never a swap or a drop-off', () => {
    const ana = { personId: 'ana', credentialHash: ana1001!, openLoans: 0 };
    const ben = { personId: 'ben', credentialHash: ben1002!, openLoans: 1 };
    const needsNetwork = { allowed: false, refusedFor: 'offline_not_possible' };
    const menu = (session: typeof ana, snapshot = aSnapshot(), seen = readings) =>
      offlineChoices(() => chooseOfflineLoaner(session, snapshot, [], seen));
    expect(menu(ana)).toEqual({ borrow: { allowed: true }, swap: needsNetwork, dropOff: needsNetwork });
    expect(menu(ben).borrow).toEqual({ allowed: false, refusedFor: 'loan_limit_reached' });
    // Every loaner below the snapshot's charge floor: refused on the menu, as the borrow would be.
    const flat = aSnapshot({ loaners: [{ compartment: 1, deviceId: 'd1', battery: 20 }] });
    expect(menu(ana, flat).borrow).toEqual({ allowed: false, refusedFor: 'no_loaner_available' });
    expect(menu(ana, aSnapshot(), [door(1, false), door(2, false)]).borrow).toEqual({
      allowed: false,
      refusedFor: 'no_loaner_available',
    });
    // Anything but a refusal is a fault, not a menu answer.
    expect(() =>
      offlineChoices(() => {
        throw new TypeError('broken');
      }),
    ).toThrow(TypeError);
  });
});
