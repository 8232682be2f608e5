import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { policySnapshotSigningInput, type JournalEntry, type PolicySnapshotMessage } from '@cubby/protocol';
import { offlineBadgeHash, signWithStationKey, stationCredentialHash } from '@cubby/protocol/offline-keys';
import { randomUUID } from 'node:crypto';
import { aStudent } from '../../testing/builders.js';
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

  /** A fresh link (as after an outage) that reads welcome and the first snapshot. */
  async function reconnect() {
    s.link.close();
    const link = await StationDouble.connect(s.server.url, s.station.token);
    relinked = link;
    const welcome = await link.hello();
    const snapshot = (await link.next((m) => m.type === 'policy_snapshot')) as unknown as PolicySnapshotMessage;
    return { link, welcome, snapshot, keys: (welcome as { offline: { snapshotKey: string; badgeKey: string } }).offline };
  }

  let seq = 0;
  function entryFor(
    keys: { snapshotKey: string; badgeKey: string },
    badge: string,
    personId: string,
    rest: Partial<JournalEntry>,
  ): JournalEntry {
    seq += 1;
    return {
      key: randomUUID(),
      seq,
      at: Date.now(),
      personId,
      outcome: 'completed',
      presenceAfter: false,
      compartment: 1,
      credentialHash: stationCredentialHash(keys.snapshotKey, offlineBadgeHash(keys.badgeKey, badge)),
      action: { kind: 'borrow', reason: 'forgotten' },
      ...rest,
    };
  }

  const replay = async (link: StationDouble, entries: JournalEntry[]) => {
    const result = await link.request({ type: 'journal', entries });
    expect(result.ok).toBe(true);
    return result.data as { applied: string[]; rejected: { key: string; reason: string }[] };
  };

  it('welcome carries the station keys and the snapshot it signs names the student by a station-scoped hash only', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 30], policy: { minChargePercent: 50 } });
    const { snapshot, keys } = await reconnect();
    expect(snapshot.signature).toBe(
      signWithStationKey(keys.snapshotKey, policySnapshotSigningInput(s.station.stationId, snapshot)),
    );
    const hash = stationCredentialHash(keys.snapshotKey, offlineBadgeHash(keys.badgeKey, s.student.badge));
    expect(snapshot.credentials).toContainEqual({ hash, personId: s.student.personId, openLoans: 0 });
    // Neither the server's badge hash nor the offline one travels: only this station's keyed form.
    const person = await s.server.cubby.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(snapshot)).not.toContain(person.badge_hash!);
    expect(JSON.stringify(snapshot)).not.toContain(person.offline_badge_hash!);
    // The loaner below the charge minimum is not offered offline either.
    expect(snapshot.loaners).toEqual([{ compartment: 1, deviceId: s.loaners[0]!.deviceId, battery: 90 }]);
    expect(snapshot).toMatchObject({ maxActiveLoans: 1, offlineBorrowLimit: 20 });
  });

  it('an offline borrow replayed makes one active loan, and the same journal again changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, s.student.badge, s.student.personId, { deviceId: s.loaners[0]!.deviceId });
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
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, s.student.badge, s.student.personId, {
      action: { kind: 'return' },
      compartment: 4,
      presenceAfter: true,
    });
    expect(await replay(link, [entry, entry])).toEqual({ applied: [entry.key, entry.key], rejected: [] });
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
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, s.student.badge, s.student.personId, {
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
    const online = await s.start(await s.signIn(), { kind: 'borrow', reason: 'forgotten' });
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, other.badge, other.personId, {
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
    await s.borrowed(); // takes the 90 % loaner from door 1
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, s.student.badge, s.student.personId, { compartment: 2, deviceId: s.loaners[1]!.deviceId });
    expect(await replay(link, [entry])).toEqual({ applied: [entry.key], rejected: [] });
    expect((await s.loans()).map((l) => l.status)).toEqual(['active', 'active']);
    const applied = await s.server.cubby.db.selectFrom('journal_entries_applied').selectAll().executeTakeFirstOrThrow();
    expect(applied).toMatchObject({ decision: 'flagged', kind: 'borrow' });
    expect(applied.note).toMatch(/over the loan limit/);
  });

  it('an entry whose credential does not match the person it names is rejected and changes no loan', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId);
    const { link, keys } = await reconnect();
    const entry = entryFor(keys, other.badge, s.student.personId, { deviceId: s.loaners[0]!.deviceId });
    const answer = await replay(link, [entry]);
    expect(answer.applied).toEqual([]);
    expect(answer.rejected).toMatchObject([{ key: entry.key }]);
    expect(await s.loans()).toEqual([]);
    expect(await s.auditActions()).toContain('journal.entry_rejected');
  });
});
