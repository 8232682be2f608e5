import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { aSite, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

async function aTechnician(s: StationScenario, siteId: string = s.siteId) {
  return aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId });
}

describe.each(testDialects)('a technician taking loaners out on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('opens as many loaner doors as asked, one after the other; each loaner taken leaves the station', async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80, 70] });
    const tech = await aTechnician(s);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'take_loaners_out', count: 2 });
    expect(txn).toMatchObject({ kind: 'take_loaners_out', compartment: 1, purpose: 'take_loaner_out' });
    await s.useDoor(1, false);
    await s.useDoor(2, true); // changed their mind: left inside
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 1, leftInside: [2], jammedDoors: [] },
    });
    expect(await s.device(s.loaners[0]!.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await s.compartment(1)).toMatchObject({ status: 'empty', device_id: null });
    expect(await s.device(s.loaners[1]!.deviceId)).toMatchObject({ status: 'available' });
    expect(await s.compartment(2)).toMatchObject({ status: 'loaded', device_id: s.loaners[1]!.deviceId });
    // Door 3 was not asked for.
    expect(await s.compartment(3)).toMatchObject({ status: 'loaded', transaction_id: null });
    const out = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['actor_id', 'entity_id'])
      .where('action', '=', 'device.taken_out')
      .execute();
    expect(out).toEqual([{ actor_id: tech.personId, entity_id: s.loaners[0]!.deviceId }]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('no loaner here, another campus, a student: each refused', async () => {
    s = await aStationScenario(dialect, { loaners: [] });
    const tech = await aTechnician(s);
    expect(await s.act(await s.signIn({ badge: tech.badge }), { kind: 'take_loaners_out', count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'no_loaner_available' },
    });
    const north = await aTechnician(s, await aSite(s.server.cubby, s.districtId, { name: 'North' }));
    expect(await s.act(await s.signIn({ badge: north.badge }), { kind: 'take_loaners_out', count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not_technician_here' },
    });
    expect(await s.act(await s.signIn(), { kind: 'take_loaners_out', count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('a door that jams mid-take-out goes out of service with its loaner, and the next door opens', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'take_loaners_out', count: 2 });
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 1);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 1, commandId: unlock.commandId, detail: 'door did not open' },
    });
    await s.useDoor(2, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({
      status: 'completed',
      summary: { collected: 1, jammedDoors: [1] },
    });
    expect(await s.compartment(1)).toMatchObject({ status: 'out_of_service', device_id: s.loaners[0]!.deviceId });
    expect(await s.device(s.loaners[1]!.deviceId)).toMatchObject({ status: 'in_service' });
  });
});
