import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

/**
 * A station has one kiosk screen: a sign-out ends its session on the server
 * at once, and a new sign-in ends the one before, so a request still sent
 * under it is refused. A request the server accepted before keeps its door.
 */
describe.each(testDialects)('kiosk sessions on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const borrow = { kind: 'borrow', reason: 'forgotten' };
  const anotherStudent = () => aStudent(s.server.cubby, s.server.services.keys, s.districtId, { givenName: 'Ben' });

  it('a signed-out session is refused at once, not when its token expires', async () => {
    s = await aStationScenario(dialect);
    const session = await s.signIn();
    expect(await s.link.request({ type: 'sign_out', session })).toMatchObject({ ok: true });
    const before = await s.snapshot();
    expect(await s.act(session, borrow)).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(await s.snapshot()).toEqual(before);
  });

  it("a new sign-in at the station ends the previous person's session", async () => {
    s = await aStationScenario(dialect);
    const first = await s.signIn();
    const ben = await anotherStudent();
    const second = await s.signIn({ badge: ben.badge });
    expect(await s.act(first, borrow)).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(await s.loans()).toEqual([]);
    // The new person's session is the live one.
    const txn = await s.start(second, borrow);
    expect(txn.status).toBe('in_progress');
  });

  it("a sign-out of an ended session leaves the next person's session alone", async () => {
    s = await aStationScenario(dialect);
    const first = await s.signIn();
    const ben = await anotherStudent();
    const second = await s.signIn({ badge: ben.badge });
    expect(await s.link.request({ type: 'sign_out', session: first })).toMatchObject({ ok: true });
    expect((await s.start(second, borrow)).status).toBe('in_progress');
  });

  it('a door already open when someone else signs in still settles for the person who opened it', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const first = await s.signIn();
    const txn = await s.start(first, borrow);
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.transactionId === txn.id);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'door_opened', compartment: txn.compartment, commandId: unlock.commandId },
    });
    await s.link.ping();
    const ben = await anotherStudent();
    await s.signIn({ badge: ben.badge });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: txn.compartment, presence: false } });
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect((await s.loans()).map((l) => [l.person_id, l.status])).toEqual([[s.student.personId, 'active']]);
  });
});
