import { sealAuditChain } from '@cubby/db';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aSite, aStation } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

describe.each(testDialects)('a station link connecting and leaving on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const stationRow = (id: string) =>
    s.server.cubby.db.selectFrom('stations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const actionsOf = async (stationId: string) =>
    (await sealAuditChain(s.server.cubby)) >= 0 &&
    (
      await s.server.cubby.db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', stationId)
        .orderBy('seq')
        .execute()
    ).map((a) => a.action);

  it('hello records the station online with its readings, and closing the link records it offline', async () => {
    s = await aStationScenario(dialect);
    const other = await aStation(s.server.cubby, s.siteId, { name: 'Gym', compartments: 2 });
    const link = await s.rawLink(other.token);
    expect(await stationRow(other.stationId)).toMatchObject({ connected: 0 });
    link.send({
      type: 'hello',
      agentVersion: 'test',
      compartments: [{ number: 2, door: 'open', presence: true, charging: false }],
    });
    expect(await link.next((m) => m.type === 'welcome')).toMatchObject({ stationId: other.stationId, stationName: 'Gym' });
    expect(await stationRow(other.stationId)).toMatchObject({ connected: 1 });
    expect(await s.compartment(2, other.stationId)).toMatchObject({ door: 'open', presence: 1 });

    link.close();
    await link.closed();
    await eventually(async () => expect(await stationRow(other.stationId)).toMatchObject({ connected: 0 }));
    expect(await actionsOf(other.stationId)).toEqual(['station.connected', 'station.disconnected']);
  });

  it("the welcome tells the station its campus's time zone, which the kiosk shows every time in", async () => {
    s = await aStationScenario(dialect);
    const siteId = await aSite(s.server.cubby, s.districtId, { name: 'Mountain campus', timeZone: 'America/Denver' });
    const other = await aStation(s.server.cubby, siteId, { name: 'Annex', compartments: 2 });
    const link = await s.rawLink(other.token);
    link.send({ type: 'hello', agentVersion: 'test', compartments: [] });
    expect(await link.next((m) => m.type === 'welcome')).toMatchObject({ stationName: 'Annex', timeZone: 'America/Denver' });
    link.close();
  });

  it('a newer link for the same station replaces the older one, and the station stays online', async () => {
    s = await aStationScenario(dialect);
    const newer = await s.rawLink(s.station.token);
    expect(await s.link.closed()).toBe(4409);
    await newer.hello();
    await newer.ping();
    expect(await stationRow(s.station.stationId)).toMatchObject({ connected: 1 });
    // The newer link now carries the station's conversation.
    expect(await newer.request({ type: 'auth', credential: { badge: s.student.badge } })).toMatchObject({ ok: true });
  });

  it('a link closed before hello leaves no trace', async () => {
    s = await aStationScenario(dialect);
    const other = await aStation(s.server.cubby, s.siteId, { name: 'Gym' });
    const before = await s.snapshot();
    const link = await s.rawLink(other.token);
    link.close();
    await link.closed();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await s.snapshot()).toEqual(before);
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
