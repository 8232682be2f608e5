import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { anAssignedDevice, aStation } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';

/** Each bad input gets a clear error and changes nothing in the database. */
describe.each(testDialects)('bad input at the station link on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  /** Runs `attempt` and proves every table is exactly as it was. */
  async function changesNothing(attempt: () => Promise<void>) {
    const before = await s.snapshot();
    await attempt();
    expect(await s.snapshot()).toEqual(before);
  }

  it('an unknown badge is refused as unknown_credential', async () => {
    s = await aStationScenario(dialect);
    await changesNothing(async () => {
      expect(await s.link.request({ type: 'auth', credential: { badge: '999999999' } })).toMatchObject({
        ok: false,
        error: { code: 'unknown_credential' },
      });
    });
  });

  it('a wrong PIN is refused, and after CUBBY_PIN_MAX_FAILURES even the right PIN is locked out', async () => {
    s = await aStationScenario(dialect, { env: { CUBBY_PIN_MAX_FAILURES: '3' } });
    const attempt = (pin: string) =>
      s.link.request({ type: 'auth', credential: { studentNumber: s.student.studentNumber, pin } });
    await changesNothing(async () => {
      for (let i = 0; i < 3; i++) expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
      expect(await attempt('2468')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    });
    // An unknown student number gets the same answer as a wrong PIN.
    expect(await s.link.request({ type: 'auth', credential: { studentNumber: 'S999999', pin: '2468' } })).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin' },
    });
  });

  it('a second borrow beyond the policy limit is refused as loan_limit_reached', async () => {
    s = await aStationScenario(dialect, { policy: { maxActiveLoans: 1 } });
    const { session } = await s.borrowed();
    await changesNothing(async () => {
      expect(await s.act(session, { kind: 'borrow', reason: 'forgotten' })).toMatchObject({
        ok: false,
        error: { code: 'loan_limit_reached' },
      });
    });
  });

  it('an expired or forged kiosk session is refused as session_expired', async () => {
    s = await aStationScenario(dialect);
    const valid = await s.signIn();
    const { keys } = s.server.services;
    const expired = keys.signKioskSession({
      personId: s.student.personId,
      stationId: s.station.stationId,
      expiresAt: Date.now() - 1000,
      sessionId: 'an-expired-sign-in',
    });
    const [, mac] = valid.split('.');
    const forgedBody = Buffer.from(JSON.stringify([s.student.personId, s.station.stationId, Date.now() + 86_400_000])).toString(
      'base64url',
    );
    await changesNothing(async () => {
      for (const session of [expired, `${forgedBody}.${mac}`, 'not-a-session', `${valid}x`]) {
        expect(await s.act(session, { kind: 'borrow', reason: 'forgotten' })).toMatchObject({
          ok: false,
          error: { code: 'session_expired' },
        });
      }
    });
  });

  it("a session issued at one station is refused on another station's link", async () => {
    s = await aStationScenario(dialect);
    const other = await s.anotherStation();
    const sessionAtA = await s.signIn();
    await changesNothing(async () => {
      expect(await s.act(sessionAtA, { kind: 'borrow', reason: 'forgotten' }, other.link)).toMatchObject({
        ok: false,
        error: { code: 'session_expired' },
      });
    });
  });

  it("hello with another station's id is forbidden and the link is closed", async () => {
    s = await aStationScenario(dialect);
    const other = await aStation(s.server.cubby, s.siteId, { name: 'Gym' });
    const intruder = await s.rawLink(other.token);
    await changesNothing(async () => {
      const id = intruder.send({ type: 'hello', agentVersion: 'test', stationId: s.station.stationId, compartments: [] });
      expect(await intruder.notice(id)).toMatchObject({ error: { code: 'forbidden' } });
      expect(await intruder.closed()).toBe(4403);
      await settle();
    });
  });

  it('an event for a compartment the station does not have is refused as not_found', async () => {
    s = await aStationScenario(dialect);
    await changesNothing(async () => {
      const id = s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: 99 } });
      expect(await s.link.notice(id)).toMatchObject({ level: 'error', error: { code: 'not_found' } });
    });
  });

  it('a link without a token, or with a wrong one, is refused with 403 problem JSON before the upgrade', async () => {
    s = await aStationScenario(dialect);
    await changesNothing(async () => {
      for (const token of [undefined, 'cst_wrong', s.station.token.slice(0, -1)]) {
        const refused = await StationDouble.refusal(s.server.url, token);
        expect(refused.status).toBe(403);
        expect(refused.contentType).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({
          type: expect.any(String),
          title: expect.any(String),
          status: 403,
          code: 'forbidden',
        });
      }
    });
  });

  it('malformed JSON, a wrong protocol version and schema violations get a bad_request notice', async () => {
    s = await aStationScenario(dialect);
    await changesNothing(async () => {
      s.link.sendRaw('{"v":1,"id":"m1","type":');
      expect(await s.link.notice(undefined)).toMatchObject({ level: 'error', error: { code: 'bad_request' } });
      const bad: Record<string, unknown>[] = [
        { v: 2, id: 'wrong-version', type: 'ping' },
        { v: 1, id: 'negative-door', type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: -1 } },
        { v: 1, id: 'unknown-type', type: 'self_destruct' },
        { v: 1, id: 'huge-badge', type: 'auth', credential: { badge: '1'.repeat(100_000) } },
        {
          v: 1,
          id: 'huge-detail',
          type: 'event',
          at: Date.now(),
          event: { kind: 'lock_fault', compartment: 1, commandId: 'c1', detail: 'x'.repeat(10_000) },
        },
        { v: 1, id: 'unknown-action', type: 'request', session: 'x', action: { kind: 'empty_all_lockers' } },
        { v: 1, id: 'no-envelope-fields', type: 'auth' },
      ];
      for (const message of bad) {
        s.link.sendRaw(JSON.stringify(message));
        expect(await s.link.notice(message.id as string)).toMatchObject({ level: 'error', error: { code: 'bad_request' } });
      }
      // A message that is not an object at all.
      s.link.sendRaw('[1,2,3]');
      expect(await s.link.notice(undefined)).toMatchObject({ error: { code: 'bad_request' } });
      s.link.sendRaw('null');
      expect(await s.link.notice(undefined)).toMatchObject({ error: { code: 'bad_request' } });
    });
    // The link survives bad input.
    await s.link.ping();
  });

  it('messages before hello are refused', async () => {
    s = await aStationScenario(dialect);
    const other = await aStation(s.server.cubby, s.siteId, { name: 'Gym' });
    const early = await s.rawLink(other.token);
    await changesNothing(async () => {
      for (const message of [
        { type: 'auth', credential: { badge: s.student.badge } },
        { type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: 1 } },
        { type: 'request', session: 'x', action: { kind: 'borrow', reason: 'broken' } },
      ]) {
        const id = early.send(message);
        expect(await early.notice(id)).toMatchObject({ level: 'error', error: { code: 'bad_request' } });
      }
    });
    expect(early.received.some((m) => m.type === 'result')).toBe(false);
  });

  it('a replayed request (the same message id twice) is refused as replayed_message', async () => {
    s = await aStationScenario(dialect);
    const session = await s.signIn();
    const id = 'borrow-request-1';
    const first = await s.link.request({ id, type: 'request', session, action: { kind: 'borrow', reason: 'forgotten' } });
    expect(first.ok).toBe(true);
    await changesNothing(async () => {
      const again = await s.link.request({ id, type: 'request', session, action: { kind: 'borrow', reason: 'forgotten' } });
      expect(again).toMatchObject({ ok: false, error: { code: 'replayed_message' } });
    });
    // The same id replayed after the loan ended is still a replay.
    const txn = (first.data as { transaction: { id: string; compartment: number } }).transaction;
    await s.useDoor(txn.compartment, false);
    await s.transactionEnd(txn.id);
    const returned = await s.start(session, { kind: 'return' });
    await s.useDoor(returned.compartment!, true);
    await s.transactionEnd(returned.id);
    await changesNothing(async () => {
      const again = await s.link.request({ id, type: 'request', session, action: { kind: 'borrow', reason: 'forgotten' } });
      expect(again).toMatchObject({ ok: false, error: { code: 'replayed_message' } });
    });
  });

  it('a replayed agreement acceptance changes nothing', async () => {
    s = await aStationScenario(dialect, { policy: { requireAgreement: true } });
    const session = await s.signIn();
    const id = 'accept-1';
    expect(await s.link.request({ id, type: 'request', session, action: { kind: 'accept_agreement' } })).toMatchObject({
      ok: true,
    });
    await changesNothing(async () => {
      await s.link.request({ id, type: 'request', session, action: { kind: 'accept_agreement' } });
      await s.link.request({ type: 'request', session, action: { kind: 'accept_agreement' } });
    });
    expect((await s.auditActions()).filter((a) => a === 'person.agreement_accepted')).toHaveLength(1);
  });

  it('a repeated door_closed event changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await s.borrowed();
    await changesNothing(async () => {
      for (const presence of [false, true]) {
        s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 1, presence } });
      }
      await s.link.ping();
    });
  });

  it("a door_closed for a door held but never unlocked (a swap's loaner door) changes nothing", async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'swap', symptom: 'screen' });
    expect(await s.compartment(1)).toMatchObject({ status: 'reserved', purpose: 'take_loaner', command_id: null });
    await changesNothing(async () => {
      for (const presence of [true, false]) {
        s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 1, presence } });
      }
      await s.link.ping();
    });
    // The swap still runs to the end as planned.
    await s.useDoor(txn.compartment!, true);
    await s.useDoor(1, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
  });

  it('a stale lock_fault with an old command id changes nothing', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' });
    const unlock = await s.useDoor(txn.compartment!, false);
    await s.transactionEnd(txn.id);
    await changesNothing(async () => {
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'lock_fault', compartment: txn.compartment!, commandId: unlock.commandId, detail: 'late report' },
      });
      await s.link.ping();
    });
    // Also while another transaction holds a door: a fault for a different command is ignored.
    const returning = await s.start(session, { kind: 'return' });
    await changesNothing(async () => {
      s.link.send({
        type: 'event',
        at: Date.now(),
        event: { kind: 'lock_fault', compartment: returning.compartment!, commandId: unlock.commandId, detail: 'wrong command' },
      });
      await s.link.ping();
    });
  });
});

/** Lets the server finish what a closed socket set off (its close handler runs after the client sees the close). */
function settle(ms = 200): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
