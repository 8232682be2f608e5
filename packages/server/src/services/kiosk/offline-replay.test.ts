import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { policySnapshotSigningInput, type JournalEntry, type PolicySnapshotMessage } from '@cubby/protocol';
import { offlineBadgeHash, signWithStationKey, snapshotCredentialHash } from '@cubby/protocol/offline-keys';
import { randomUUID } from 'node:crypto';
import { aLoaner, aPastVisit, aStation, aStudent } from '../../testing/builders.js';
import { lockerInvariantViolations } from '../../testing/invariants.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';
import { StationDouble } from '../../testing/station-double.js';

/** Journal replay over the wire, as a station sends it after an outage. */
describe.each(testDialects)('replaying an offline journal on %s', (dialect) => {
  let s: StationScenario;
  let relinked: StationDouble | undefined;
  afterEach(async () => {
    relinked?.close();
    relinked = undefined;
    await s?.close();
  });

  /** The students used this station lately, so its snapshots list them. */
  async function visited(...personIds: string[]) {
    for (const id of personIds) await aPastVisit(s.server.cubby, s.station.stationId, id);
  }

  /** A fresh link (as after an outage) that reads welcome and the first snapshot. */
  async function reconnect() {
    s.link.close();
    const link = await StationDouble.connect(s.server.url, s.station.token);
    relinked = link;
    const welcome = await link.hello();
    const snapshot = (await link.next((m) => m.type === 'policy_snapshot')) as unknown as PolicySnapshotMessage;
    return { link, welcome, snapshot, keys: (welcome as { offline: { snapshotKey: string; badgeKey: string } }).offline };
  }

  /** What the station journals: the snapshot's slow hash of the badge, and the snapshot it decided with. */
  let seq = 0;
  async function entryFor(
    { keys, snapshot }: { keys: { snapshotKey: string; badgeKey: string }; snapshot: PolicySnapshotMessage },
    badge: string,
    personId: string,
    rest: Partial<JournalEntry>,
  ): Promise<JournalEntry> {
    seq += 1;
    return {
      key: randomUUID(),
      seq,
      at: Date.now(),
      personId,
      outcome: 'completed',
      presenceAfter: false,
      compartment: 1,
      credentialHash: await snapshotCredentialHash(offlineBadgeHash(keys.badgeKey, badge), snapshot.hashing),
      action: { kind: 'borrow', reason: 'forgotten' },
      snapshotId: snapshot.snapshotId,
      ...rest,
    };
  }

  /** A whole online borrow over the given link. */
  async function borrowedAt(link: StationDouble) {
    const txn = await s.start(await s.signIn(undefined, link), { kind: 'borrow', reason: 'forgotten' }, link);
    await s.useDoor(txn.compartment!, false, link);
    expect(await s.transactionEnd(txn.id, link)).toMatchObject({ status: 'completed' });
  }

  const replay = async (link: StationDouble, entries: JournalEntry[]) => {
    const result = await link.request({ type: 'journal', entries });
    expect(result.ok).toBe(true);
    return result.data as { applied: string[]; rejected: { key: string; reason: string }[] };
  };

  it('welcome carries the station keys and the snapshot it signs names the student by a salted slow hash only', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 30], policy: { minChargePercent: 50 } });
    await visited(s.student.personId);
    const { snapshot, keys } = await reconnect();
    expect(snapshot.signature).toBe(
      signWithStationKey(keys.snapshotKey, policySnapshotSigningInput(s.station.stationId, snapshot)),
    );
    const hash = await snapshotCredentialHash(offlineBadgeHash(keys.badgeKey, s.student.badge), snapshot.hashing);
    expect(snapshot.credentials).toContainEqual({ hash, personId: s.student.personId, openLoans: 0 });
    // Neither the server's badge hash nor the offline one travels: only this station's keyed form.
    const person = await s.server.cubby.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(snapshot)).not.toContain(person.badge_hash!);
    expect(JSON.stringify(snapshot)).not.toContain(person.offline_badge_hash!);
    // The loaner below the charge minimum (and not on a charger) is not offered offline either;
    // the one offered carries the facts the station estimates its charge from.
    expect(snapshot.loaners).toEqual([
      {
        compartment: 1,
        deviceId: s.loaners[0]!.deviceId,
        battery: 90,
        charge: { model: 'Chromebook 11', reported: { percent: 90, at: expect.any(Number) } },
      },
    ]);
    expect(snapshot).toMatchObject({ maxActiveLoans: 1, offlineBorrowLimit: 20 });
  });

  it('an offline borrow replayed makes one active loan, and the same journal again changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await visited(s.student.personId);
    const sent = await reconnect();
    const entry = await entryFor(sent, s.student.badge, s.student.personId, { deviceId: s.loaners[0]!.deviceId });
    const { link } = sent;
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    const [loan] = await s.loans();
    expect(loan).toMatchObject({
      status: 'active',
      person_id: s.student.personId,
      device_id: s.loaners[0]!.deviceId,
      started_at: entry.at,
    });
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'on_loan', loan_count: 1 });
    expect(await s.compartment(1)).toMatchObject({ status: 'empty', device_id: null });

    const before = await s.snapshot();
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    expect(await s.snapshot()).toEqual(before);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('an offline return replayed ends the loan once and puts the loaner in the door it went into', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await s.borrowed();
    const sent = await reconnect();
    const entry = await entryFor(sent, s.student.badge, s.student.personId, {
      action: { kind: 'return' },
      compartment: 4,
      presenceAfter: true,
    });
    expect(await replay(sent.link, [entry, entry])).toEqual({ applied: [entry.key, entry.key], rejected: [] });
    const loans = await s.loans();
    expect(loans).toHaveLength(1);
    expect(loans[0]).toMatchObject({ status: 'returned', return_station_id: s.station.stationId, ended_at: entry.at });
    expect(await s.compartment(4)).toMatchObject({ status: 'loaded', device_id: s.loaners[0]!.deviceId });
    const returned = await s.server.cubby.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'loan.returned')
      .execute();
    expect(returned).toHaveLength(1);
  });

  it('a door the station used offline before an online step’s unlock reached it gives that step up, and the offline return counts', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { session } = await s.borrowed();
    const online = await s.start(session, { kind: 'return' });
    // The link drops before the unlock arrives; offline, the student returns the loaner into that very door.
    const sent = await reconnect();
    const { link } = sent;
    const entry = await entryFor(sent, s.student.badge, s.student.personId, {
      action: { kind: 'return' },
      compartment: online.compartment!,
      presenceAfter: true,
    });
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    expect(await s.kioskTransaction(online.id)).toMatchObject({ status: 'failed', error_code: 'compartment_fault' });
    expect(
      await s.server.cubby.db.selectFrom('journal_entries_applied').select(['decision', 'note']).executeTakeFirstOrThrow(),
    ).toEqual({ decision: 'applied', note: null });
    expect((await s.loans()).map((l) => l.status)).toEqual(['returned']);
    expect(await s.compartment(online.compartment!)).toMatchObject({
      status: 'loaded',
      device_id: s.loaners[0]!.deviceId,
      transaction_id: null,
    });
    expect(await s.auditActions()).toContain('compartment.step_voided');
    expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
  });

  it('an offline borrow of the loaner an online borrow had claimed, whose unlock never arrived, is the loan that counts', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    await visited(other.personId);
    // The station holds the snapshot from before the online borrow: the link drops before its unlock arrives.
    const sent = await reconnect();
    const { link } = sent;
    const online = await s.start(await s.signIn(undefined, link), { kind: 'borrow', reason: 'forgotten' }, link);
    const entry = await entryFor(sent, other.badge, other.personId, {
      compartment: online.compartment!,
      deviceId: s.loaners[0]!.deviceId,
    });
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    expect(await s.kioskTransaction(online.id)).toMatchObject({ status: 'failed', error_code: 'compartment_fault' });
    expect((await s.loans()).map((l) => [l.person_id, l.status])).toEqual([
      [s.student.personId, 'cancelled'],
      [other.personId, 'active'],
    ]);
    expect(await lockerInvariantViolations(s.server.cubby)).toEqual([]);
  });

  it('a borrow by someone who borrowed elsewhere meanwhile is still recorded, flagged over the limit', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80], policy: { maxActiveLoans: 1 } });
    await visited(s.student.personId);
    const sent = await reconnect(); // the snapshot the station goes offline with: no loan yet
    const { link } = sent;
    await borrowedAt(link); // meanwhile online (as at another kiosk): takes the 90 % loaner from door 1
    const entry = await entryFor(sent, s.student.badge, s.student.personId, {
      compartment: 2,
      deviceId: s.loaners[1]!.deviceId,
    });
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    expect((await s.loans()).map((l) => l.status)).toEqual(['active', 'active']);
    const applied = await s.server.cubby.db.selectFrom('journal_entries_applied').selectAll().executeTakeFirstOrThrow();
    expect(applied).toMatchObject({ decision: 'flagged', kind: 'borrow' });
    expect(applied.note).toMatch(/over the loan limit/);
  });

  it('an entry whose credential does not match the person it names is rejected and changes no loan', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    await visited(s.student.personId, other.personId);
    const sent = await reconnect();
    const { link } = sent;
    const entry = await entryFor(sent, other.badge, s.student.personId, { deviceId: s.loaners[0]!.deviceId });
    const answer = await replay(link, [entry]);
    expect(answer.applied).toEqual([]);
    expect(answer.rejected).toMatchObject([{ key: entry.key }]);
    expect(await s.loans()).toEqual([]);
    expect(await s.auditActions()).toContain('journal.entry_rejected');
  });
});

