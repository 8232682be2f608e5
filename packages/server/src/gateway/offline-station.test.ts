import { afterEach, describe, expect, it } from 'vitest';
import { buildKioskApi } from '@cubby/station';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { lockerInvariantViolations } from '../testing/invariants.js';
import { anOfflineCapableStation, type OfflineCapableStation } from '../testing/offline-station.js';

const borrow = { kind: 'borrow', reason: 'forgotten' } as const;
const giveBack = { kind: 'return' } as const;

/** A real station agent through network outages: what it does alone reaches the server exactly once. */
describe.each(testDialects)('a station through a network outage on %s', (dialect) => {
  let w: OfflineCapableStation | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function started(options: Parameters<typeof anOfflineCapableStation>[1] = {}) {
    w = await anOfflineCapableStation(dialect, options);
    await w.boot();
    await w.online();
    return w;
  }

  it('an offline return and an offline borrow each count exactly once when the link comes back', async () => {
    const {
      agent,
      students: [ana, ben],
      ...world
    } = await started();
    expect(await world.visit(ana!.badge, borrow)).toMatchObject({ status: 'completed', offline: false });
    await world.online(); // a snapshot that knows Ana holds a loaner
    await world.offline();
    expect(await agent.status()).toMatchObject({ online: false, offlineReady: true });

    expect(await world.visit(ana!.badge, giveBack)).toMatchObject({ status: 'completed', offline: true });
    expect(await world.visit(ben!.badge, borrow)).toMatchObject({ status: 'completed', offline: true });
    expect(w!.journal.entries()).toHaveLength(2);
    // The server has heard nothing yet.
    expect((await world.loans()).map((l) => l.status)).toEqual(['active']);

    await world.online();
    await world.journalDrained();
    const loans = await world.loans();
    expect(loans.map((l) => [l.person_id, l.status])).toEqual([
      [ana!.personId, 'returned'],
      [ben!.personId, 'active'],
    ]);
    expect(
      await world.server.cubby.db.selectFrom('journal_entries_applied').select(['decision', 'note']).orderBy('seq').execute(),
    ).toEqual([
      { decision: 'applied', note: null },
      { decision: 'applied', note: null },
    ]);
    expect(await lockerInvariantViolations(world.server.cubby)).toEqual([]);
  });

  it('offline, a PIN, an unknown badge, a second loaner and a borrow past the offline limit are refused and journal nothing', async () => {
    const {
      agent,
      students: [ana, ben, cal],
      ...world
    } = await started({
      students: 3,
      loaners: [95, 90, 85],
      env: { CUBBY_OFFLINE_BORROW_LIMIT: '1' },
      policy: { maxActiveLoans: 1 },
    });
    await world.offline();
    // What the kiosk screen sees: offline, yet able to serve badges.
    const kiosk = buildKioskApi({ agent });
    expect((await kiosk.inject({ method: 'GET', url: '/api/station' })).json()).toMatchObject({
      online: false,
      offlineReady: true,
    });
    const pin = await kiosk.inject({
      method: 'POST',
      url: '/api/session',
      payload: { studentNumber: ana!.studentNumber, pin: '2468' },
    });
    expect([pin.statusCode, pin.json().code]).toEqual([503, 'offline_pin_unavailable']);
    const badge = await kiosk.inject({ method: 'POST', url: '/api/session', payload: { badge: ana!.badge } });
    expect(badge.json()).toMatchObject({ signedIn: true, offline: true, person: { id: ana!.personId }, loans: [] });
    await kiosk.close();
    await expect(agent.signIn({ studentNumber: ana!.studentNumber, pin: '2468' })).rejects.toMatchObject({
      code: 'offline_pin_unavailable',
    });
    await expect(agent.signIn({ badge: '99999999' })).rejects.toMatchObject({ code: 'offline_unknown_credential' });
    expect(await world.visit(ana!.badge, borrow)).toMatchObject({ status: 'completed', offline: true });
    expect(await world.visit(ana!.badge, borrow)).toMatchObject({ status: 'refused', code: 'loan_limit_reached' });
    expect(await world.visit(ben!.badge, borrow)).toMatchObject({ status: 'refused', code: 'offline_limit_reached' });
    expect(await world.visit(cal!.badge, { kind: 'charge' } as never)).toMatchObject({
      status: 'refused',
      code: 'offline_not_possible',
    });
    expect(w!.journal.entries()).toHaveLength(1);
    await world.online();
    await world.journalDrained();
    expect((await world.loans()).map((l) => l.person_id)).toEqual([ana!.personId]);
  });

  it('a station restarted during the outage replays what its journal file holds, even a door that closed while it was down', async () => {
    const {
      students: [ana, ben],
      ...world
    } = await started();
    await world.offline();
    expect(await world.visit(ana!.badge, borrow)).toMatchObject({ status: 'completed', offline: true });
    // Ben's door opens, then the power goes before he takes the loaner; he takes it anyway.
    await w!.agent.signIn({ badge: ben!.badge });
    const { transaction } = await w!.agent.act(borrow);
    await world.shutdown();
    world.bank.take(transaction!.compartment!);
    world.bank.closeDoor(transaction!.compartment!);
    world.outage.restore();
    await w!.boot(); // a new agent on the same file
    await world.journalDrained();
    expect((await world.loans()).map((l) => [l.person_id, l.status])).toEqual([
      [ana!.personId, 'active'],
      [ben!.personId, 'active'],
    ]);
    expect(await lockerInvariantViolations(world.server.cubby)).toEqual([]);
    expect(await sealAndVerify(world.server.cubby)).toMatchObject({ ok: true });
  });

  it.each([7, 11, 23])(
    'with the link cut and restored at random points, every finished transaction is recorded exactly once (seed %i)',
    async (start) => {
      const {
        agent: _agent,
        students,
        ...world
      } = await started({ students: 3, loaners: [95, 90, 85], policy: { maxActiveLoans: 1 } });
      let seed = start + Number(process.env.CUBBY_TEST_SEED_SHIFT ?? 0);
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const toggle = async () => (world.outage.isDown ? world.online() : world.offline());
      const holds = new Map<string, boolean>();
      const done = { borrow: 0, return: 0 };
      const offlineKeys: string[] = [];
      for (let round = 0; round < 24; round++) {
        if (random() < 0.4) await toggle();
        const student = students[Math.floor(random() * students.length)]!;
        const action = holds.get(student.personId) ? giveBack : borrow;
        const midway = random() < 0.3 ? toggle : async () => {};
        const outcome = await world.visit(student.badge, action, midway);
        if (outcome.status !== 'completed') continue;
        done[action.kind] += 1;
        holds.set(student.personId, action.kind === 'borrow');
        if (outcome.offline && outcome.id) offlineKeys.push(outcome.id);
      }
      await world.online();
      await world.journalDrained();
      const db = world.server.cubby.db;
      await expect
        .poll(
          async () =>
            (await db.selectFrom('kiosk_transactions').select('id').where('status', '=', 'in_progress').execute()).length,
        )
        .toBe(0);

      const loans = await world.loans();
      expect(loans.filter((l) => l.status === 'active').length).toBe(done.borrow - done.return);
      expect(loans.filter((l) => l.status === 'returned').length).toBe(done.return);
      for (const s of students)
        expect(loans.filter((l) => l.person_id === s.personId && l.status === 'active').length).toBe(
          holds.get(s.personId) ? 1 : 0,
        );
      const applied = await db.selectFrom('journal_entries_applied').select('key').execute();
      expect(applied.map((a) => a.key).sort()).toEqual([...offlineKeys].sort());
      const replayed = await db
        .selectFrom('kiosk_transactions')
        .select('request_id')
        .where('request_id', 'like', 'journal:%')
        .execute();
      expect(replayed.map((r) => r.request_id.slice('journal:'.length)).sort()).toEqual([...offlineKeys].sort());
      const audit = await db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'in', ['loan.started', 'loan.returned'])
        .execute();
      expect(audit.filter((a) => a.action === 'loan.started').length).toBe(done.borrow);
      expect(audit.filter((a) => a.action === 'loan.returned').length).toBe(done.return);
      expect(await lockerInvariantViolations(world.server.cubby)).toEqual([]);
    },
  );
});
