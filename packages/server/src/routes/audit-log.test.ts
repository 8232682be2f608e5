import { localIsoTime } from '@cubby/core';
import { inTransaction, sealAuditChain, verifyAuditChain, type AuditEntry } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasePerson } from '../services/privacy/erase.js';
import { aLoaner, anApiToken, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser } from '../testing/users.js';

interface Event {
  action: string;
  at: number;
  actorId: string | null;
  stationId: string | null;
  names: { actor: string | null; subject: string | null; station: string | null; campus: string | null; device: string | null };
  timeZone: string;
}

/**
 * The audit log names what its ids stand for when it is read, within what the
 * reader may see; the events themselves keep ids only, so the chain verifies.
 */
describe.each(testDialects)('the audit log with names on %s', (dialect) => {
  let s: StationScenario;
  let visitor: string;
  let stationB: string;
  let loanerB: { assetTag: string; deviceId: string };
  let userB: string;
  const tokens: Record<'district' | 'siteA' | 'siteB' | 'noNames', string> = {} as never;

  async function audit(entry: AuditEntry) {
    await inTransaction(s.server.cubby, async (tx) => tx.audit(entry));
  }

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 80] });
    const cubby = s.server.cubby;
    await cubby.db
      .updateTable('people')
      .set({ given_name: 'Ana', family_name: 'García', site_id: s.siteId })
      .where('id', '=', s.student.personId)
      .execute();
    await cubby.db.updateTable('stations').set({ name: 'North Hall' }).where('id', '=', s.station.stationId).execute();
    await s.borrowed();
    const siteB = await aSite(cubby, s.districtId, { name: 'Oak Middle', timeZone: 'America/New_York' });
    const b = await aStation(cubby, siteB, { name: 'Oak Library', compartments: 4 });
    stationB = b.stationId;
    loanerB = await aLoaner(cubby, s.districtId, b.compartments[0]!.id, { charge: 60 });
    visitor = (
      await aStudent(cubby, s.server.services.keys, s.districtId, { siteId: siteB, givenName: 'Zelda', familyName: 'Quinn' })
    ).personId;
    userB = (await aUser(cubby, { role: 'site_admin', siteIds: [siteB], name: 'Bea Oak' })).id;
    const districtUser = (await aUser(cubby, { role: 'district_admin', name: 'Dana District' })).id;
    // A student of Oak Middle at North Hall, and Oak Middle's own events.
    await audit({
      actorType: 'person',
      actorId: visitor,
      action: 'person.agreement_accepted',
      entityType: 'person',
      entityId: visitor,
      stationId: s.station.stationId,
    });
    await audit({
      actorType: 'person',
      actorId: visitor,
      action: 'loan.started',
      entityType: 'loan',
      entityId: 'l-b',
      stationId: stationB,
      data: { deviceId: loanerB.deviceId },
    });
    await audit({
      actorType: 'user',
      actorId: userB,
      action: 'compartment.remote_open',
      entityType: 'compartment',
      entityId: 'c-a',
      stationId: s.station.stationId,
      data: { number: 3 },
    });
    await audit({
      actorType: 'user',
      actorId: districtUser,
      action: 'compartment.remote_open',
      entityType: 'compartment',
      entityId: 'c-a',
      stationId: s.station.stationId,
      data: { number: 4 },
    });
    tokens.district = await anApiToken(cubby, 'district', { scopes: ['fleet:read', 'people:read', 'audit:read'] });
    tokens.siteA = await anApiToken(cubby, 'a', { scopes: ['fleet:read', 'people:read', 'audit:read'], siteIds: [s.siteId] });
    tokens.siteB = await anApiToken(cubby, 'b', { scopes: ['fleet:read', 'people:read', 'audit:read'], siteIds: [siteB] });
    tokens.noNames = await anApiToken(cubby, 'no-names', { scopes: ['fleet:read', 'audit:read'] });
    await sealAuditChain(cubby);
  });
  afterAll(async () => s?.close());

  const get = (url: string, token = tokens.district) =>
    s.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  async function events(token = tokens.district): Promise<Event[]> {
    const res = await get('/api/v1/audit-events?limit=500', token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Event[] }>().items;
  }
  const started = (list: Event[], stationId = s.station.stationId) =>
    list.find((e) => e.action === 'loan.started' && e.stationId === stationId);

  it('names the student, the loaner, the station and the campus of a borrow, with the campus time zone', async () => {
    expect(started(await events())).toMatchObject({
      names: { actor: 'Ana García', station: 'North Hall', campus: 'Maple Valley High', device: s.loaners[0]!.assetTag },
      timeZone: 'America/Chicago',
    });
    expect(started(await events(), stationB)).toMatchObject({
      names: { actor: 'Zelda Quinn', station: 'Oak Library', campus: 'Oak Middle', device: loanerB.assetTag },
      timeZone: 'America/New_York',
    });
  });

  it("a campus admin sees their campus's names only: not another campus's student or staff member", async () => {
    const list = await events(tokens.siteA);
    expect(started(list)!.names.actor).toBe('Ana García');
    expect(started(list, stationB)).toBeUndefined();
    const visit = list.find((e) => e.action === 'person.agreement_accepted' && e.actorId === visitor)!;
    expect(visit.names).toMatchObject({ actor: null, subject: null, station: 'North Hall' });
    const opens = list.filter((e) => e.action === 'compartment.remote_open').map((e) => e.names.actor);
    expect(opens.sort()).toEqual(['Dana District', null]);
    expect(JSON.stringify(list)).not.toMatch(/Zelda|Quinn|Bea Oak|Oak Library/);
    // The other campus's admin sees its own names, and nothing of North Hall.
    const theirs = await events(tokens.siteB);
    expect(started(theirs, stationB)!.names.actor).toBe('Zelda Quinn');
    expect(JSON.stringify(theirs)).not.toMatch(/Ana|García|North Hall/);
  });

  it("without people:read nobody's name is shown, but stations and loaners are", async () => {
    const list = await events(tokens.noNames);
    expect(started(list)!.names).toMatchObject({ actor: null, station: 'North Hall', device: s.loaners[0]!.assetTag });
    expect(JSON.stringify(list)).not.toMatch(/Ana|García|Zelda|Quinn/);
  });

  it('an erased student shows under their pseudonym, and the chain still verifies', async () => {
    const erased = await erasePerson(s.server.cubby, 'cli', visitor, null);
    expect(started(await events(), stationB)!.names.actor).toBe(erased.pseudonym);
    await sealAuditChain(s.server.cubby);
    expect(await verifyAuditChain(s.server.cubby)).toMatchObject({ ok: true });
    // Names are read, never written: no stored event holds one.
    const stored = JSON.stringify(await s.server.cubby.db.selectFrom('audit_events').selectAll().execute());
    expect(stored).not.toMatch(/Ana|García|North Hall|Dana District/);
  });

  it('the CSV has readable headers, names and ISO 8601 local times with the campus offset', async () => {
    const res = await get('/api/v1/audit-events?format=csv');
    const [header, ...rows] = res.body.trim().split('\r\n');
    expect(header!.split(',').slice(0, 9)).toEqual([
      'Time',
      'Campus',
      'Station',
      'Actor type',
      'Actor',
      'Action',
      'Subject type',
      'Subject',
      'Device',
    ]);
    const event = started(await events())!;
    const row = rows.find((r) => r.includes('loan.started') && r.includes('North Hall'))!;
    expect(
      row.startsWith(
        `${localIsoTime(event.at, 'America/Chicago')},Maple Valley High,North Hall,person,Ana García,loan.started,loan,,${s.loaners[0]!.assetTag},`,
      ),
    ).toBe(true);
    expect(row).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[56]:00,/);
    expect(res.body).not.toMatch(/,1\d{12},/); // no epoch milliseconds
  });
});