/** A station is hostile until shown otherwise: its journal may name anything it ever saw, or guessed. */
describe.each(testDialects)('a forged offline journal on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => {
    await s?.close();
  });

  /**
   * A second enrolled station at the same campus, in use (the student visited it, so its
   * snapshot lists them): its token, keys and snapshot are all the attacker holds.
   */
  async function aThiefStation(options: { loanerBehind?: number } = {}) {
    const other = await aStation(s.server.cubby, s.siteId, { compartments: 4 });
    await aPastVisit(s.server.cubby, other.stationId, s.student.personId);
    const door = options.loanerBehind ? other.compartments[options.loanerBehind - 1]! : undefined;
    const own = door ? (await aLoaner(s.server.cubby, s.districtId, door.id, { charge: 90 })).deviceId : undefined;
    const link = await s.rawLink(other.token);
    const welcome = (await link.hello()) as unknown as { offline: { snapshotKey: string; badgeKey: string } };
    const snapshot = (await link.next((m) => m.type === 'policy_snapshot')) as unknown as PolicySnapshotMessage;
    expect(snapshot.credentials.map((c) => c.personId)).toEqual([s.student.personId]);
    const forge = async (rest: Partial<JournalEntry>): Promise<JournalEntry> => ({
      key: randomUUID(),
      seq: 1,
      at: Date.now(),
      personId: s.student.personId,
      outcome: 'completed',
      presenceAfter: false,
      compartment: 2,
      credentialHash: await snapshotCredentialHash(offlineBadgeHash(welcome.offline.badgeKey, s.student.badge), snapshot.hashing),
      action: { kind: 'borrow', reason: 'forgotten' },
      snapshotId: snapshot.snapshotId,
      ...rest,
    });
    return { station: other, link, snapshot, forge, own };
  }

  /** Refused and answered (so an honest station would not resend it forever), nothing changed, an alert and an audit event. */
  async function expectRefused(thief: Awaited<ReturnType<typeof aThiefStation>>, entry: JournalEntry, reason: RegExp) {
    const before = await s.snapshot();
    const result = await thief.link.request({ type: 'journal', entries: [entry] });
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({ applied: [], rejected: [{ key: entry.key, reason: expect.stringMatching(reason) }] });
    const after = await s.snapshot();
    for (const table of ['loans', 'devices', 'compartments', 'kiosk_transactions'])
      expect([table, after[table]]).toEqual([table, before[table]]);
    const alerts = await s.server.cubby.db
      .selectFrom('alerts')
      .selectAll()
      .where('station_id', '=', thief.station.stationId)
      .execute();
    expect(alerts.map((a) => a.kind)).toEqual(['journal_refused']);
    expect(await s.auditActions()).toContain('journal.entry_rejected');
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  }

  it('an offline borrow naming another station’s loaner, with maxActiveLoans 0, is refused, changes nothing and raises an alert', async () => {
    s = await aStationScenario(dialect, { loaners: [90], policy: { maxActiveLoans: 0 } });
    const thief = await aThiefStation();
    const victim = s.loaners[0]!.deviceId; // behind door 1 of the first station
    await expectRefused(thief, await thief.forge({ compartment: 2, deviceId: victim }), /no such loaner/);
    expect(await s.compartment(1)).toMatchObject({ status: 'loaded', device_id: victim });
  });

  it('an offline borrow of the station’s own loaner is refused when the snapshot’s limit allowed none', async () => {
    s = await aStationScenario(dialect, { loaners: [90], policy: { maxActiveLoans: 0 } });
    const thief = await aThiefStation({ loanerBehind: 3 });
    expect(thief.snapshot.loaners.map((l) => [l.compartment, l.deviceId])).toEqual([[3, thief.own]]);
    await expectRefused(thief, await thief.forge({ compartment: 3, deviceId: thief.own! }), /loan limit \(0\)/);
  });

  it.each([
    ['names no snapshot', { snapshotId: undefined }, /no policy snapshot/],
    ['names another station’s snapshot', 'first-station', /no policy snapshot/],
    ['names a door the station does not have', { compartment: 9, action: { kind: 'return' }, presenceAfter: true }, /not part/],
    ['names a person its snapshot did not list', 'stranger', /not one the station/],
  ] as const)('an entry that %s is refused', async (_what, change, reason) => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const thief = await aThiefStation();
    let entry: JournalEntry;
    if (change === 'first-station') {
      await aPastVisit(s.server.cubby, s.station.stationId, s.student.personId);
      s.link.close();
      const first = await s.rawLink(s.station.token);
      await first.hello();
      const theirs = (await first.next((m) => m.type === 'policy_snapshot')) as unknown as PolicySnapshotMessage;
      entry = await thief.forge({ snapshotId: theirs.snapshotId, action: { kind: 'return' }, presenceAfter: true });
    } else if (change === 'stranger') {
      const stranger = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
      entry = await thief.forge({ personId: stranger.personId, action: { kind: 'return' }, presenceAfter: true });
    } else {
      entry = await thief.forge(change as Partial<JournalEntry>);
      if ('snapshotId' in change) delete (entry as { snapshotId?: string }).snapshotId;
    }
    await expectRefused(thief, entry, reason);
  });
});
