import { parseJson, sealAuditChain, writeImportedContacts } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import type { Page, Person, PersonProfile, PinIssued, PinSheet, RepairTicket } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, aSite, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * The person page's API (docs/dashboard-api.md "People"): one person with
 * their own devices, adding and editing by hand, deactivating, and new kiosk
 * PINs (one student's, a grade's sheet) that work at the kiosk at once, are
 * shown once and stored only as hashes. Forged and hostile requests answer
 * as for nobody.
 */
describe.each(testDialects)('people routes on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let siteAdmin: Browser;
  let otherSiteAdmin: Browser;
  let technician: Browser;
  let northId: string;
  let foreignPersonId: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    const db = s.server.cubby.db;
    await db.updateTable('people').set({ site_id: s.siteId, grade: '9' }).where('id', '=', s.student.personId).execute();
    northId = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
    siteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [s.siteId] }));
    otherSiteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [northId] }));
    technician = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId] }));
    // Another district on the same server: its people are nobody's business here.
    const other = await aDistrict(s.server.cubby, { name: 'Elsewhere ISD' });
    foreignPersonId = (await aStudent(s.server.cubby, s.server.services.keys, other.districtId, { siteId: other.siteId }))
      .personId;
  });
  afterAll(async () => s?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: Browser, payload?: unknown) =>
    s.server.app.inject({ method, url, headers: who.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const newStudent = (over: Record<string, unknown> = {}) => ({
    role: 'student',
    givenName: 'Lucía',
    familyName: 'Benítez',
    siteId: s.siteId,
    studentNumber: `N${Math.floor(Math.random() * 1e8)}`,
    grade: '10',
    externalId: null,
    ...over,
  });

  it('shows one person with their own device and never a hash', async () => {
    await s.server.cubby.db
      .updateTable('devices')
      .set({ pool: 'assigned', owner_id: s.student.personId, status: 'in_service' })
      .where('id', '=', s.loaners[1]!.deviceId)
      .execute();
    await s.server.cubby.db
      .updateTable('compartments')
      .set({ device_id: null, status: 'empty', presence: 0 })
      .where('device_id', '=', s.loaners[1]!.deviceId)
      .execute();
    const res = await call('GET', `/api/v1/people/${s.student.personId}`, siteAdmin);
    expect(res.statusCode).toBe(200);
    const profile = res.json<PersonProfile>();
    expect(profile.person).toMatchObject({
      id: s.student.personId,
      studentNumber: s.student.studentNumber,
      grade: '9',
      active: true,
    });
    expect(profile).toMatchObject({ badgeEnrolled: true, pinSet: true, timeZone: 'America/Chicago' });
    expect(profile.devices.map((d) => d.id)).toEqual([s.loaners[1]!.deviceId]);
    expect(res.body).not.toMatch(/argon2|hash/i);
  });

  it('answers 404 for a person of another campus or another district, and 403 without people:read', async () => {
    expect((await call('GET', `/api/v1/people/${s.student.personId}`, otherSiteAdmin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/people/${foreignPersonId}`, admin)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/people/${s.student.personId}`, technician)).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/people/${foreignPersonId}`, admin, { givenName: 'X' })).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/people/${foreignPersonId}/pin`, admin)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/people/${s.student.personId}/pin`, otherSiteAdmin)).statusCode).toBe(404);
  });

  it('lists a student’s guardians from the roster as contacts, only to people:read', async () => {
    await writeImportedContacts(s.server.cubby.db, {
      now: Date.now(),
      create: [
        {
          id: 'contact-1',
          personId: s.student.personId,
          externalId: 'g-1',
          relationship: 'guardian',
          givenName: 'Rosa',
          familyName: 'Benítez',
          email: 'rosa@example.org',
          phone: '+1 512 555 0100',
        },
      ],
      update: [],
      remove: [],
    });
    const res = await call('GET', `/api/v1/people/${s.student.personId}`, siteAdmin);
    expect(res.statusCode).toBe(200);
    expect(res.json<PersonProfile>().contacts).toEqual([
      {
        id: 'contact-1',
        relationship: 'guardian',
        givenName: 'Rosa',
        familyName: 'Benítez',
        email: 'rosa@example.org',
        phone: '+1 512 555 0100',
      },
    ]);
    const refused = await call('GET', `/api/v1/people/${s.student.personId}`, technician);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('Rosa');
  });

  it('lists a person’s repair tickets by personId', async () => {
    const res = await call('GET', `/api/v1/repair-tickets?personId=${s.student.personId}`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json<Page<RepairTicket>>().items).toEqual([]);
  });

  it('adds a student, refuses a taken student number, bad input and a campus that is not the caller’s', async () => {
    const body = newStudent();
    const res = await call('POST', '/api/v1/people', siteAdmin, body);
    expect(res.statusCode).toBe(201);
    expect(res.json<Person>()).toMatchObject({ givenName: 'Lucía', grade: '10', active: true, siteId: s.siteId });
    const again = await call('POST', '/api/v1/people', admin, newStudent({ studentNumber: body.studentNumber }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', reason: 'student_number_taken' });
    expect((await call('POST', '/api/v1/people', admin, newStudent({ grade: '13' }))).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/people', admin, newStudent({ givenName: '   ' }))).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/people', admin, newStudent({ studentNumber: null }))).json()).toMatchObject({
      reason: 'student_number_required',
    });
    expect((await call('POST', '/api/v1/people', admin, { ...newStudent(), badgeHash: 'x' })).statusCode).toBe(400);
    const outside = await call('POST', '/api/v1/people', siteAdmin, newStudent({ siteId: northId }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ reason: 'unknown_campus' });
    expect((await call('POST', '/api/v1/people', technician, newStudent())).statusCode).toBe(403);
  });

  it('edits a person and audits which fields changed, without their values', async () => {
    const created = (await call('POST', '/api/v1/people', admin, newStudent())).json<Person>();
    const res = await call('PATCH', `/api/v1/people/${created.id}`, siteAdmin, { familyName: 'Benítez Ruiz', grade: '11' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Person>()).toMatchObject({ familyName: 'Benítez Ruiz', grade: '11' });
    const moved = await call('PATCH', `/api/v1/people/${created.id}`, siteAdmin, { siteId: northId });
    expect(moved.statusCode).toBe(400);
    await sealAuditChain(s.server.cubby);
    const events = await s.server.cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', created.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['person.created', 'person.updated']);
    expect(parseJson(events[1]!.data)).toMatchObject({ fields: ['familyName', 'grade'] });
    expect(JSON.stringify(events.map((e) => parseJson(e.data)))).not.toContain('Benítez');
  });

  it('a deactivated student cannot sign in at the kiosk; reactivated, they can', async () => {
    const off = await call('PUT', `/api/v1/people/${s.student.personId}/active`, siteAdmin, { active: false });
    expect(off.json<Person>().active).toBe(false);
    const refused = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_eligible' } });
    const on = await call('PUT', `/api/v1/people/${s.student.personId}/active`, siteAdmin, { active: true });
    expect(on.json<Person>().active).toBe(true);
    expect(await s.signIn()).toEqual(expect.any(String));
  });

  it('a reset PIN is shown once, signs in at the kiosk, clears a lockout, and is in no audit event', async () => {
    const number = s.student.studentNumber;
    for (let i = 0; i < 8; i++) await s.link.request({ type: 'auth', credential: { studentNumber: number, pin: '0000' } });
    const locked = await s.link.request({ type: 'auth', credential: { studentNumber: number, pin: '2468' } });
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    const res = await call('POST', `/api/v1/people/${s.student.personId}/pin`, siteAdmin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { pin } = res.json<PinIssued>();
    expect(pin).toMatch(/^[0-9]{6}$/);
    expect(await s.signIn({ studentNumber: number, pin })).toEqual(expect.any(String));
    const old = await s.link.request({ type: 'auth', credential: { studentNumber: number, pin: '2468' } });
    expect(old).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    const stored = await s.server.cubby.db
      .selectFrom('people')
      .select('pin_hash')
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    expect(stored.pin_hash).toMatch(/^\$argon2id\$/);
    await sealAuditChain(s.server.cubby);
    const events = await s.server.cubby.db.selectFrom('audit_events').select(['action', 'data']).execute();
    expect(events.map((e) => e.action)).toContain('person.pin_reset');
    expect(JSON.stringify(events)).not.toContain(pin);
  });

  it('issues a grade’s PINs as a sheet: each works at the kiosk, none is stored or audited in the clear', async () => {
    const keys = s.server.services.keys;
    const ninth = [];
    for (const name of ['Zoe', 'Abel']) {
      const st = await aStudent(s.server.cubby, keys, s.districtId, {
        siteId: s.siteId,
        givenName: name,
        familyName: name === 'Zoe' ? 'Álvarez' : 'Zúñiga',
      });
      ninth.push(st);
    }
    await aStudent(s.server.cubby, keys, s.districtId, { siteId: northId });
    const res = await call('POST', '/api/v1/pin-sheets', siteAdmin, { siteId: s.siteId, grade: '9' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const sheet = res.json<PinSheet>();
    expect(sheet).toMatchObject({ siteName: 'Maple Valley High', grade: '9', timeZone: 'America/Chicago' });
    // Every active ninth-grader of the campus (builders put students in grade 9), by family name.
    expect(sheet.slips.map((x) => x.personId)).toEqual(
      expect.arrayContaining([s.student.personId, ...ninth.map((n) => n.personId)]),
    );
    expect(sheet.slips).toHaveLength(3);
    expect(sheet.slips.map((x) => x.familyName)).toEqual(
      [...sheet.slips.map((x) => x.familyName)].sort((a, b) => a.localeCompare(b)),
    );
    const abel = sheet.slips.find((x) => x.givenName === 'Abel')!;
    expect(await s.signIn({ studentNumber: abel.studentNumber, pin: abel.pin })).toEqual(expect.any(String));
    await sealAuditChain(s.server.cubby);
    const events = await s.server.cubby.db.selectFrom('audit_events').select(['action', 'data']).execute();
    expect(events.filter((e) => e.action === 'person.pin_issued')).toHaveLength(3);
    expect(events.map((e) => e.action)).toContain('site.pin_sheet_issued');
    for (const slip of sheet.slips) expect(JSON.stringify(events)).not.toContain(slip.pin);
    expect((await call('POST', '/api/v1/pin-sheets', otherSiteAdmin, { siteId: s.siteId, grade: '9' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/pin-sheets', admin, { siteId: s.siteId, grade: 'twelve' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/pin-sheets', technician, { siteId: s.siteId, grade: '9' })).statusCode).toBe(403);
  });
});
