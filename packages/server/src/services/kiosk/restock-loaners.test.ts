import { afterEach, describe, expect, it } from 'vitest';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import { aRepairedDevice, aSite, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';

async function aTechnician(s: StationScenario, siteId: string = s.siteId) {
  return aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId });
}

/** A loaner the technician brings from the IT office: in service, in no compartment. */
async function aSpareLoaner(s: StationScenario, from = 2) {
  // Take the scenario's loaner out of door `from` by hand, as if it had been carried away.
  const loaner = s.loaners[from - 1]!;
  const db = s.server.cubby.db;
  await db
    .updateTable('compartments')
    .set({ status: 'empty', device_id: null, presence: 0 })
    .where('device_id', '=', loaner.deviceId)
    .execute();
  await db.updateTable('devices').set({ status: 'in_service' }).where('id', '=', loaner.deviceId).execute();
  return loaner;
}

describe.each(testDialects)('a technician restocking loaners on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  it('an empty door opens for the typed tag and the loaner is available behind it, on its charger', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const spare = await aSpareLoaner(s);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'restock_loaners', assetTag: spare.assetTag.toLowerCase() });
    expect(txn).toMatchObject({ kind: 'restock_loaners', compartment: 2, purpose: 'restock_loaner' });
    await s.useDoor(2, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    await s.link.next((m) => m.type === 'set_charging' && m.compartment === 2 && m.on === true);
    expect(await s.device(spare.deviceId)).toMatchObject({ status: 'available' });
    expect(await s.compartment(2)).toMatchObject({ status: 'loaded', device_id: spare.deviceId, transaction_id: null });
    const restocked = await s.server.cubby.db
      .selectFrom('audit_events')
      .select(['actor_id', 'entity_id'])
      .where('action', '=', 'device.restocked')
      .execute();
    expect(restocked).toEqual([{ actor_id: tech.personId, entity_id: spare.deviceId }]);
    // A student can borrow it now.
    const student = await s.signIn();
    const borrow = await s.start(student, { kind: 'borrow', reason: 'forgotten' });
    expect([1, 2]).toContain(borrow.compartment);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('refuses with the reason: unknown tag, not a loaner, on loan, already in a compartment', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const { session: studentSession } = await s.borrowed();
    void studentSession;
    const [lent] = await s.loans();
    const owned = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn({ badge: tech.badge });
    const refused = async (assetTag: string) => {
      const r = await s.act(session, { kind: 'restock_loaners', assetTag });
      return r.ok ? 'accepted' : (r.error as { code: string }).code;
    };
    const lentTag = (await s.device(lent!.device_id)).asset_tag;
    const inDoor = s.loaners.find((l) => l.deviceId !== lent!.device_id)!;
    expect(await refused('LN-NOPE')).toBe('unknown_asset_tag');
    expect(await refused(owned.assetTag)).toBe('not_a_loaner');
    expect(await refused(lentTag)).toBe('device_on_loan');
    expect(await refused(inDoor.assetTag)).toBe('device_in_compartment');
  });

  it('a technician of another campus is refused', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s, await aSite(s.server.cubby, s.districtId, { name: 'North' }));
    const spare = await aSpareLoaner(s);
    const session = await s.signIn({ badge: tech.badge });
    expect(await s.act(session, { kind: 'restock_loaners', assetTag: spare.assetTag })).toMatchObject({
      ok: false,
      error: { code: 'not_technician_here' },
    });
  });

  it('a door that jams mid-restock goes out of service and the next empty door takes the loaner', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const spare = await aSpareLoaner(s);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'restock_loaners', assetTag: spare.assetTag });
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 2);
    s.link.send({
      type: 'event',
      at: Date.now(),
      event: { kind: 'lock_fault', compartment: 2, commandId: unlock.commandId, detail: 'door did not open' },
    });
    await s.useDoor(3, true);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await s.compartment(2)).toMatchObject({ status: 'out_of_service' });
    expect(await s.compartment(3)).toMatchObject({ status: 'loaded', device_id: spare.deviceId });
    expect(await s.device(spare.deviceId)).toMatchObject({ status: 'available' });
  });

  it('a door shut empty stocks nothing', async () => {
    s = await aStationScenario(dialect);
    const tech = await aTechnician(s);
    const spare = await aSpareLoaner(s);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'restock_loaners', assetTag: spare.assetTag });
    await s.useDoor(2, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'failed', error: { code: 'nothing_returned' } });
    expect(await s.device(spare.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await s.compartment(2)).toMatchObject({ status: 'empty', device_id: null });
  });
});
