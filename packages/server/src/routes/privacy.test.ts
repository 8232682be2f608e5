import { localIsoTime } from '@cubby/core';
import { newId, parseJson, sealAuditChain, verifyAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import type { PrivacyExport } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * A student's privacy export and erasure over the API (docs/privacy.md):
 * district admins only, audited, and the audit chain still verifies after.
 */
describe.each(testDialects)('privacy export and erasure on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let adminId: string;
  let siteAdmin: Browser;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    await s.server.cubby.db
      .updateTable('people')
      .set({ site_id: s.siteId, given_name: 'Maribel', family_name: 'Quintanilla' })
      .where('id', '=', s.student.personId)
      .execute();
    const adminUser = await aUser(s.server.cubby, { role: 'district_admin' });
    adminId = adminUser.id;
    admin = await signIn(s.server.app, adminUser);
    siteAdmin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'site_admin', siteIds: [s.siteId] }));
  });
  afterAll(async () => s?.close());

  const call = (method: 'GET' | 'POST', url: string, who: Browser, payload?: Record<string, unknown>) =>
    s.server.app.inject({ method, url, headers: who.headers, ...(payload !== undefined ? { payload } : {}) });
  const exportUrl = () => `/api/v1/people/${s.student.personId}/privacy-export`;
  const eraseUrl = () => `/api/v1/people/${s.student.personId}/erase`;

  async function returnLoaner(): Promise<void> {
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'return' });
    await s.useDoor(txn.compartment!, true);
    expect((await s.transactionEnd(txn.id)).status).toBe('completed');
  }

  it('a district admin exports everything about one student, as JSON and as CSV, never a hash', async () => {
    await s.borrowed();
    const res = await call('GET', exportUrl(), admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="person-.+\.json"$/);
    const data = res.json<PrivacyExport>();
    expect(data.person).toMatchObject({ id: s.student.personId, givenName: 'Maribel', studentNumber: s.student.studentNumber });
    expect(data.credentials).toEqual({ badgeEnrolled: true, offlineBadgeEnrolled: true, pinSet: true });
    expect(data.loans).toHaveLength(1);
    expect(data.loans[0]).toMatchObject({ status: 'active', reason: 'forgotten' });
    expect(data.kioskTransactions.map((t) => t.kind)).toEqual(['borrow']);
    expect(data.auditEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['loan.claimed', 'loan.started']));
    expect(res.body).not.toMatch(/argon2|badge_?hash|pin_?hash/i);

    const csv = await call('GET', `${exportUrl()}?format=csv`, admin);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('section,record,field,value');
    expect(lines).toContain(`person,${s.student.personId},familyName,Quintanilla`);
    expect(lines).toContain(`credentials,${s.student.personId},pinSet,true`);
    expect(lines.filter((l) => l.startsWith(`loans,${data.loans[0]!.id},`)).length).toBeGreaterThan(5);
    // Times in the campus's zone with their offset, not epoch milliseconds.
    const started = lines.find((l) => l.startsWith(`loans,${data.loans[0]!.id},createdAt,`))!;
    expect(started).toBe(`loans,${data.loans[0]!.id},createdAt,${localIsoTime(data.loans[0]!.createdAt, 'America/Chicago')}`);
    expect(started).toMatch(/T\d\d:\d\d:\d\d-0[56]:00$/);

    await sealAuditChain(s.server.cubby);
    const audited = await s.server.cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'person.privacy_exported')
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => parseJson(a.data))).toEqual([
      { format: 'json', via: 'user' },
      { format: 'csv', via: 'user' },
    ]);
    expect(audited[0]).toMatchObject({ actor_type: 'user', entity_type: 'person', entity_id: s.student.personId });
  });

  it('a site admin with people:read may neither export nor erase (403), and nothing is audited', async () => {
    expect((await call('GET', exportUrl(), siteAdmin)).statusCode).toBe(403);
    expect((await call('POST', eraseUrl(), siteAdmin, { confirm: s.student.studentNumber })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/retention', siteAdmin)).statusCode).toBe(403);
  });

  it('erasure is refused while the student has a loaner out, and with a confirmation that does not match', async () => {
    const before = await s.snapshot();
    const out = await call('POST', eraseUrl(), admin, { confirm: s.student.studentNumber });
    expect(out.statusCode).toBe(409);
    expect(out.json()).toMatchObject({ code: 'conflict', reason: 'open_loan' });
    await returnLoaner();
    const wrong = await call('POST', eraseUrl(), admin, { confirm: 'S999999' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ reason: 'confirmation' });
    expect((await s.snapshot()).people).toEqual(before.people);
  });

  /** A closed swap whose notes (typed at the kiosk, copied to the ticket) name the student. */
  async function aSwapNamingTheStudent(): Promise<{ transactionId: string; ticketId: string }> {
    const db = s.server.cubby.db;
    const [transactionId, ticketId, at] = [newId(), newId(), Date.now()];
    const notes = `maribel quintanilla dropped it (${s.student.studentNumber})`;
    await db
      .insertInto('kiosk_transactions')
      .values({
        ...{ id: transactionId, station_id: s.station.stationId, person_id: s.student.personId, request_id: newId() },
        ...{ kind: 'swap', status: 'completed', error_code: null, loan_id: null, repair_ticket_id: ticketId },
        ...{ charge_session_id: null, detail: JSON.stringify({ deviceId: s.loaners[1]!.deviceId, symptom: 'screen', notes }) },
        ...{ created_at: at, completed_at: at },
      })
      .execute();
    await db
      .insertInto('repair_tickets')
      .values({
        ...{ id: ticketId, device_id: s.loaners[1]!.deviceId, person_id: s.student.personId, transaction_id: transactionId },
        ...{ loan_id: null, status: 'closed', symptom: 'screen', notes, cost_cents: null, warranty_claim: 0, fee_cents: null },
        ...{ compartment_id: null, reported_at: at, awaiting_collection_at: null, collected_at: null, in_repair_at: null },
        ...{ repaired_at: null, ready_for_pickup_at: null, closed_at: at, retired_at: null },
        parts: 'keyboard from Maribel’s old unit',
      })
      .execute();
    return { transactionId, ticketId };
  }

  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);
  const uploadPhoto = async (ticketId: string) => {
    const res = await s.server.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${ticketId}/photos`,
      headers: { ...admin.headers, 'content-type': 'image/png' },
      payload: png,
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  /** Another student's ticket on the other loaner, with a photo: erasing our student must not touch it. */
  async function anotherStudentsTicketWithAPhoto(): Promise<{ ticketId: string; photoId: string }> {
    const other = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const [ticketId, at] = [newId(), Date.now()];
    await s.server.cubby.db
      .insertInto('repair_tickets')
      .values({
        ...{ id: ticketId, device_id: s.loaners[0]!.deviceId, person_id: other.personId, transaction_id: null },
        ...{ loan_id: null, status: 'closed', symptom: 'keyboard', notes: '', cost_cents: null, warranty_claim: 0 },
        ...{ fee_cents: null, compartment_id: null, reported_at: at, awaiting_collection_at: null, collected_at: null },
        ...{ in_repair_at: null, repaired_at: null, ready_for_pickup_at: null, closed_at: at, retired_at: null },
      })
      .execute();
    return { ticketId, photoId: await uploadPhoto(ticketId) };
  }

  it("the export lists the photos of the student's repair tickets, each with the URL that serves its bytes", async () => {
    const swap = await aSwapNamingTheStudent();
    const photoId = await uploadPhoto(swap.ticketId);
    const other = await anotherStudentsTicketWithAPhoto();
    const data = (await call('GET', exportUrl(), admin)).json<PrivacyExport>();
    expect(data.repairTickets.map((t) => [t.id, t.parts])).toEqual([[swap.ticketId, 'keyboard from Maribel’s old unit']]);
    expect(data.repairPhotos).toEqual([
      {
        id: photoId,
        ticketId: swap.ticketId,
        contentType: 'image/png',
        size: png.length,
        uploadedBy: adminId,
        uploadedAt: expect.any(Number),
        url: `/api/v1/repairs/${swap.ticketId}/photos/${photoId}`,
      },
    ]);
    expect(JSON.stringify(data)).not.toContain(other.photoId);
    const image = await call('GET', data.repairPhotos[0]!.url, admin);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.rawPayload, png)).toBe(0);
    const csv = (await call('GET', `${exportUrl()}?format=csv`, admin)).body.split('\r\n');
    expect(csv).toContain(`repairPhotos,${photoId},url,/api/v1/repairs/${swap.ticketId}/photos/${photoId}`);
  });

  it('erasure removes names, numbers and credentials, keeps the history under a pseudonym, and the chain verifies', async () => {
    const swap = await s.server.cubby.db
      .selectFrom('kiosk_transactions')
      .select(['id', 'repair_ticket_id'])
      .where('kind', '=', 'swap')
      .executeTakeFirstOrThrow();
    const swapTicketId = swap.repair_ticket_id!;
    const photosBefore = await s.server.cubby.db.selectFrom('repair_photos').select(['id', 'ticket_id']).execute();
    expect(photosBefore).toHaveLength(2);
    const ticketsBefore = await s.server.cubby.db.selectFrom('repair_tickets').selectAll().orderBy('id').execute();
    const res = await call('POST', eraseUrl(), admin, { confirm: s.student.studentNumber });
    expect(res.statusCode).toBe(200);
    const erasure = res.json<{ pseudonym: string }>();
    expect(erasure.pseudonym).toMatch(/^Erased student [0-9a-f]{8}$/);
    expect(res.json()).toMatchObject({ repairNotesRedacted: 1, repairPhotosDeleted: 1 });
    // The student's photo is gone; the other student's photo and every ticket stay (only the notes changed).
    const photosAfter = await s.server.cubby.db.selectFrom('repair_photos').select(['id', 'ticket_id']).execute();
    expect(photosAfter).toEqual(photosBefore.filter((p) => p.ticket_id !== swapTicketId));
    const ticketsAfter = await s.server.cubby.db.selectFrom('repair_tickets').selectAll().orderBy('id').execute();
    expect(ticketsAfter.map(({ notes: _n, parts: _p, ...rest }) => rest)).toEqual(
      ticketsBefore.map(({ notes: _n, parts: _p, ...rest }) => rest),
    );
    const page = await call('GET', `/api/v1/repairs/${swapTicketId}`, admin);
    expect(page.json<{ photos: unknown[] }>().photos).toEqual([]);
    const ticket = await s.server.cubby.db
      .selectFrom('repair_tickets')
      .select(['notes', 'parts'])
      .where('id', '=', swapTicketId)
      .executeTakeFirstOrThrow();
    expect(ticket.notes).toBe('[erased] dropped it ([erased])');
    expect(ticket.parts).toBe('keyboard from [erased]’s old unit');
    expect(parseJson((await s.kioskTransaction(swap.id)).detail)).toMatchObject({
      notes: '[erased] dropped it ([erased])',
    });

    const person = await s.server.cubby.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', s.student.personId)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      student_number: null,
      external_id: null,
      badge_hash: null,
      offline_badge_hash: null,
      pin_hash: null,
      active: 0,
    });
    expect(`${person.given_name} ${person.family_name}`).toBe(erasure.pseudonym);

    // The loan and its transaction stay, counted, under the pseudonym.
    expect(await s.loans()).toHaveLength(1);
    const loans = await call('GET', `/api/v1/loans?status=history&personId=${s.student.personId}`, admin);
    expect(loans.json().items.map((l: { personName: string }) => l.personName)).toEqual([erasure.pseudonym]);

    // The badge no longer signs anyone in.
    const refused = await s.link.request({ type: 'auth', credential: { badge: s.student.badge } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unknown_credential' } });

    const after = await call('GET', exportUrl(), admin);
    expect(after.body).not.toContain('Maribel');
    expect(after.body).not.toContain('Quintanilla');
    expect(after.body).not.toContain(s.student.studentNumber);
    expect(after.json<PrivacyExport>().credentials).toEqual({ badgeEnrolled: false, offlineBadgeEnrolled: false, pinSet: false });

    await sealAuditChain(s.server.cubby);
    expect(await verifyAuditChain(s.server.cubby)).toMatchObject({ ok: true });
    const erased = await s.server.cubby.db.selectFrom('audit_events').selectAll().where('action', '=', 'person.erased').execute();
    expect(erased).toHaveLength(1);
    expect(parseJson(erased[0]!.data)).toEqual({
      pseudonym: erasure.pseudonym,
      repairNotesRedacted: 1,
      repairPhotosDeleted: 1,
      via: 'user',
    });
    expect(after.json<PrivacyExport>().repairPhotos).toEqual([]);

    const again = await call('POST', eraseUrl(), admin, { confirm: s.student.personId });
    expect(again.json()).toMatchObject({ code: 'conflict', reason: 'already_erased' });
  });

  it('the retention setting is off by default, and a district admin sets it (audited)', async () => {
    expect((await call('GET', '/api/v1/retention', admin)).json()).toEqual({ eraseInactiveAfterYears: null });
    const set = await s.server.app.inject({
      method: 'PUT',
      url: '/api/v1/retention',
      headers: admin.headers,
      payload: { eraseInactiveAfterYears: 3 },
    });
    expect(set.json()).toEqual({ eraseInactiveAfterYears: 3 });
    expect((await call('GET', '/api/v1/retention', admin)).json()).toEqual({ eraseInactiveAfterYears: 3 });
    const put = (years: unknown) =>
      s.server.app.inject({
        method: 'PUT',
        url: '/api/v1/retention',
        headers: admin.headers,
        payload: { eraseInactiveAfterYears: years },
      });
    expect((await put(-1)).statusCode).toBe(400);
    expect((await put(51)).statusCode).toBe(400);
    // 0 reads as "off", like null.
    expect((await put(0)).json()).toEqual({ eraseInactiveAfterYears: null });
    await sealAuditChain(s.server.cubby);
    const changes = await s.server.cubby.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'retention.updated')
      .orderBy('seq')
      .execute();
    expect(changes.map((c) => parseJson(c.data))).toEqual([
      { from: { eraseInactiveAfterYears: null }, to: { eraseInactiveAfterYears: 3 } },
      { from: { eraseInactiveAfterYears: 3 }, to: { eraseInactiveAfterYears: null } },
    ]);
  });
});
