import { newId, sealAuditChain } from '@cubby/db';
import { sealAndVerify, testDialects } from '@cubby/db/testing';
import type { RepairBoard, RepairPhoto, RepairTicketDetail } from '@cubby/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAssignedDevice, aRepairReadyForPickup, aSite, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

const day = 86_400_000;
const h = 3_600_000;

/** The smallest images of each type: their signatures, then filler (the server checks the magic bytes, not the pixels). */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x40, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(64, 3)]);

/**
 * The repair board and ticket page's API (issue 14): opening a ticket by
 * hand, the bench's moves through core, edits, photos checked by their bytes,
 * the board with its turnaround, and the ticket's links swap → loaner →
 * pickup. Refusals (another campus, a stale move, a bad photo) change nothing.
 */
describe.each(testDialects)('repair routes on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let technician: Browser;
  let technicianId: string;
  let otherTechnician: Browser;
  let otherTechnicianId: string;
  let auditor: Browser;
  let northId: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90, 95] });
    await s.server.cubby.db.updateTable('devices').set({ site_id: s.siteId }).execute();
    await s.server.cubby.db
      .updateTable('people')
      .set({ site_id: s.siteId, given_name: 'Tomás', family_name: 'Reyes' })
      .where('id', '=', s.student.personId)
      .execute();
    northId = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin', name: 'Dana District' }));
    const tech = await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId], name: 'Terry Tech' });
    technicianId = tech.id;
    technician = await signIn(s.server.app, tech);
    const otherTech = await aUser(s.server.cubby, { role: 'technician', siteIds: [northId], name: 'Nora North' });
    otherTechnicianId = otherTech.id;
    otherTechnician = await signIn(s.server.app, otherTech);
    auditor = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'auditor' }));
  });
  afterAll(async () => s?.close());

  const db = () => s.server.cubby.db;
  const send = (method: 'POST' | 'PATCH', url: string, who: Browser, payload: unknown = {}) =>
    s.server.app.inject({ method, url, headers: who.headers, payload: payload as object });
  const get = (url: string, who: Browser) => s.server.app.inject({ method: 'GET', url, headers: who.headers });
  const upload = (id: string, who: Browser, body: Buffer, contentType: string) =>
    s.server.app.inject({
      method: 'POST',
      url: `/api/v1/repairs/${id}/photos`,
      headers: { ...who.headers, 'content-type': contentType },
      payload: body,
    });

  /** A student's own device at the main campus, with them; its warranty end as given. */
  const aDevice = async (options: { warrantyEnd?: number | null; model?: string } = {}) => {
    const owner = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId: s.siteId });
    const { deviceId } = await anAssignedDevice(s.server.cubby, s.districtId, owner.personId);
    await db()
      .updateTable('devices')
      .set({ site_id: s.siteId, warranty_end: options.warrantyEnd ?? null, model: options.model ?? 'Chromebook 11' })
      .where('id', '=', deviceId)
      .execute();
    return { deviceId, ownerId: owner.personId };
  };
  const open = async (deviceId: string, who = technician, extra: Record<string, unknown> = {}) => {
    const res = await send('POST', '/api/v1/repairs', who, { deviceId, symptom: 'screen', notes: 'cracked', ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RepairTicketDetail>();
  };
  const deviceStatus = async (id: string) =>
    (await db().selectFrom('devices').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const actions = async (ticketId: string) => {
    await sealAuditChain(s.server.cubby);
    return (
      await db().selectFrom('audit_events').select('action').where('entity_id', '=', ticketId).orderBy('seq').execute()
    ).map((e) => e.action);
  };

  it('opens a ticket by hand: collected, the device in repair, who opened it on its steps', async () => {
    const { deviceId, ownerId } = await aDevice({ warrantyEnd: Date.now() + 200 * day });
    const t = await open(deviceId);
    expect(t).toMatchObject({
      status: 'collected',
      symptom: 'screen',
      notes: 'cracked',
      parts: '',
      costCents: null,
      vendorRef: null,
      openedBy: technicianId,
      siteId: s.siteId,
      device: { id: deviceId, model: 'Chromebook 11', status: 'in_repair', warranty: 'in' },
      person: { id: ownerId, name: null }, // a technician has no people:read
      links: { swap: null, loaner: null, pickup: null },
      nextEvents: ['repair_started', 'retire'],
      photos: [],
    });
    expect(t.steps.map((x) => [x.status, x.actorType, x.actorId, x.actorName])).toEqual([
      ['reported', 'user', technicianId, 'Terry Tech'],
      ['collected', 'user', technicianId, 'Terry Tech'],
    ]);
    expect(await deviceStatus(deviceId)).toBe('in_repair');
    expect(await actions(t.id)).toEqual(['repair.opened']);
    const row = await db().selectFrom('repair_tickets').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ awaiting_collection_at: null, opened_by: technicianId, parts: '' });
    // An admin with people:read sees the owner's name.
    expect((await get(`/api/v1/repairs/${t.id}`, admin)).json<RepairTicketDetail>().person?.name).toEqual(expect.any(String));
  });

  it('refuses a second open ticket for the device (409), a device in a locker, and another campus’s device; nothing changes', async () => {
    const { deviceId } = await aDevice();
    await open(deviceId);
    const foreign = await aDevice();
    const before = await s.snapshot();
    const twice = await send('POST', '/api/v1/repairs', admin, { deviceId, symptom: 'battery' });
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(twice.json()).toMatchObject({ code: 'conflict', reason: 'open_ticket' });
    const inLocker = await send('POST', '/api/v1/repairs', admin, { deviceId: s.loaners[0]!.deviceId, symptom: 'battery' });
    expect(inLocker.statusCode).toBe(409);
    expect(inLocker.json()).toMatchObject({ reason: 'in_locker' });
    const otherCampus = await send('POST', '/api/v1/repairs', otherTechnician, { deviceId: foreign.deviceId, symptom: 'screen' });
    expect(otherCampus.statusCode).toBe(404);
    expect((await send('POST', '/api/v1/repairs', auditor, { deviceId: foreign.deviceId, symptom: 'screen' })).statusCode).toBe(
      403,
    );
    expect((await send('POST', '/api/v1/repairs', admin, { deviceId: foreign.deviceId, symptom: 'smoke' })).statusCode).toBe(400);
    expect(await s.snapshot()).toEqual(before);
  });

  it('moves through the bench by core’s events, each step with its actor; a stale or invalid move is a 409 that changes nothing', async () => {
    const { deviceId } = await aDevice();
    const t = await open(deviceId);
    const started = await send('POST', `/api/v1/repairs/${t.id}/move`, technician, {
      event: 'repair_started',
      from: 'collected',
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<RepairTicketDetail>()).toMatchObject({ status: 'in_repair', nextEvents: ['repair_finished', 'retire'] });

    const before = await s.snapshot();
    const stale = await send('POST', `/api/v1/repairs/${t.id}/move`, admin, { event: 'repair_started', from: 'collected' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', reason: 'stale', state: 'in_repair' });
    const invalid = await send('POST', `/api/v1/repairs/${t.id}/move`, admin, { event: 'repair_started' });
    expect(invalid.statusCode).toBe(409);
    expect(invalid.json()).toMatchObject({ code: 'invalid_transition' });
    // Placing for pickup and collecting happen at the locker, not here.
    expect((await send('POST', `/api/v1/repairs/${t.id}/move`, admin, { event: 'placed_for_pickup' })).statusCode).toBe(400);
    expect((await send('POST', `/api/v1/repairs/${t.id}/move`, auditor, { event: 'repair_finished' })).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/repairs/${t.id}/move`, otherTechnician, { event: 'repair_finished' })).statusCode).toBe(
      404,
    );
    expect(await s.snapshot()).toEqual(before);

    const finished = await send('POST', `/api/v1/repairs/${t.id}/move`, admin, { event: 'repair_finished', from: 'in_repair' });
    const done = finished.json<RepairTicketDetail>();
    expect(done.status).toBe('repaired');
    expect(done.device.status).toBe('in_repair'); // it waits on the bench until placed for pickup at a locker
    expect(done.steps.map((x) => [x.status, x.actorName])).toEqual([
      ['reported', 'Terry Tech'],
      ['collected', 'Terry Tech'],
      ['in_repair', 'Terry Tech'],
      ['repaired', 'Dana District'],
    ]);
    expect(done.nextEvents).toEqual(['retire']);
    expect(await actions(t.id)).toEqual(['repair.opened', 'repair.started', 'repair.finished']);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('retiring a ticket retires its device as beyond repair, audited on both', async () => {
    const { deviceId } = await aDevice();
    const t = await open(deviceId);
    const res = await send('POST', `/api/v1/repairs/${t.id}/move`, technician, { event: 'retire' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<RepairTicketDetail>()).toMatchObject({ status: 'retired', device: { status: 'retired' }, nextEvents: [] });
    expect(await actions(t.id)).toEqual(['repair.opened', 'repair.retired']);
    const retired = await db()
      .selectFrom('audit_events')
      .select(['action', 'data'])
      .where('entity_id', '=', deviceId)
      .where('action', '=', 'device.retired')
      .executeTakeFirstOrThrow();
    const data = typeof retired.data === 'string' ? JSON.parse(retired.data) : retired.data;
    expect(data).toMatchObject({ reason: 'beyond_repair', ticketId: t.id, from: 'in_repair', to: 'retired' });
    // A closed ticket does not block a new one.
    await db().updateTable('devices').set({ status: 'in_service' }).where('id', '=', deviceId).execute();
    expect((await open(deviceId)).status).toBe('collected');
  });

  it('edits notes, parts, cost, vendor reference and technician; refuses a technician of another campus and bad values', async () => {
    const { deviceId } = await aDevice();
    const t = await open(deviceId);
    const res = await send('PATCH', `/api/v1/repairs/${t.id}`, technician, {
      notes: 'screen replaced',
      parts: 'LCD panel 11.6"',
      costCents: 8950,
      vendorRef: 'RMA-2026-0042',
      technicianId,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<RepairTicketDetail>()).toMatchObject({
      notes: 'screen replaced',
      parts: 'LCD panel 11.6"',
      costCents: 8950,
      vendorRef: 'RMA-2026-0042',
      technicianId,
      technicianName: 'Terry Tech',
    });
    await sealAuditChain(s.server.cubby);
    const updated = await db()
      .selectFrom('audit_events')
      .select(['data', 'actor_id'])
      .where('entity_id', '=', t.id)
      .where('action', '=', 'repair.updated')
      .executeTakeFirstOrThrow();
    const data = typeof updated.data === 'string' ? JSON.parse(updated.data) : updated.data;
    expect(data).toMatchObject({ fields: ['notes', 'parts', 'costCents', 'vendorRef', 'technicianId'], costCents: 8950 });
    expect(data).not.toHaveProperty('notes');
    expect(updated.actor_id).toBe(technicianId);

    const before = await s.snapshot();
    const otherTech = await send('PATCH', `/api/v1/repairs/${t.id}`, admin, { technicianId: otherTechnicianId });
    expect(otherTech.statusCode).toBe(400);
    expect(otherTech.json()).toMatchObject({ reason: 'unknown_technician' });
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, admin, { costCents: -5 })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, admin, {})).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, admin, { status: 'closed' })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, otherTechnician, { notes: 'x' })).statusCode).toBe(404);
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, auditor, { notes: 'x' })).statusCode).toBe(403);
    // The same values again write nothing and audit nothing.
    expect((await send('PATCH', `/api/v1/repairs/${t.id}`, admin, { costCents: 8950 })).statusCode).toBe(200);
    expect(await s.snapshot()).toEqual(before);
    // Unassigning.
    const unassigned = await send('PATCH', `/api/v1/repairs/${t.id}`, admin, {
      technicianId: null,
      vendorRef: null,
      costCents: null,
    });
    expect(unassigned.json<RepairTicketDetail>()).toMatchObject({ technicianId: null, vendorRef: null, costCents: null });
    const free = await send('PATCH', `/api/v1/repairs/${t.id}`, admin, { costCents: 0 });
    expect(free.json<RepairTicketDetail>().costCents).toBe(0);
  });

  it('stores photos checked by their bytes and serves them with their type; refuses other types, forgeries and oversize', async () => {
    const { deviceId } = await aDevice();
    const t = await open(deviceId);
    const added = await upload(t.id, technician, png, 'image/png');
    expect(added.statusCode, added.body).toBe(201);
    const photo = added.json<RepairPhoto>();
    expect(photo).toMatchObject({
      contentType: 'image/png',
      size: png.length,
      uploadedBy: technicianId,
      uploadedByName: 'Terry Tech',
    });
    expect((await upload(t.id, technician, jpeg, 'image/jpeg')).statusCode).toBe(201);
    expect((await upload(t.id, technician, webp, 'image/webp')).statusCode).toBe(201);

    const served = await get(`/api/v1/repairs/${t.id}/photos/${photo.id}`, auditor);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(png)).toBe(true);
    const page = (await get(`/api/v1/repairs/${t.id}`, auditor)).json<RepairTicketDetail>();
    expect(page.photos.map((p) => p.contentType)).toEqual(['image/png', 'image/jpeg', 'image/webp']);
    expect(await actions(t.id)).toEqual(['repair.opened', 'repair.photo_added', 'repair.photo_added', 'repair.photo_added']);

    const before = await s.snapshot();
    const pdf = await upload(t.id, technician, Buffer.from('%PDF-1.7 ...'), 'application/pdf');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.headers['content-type']).toContain('application/problem+json');
    const forged = await upload(t.id, technician, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    expect(forged.statusCode).toBe(415);
    expect(forged.json()).toMatchObject({ code: 'unsupported_media_type', reason: 'not_an_image' });
    const mismatched = await upload(t.id, technician, jpeg, 'image/png');
    expect(mismatched.statusCode).toBe(415);
    expect(mismatched.json()).toMatchObject({ reason: 'type_mismatch' });
    const huge = Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]);
    const oversize = await upload(t.id, technician, huge, 'image/png');
    expect(oversize.statusCode).toBe(413);
    expect(oversize.headers['content-type']).toContain('application/problem+json');
    expect((await upload(t.id, otherTechnician, png, 'image/png')).statusCode).toBe(404);
    expect((await upload(t.id, auditor, png, 'image/png')).statusCode).toBe(403);
    expect(await s.snapshot()).toEqual(before);

    // Another campus's technician sees neither the ticket nor its photo; a photo is only its own ticket's.
    expect((await get(`/api/v1/repairs/${t.id}`, otherTechnician)).statusCode).toBe(404);
    expect((await get(`/api/v1/repairs/${t.id}/photos/${photo.id}`, otherTechnician)).statusCode).toBe(404);
    const other = await open((await aDevice()).deviceId);
    expect((await get(`/api/v1/repairs/${other.id}/photos/${photo.id}`, admin)).statusCode).toBe(404);
  });

  it('shows the swap, the loaner lent with it (and when it is returned), and the pickup on the ticket', async () => {
    const own = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    await db().updateTable('devices').set({ site_id: s.siteId }).where('id', '=', own.deviceId).execute();
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'swap', symptom: 'keyboard', notes: 'keys stuck' });
    await s.useDoor(txn.compartment!, true);
    const loanerStep = await s.link.next((m) => m.type === 'unlock' && m.compartment !== txn.compartment);
    s.link.openAndClose(loanerStep, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    const ticket = await db()
      .selectFrom('repair_tickets')
      .selectAll()
      .where('device_id', '=', own.deviceId)
      .executeTakeFirstOrThrow();
    const page = (await get(`/api/v1/repairs/${ticket.id}`, admin)).json<RepairTicketDetail>();
    expect(page).toMatchObject({
      status: 'awaiting_collection',
      symptom: 'keyboard',
      notes: 'keys stuck',
      openedBy: null,
      person: { id: s.student.personId, name: 'Tomás Reyes' },
      links: {
        swap: { transactionId: txn.id, kind: 'swap', stationId: s.station.stationId },
        loaner: { returned: false, status: 'active' },
        pickup: null,
      },
      nextEvents: ['retire'],
    });
    expect(page.steps.map((x) => [x.status, x.actorType, x.actorName])).toEqual([
      ['reported', 'person', 'Tomás Reyes'],
      ['awaiting_collection', 'person', 'Tomás Reyes'],
    ]);
    // Retiring it would retire a device that sits in a locker: refused.
    const inLocker = await send('POST', `/api/v1/repairs/${ticket.id}/move`, admin, { event: 'retire' });
    expect(inLocker.statusCode).toBe(409);
    expect(inLocker.json()).toMatchObject({ reason: 'in_locker' });

    // A repaired device picked up at the kiosk: the pickup shows on its ticket.
    const waiting = await aRepairReadyForPickup(s.server.cubby, s.districtId, s.student.personId, s.station.compartments[6]!.id);
    const pickupSession = await s.signIn();
    const pickup = await s.start(pickupSession, { kind: 'pickup' });
    await s.useDoor(pickup.compartment!, false);
    expect(await s.transactionEnd(pickup.id)).toMatchObject({ status: 'completed' });
    const closed = (await get(`/api/v1/repairs/${waiting.ticketId}`, admin)).json<RepairTicketDetail>();
    expect(closed.status).toBe('closed');
    expect(closed.links.pickup).toMatchObject({ transactionId: pickup.id, stationId: s.station.stationId });
    expect(closed.links.pickup?.completedAt).toEqual(expect.any(Number));
    expect(closed.steps.at(-1)).toMatchObject({ status: 'closed', actorType: 'person', actorName: 'Tomás Reyes' });

    // Opened by hand for a student who holds a loaner: the loaner is recorded on the ticket; someone else's loan is refused.
    const [loan] = await s.loans();
    const another = await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    await db().updateTable('devices').set({ site_id: s.siteId }).where('id', '=', another.deviceId).execute();
    const stranger = await aDevice();
    const before = await s.snapshot();
    const notTheirs = await send('POST', '/api/v1/repairs', admin, {
      deviceId: stranger.deviceId,
      symptom: 'screen',
      loanId: loan!.id,
    });
    expect(notTheirs.statusCode).toBe(400);
    expect(notTheirs.json()).toMatchObject({ reason: 'unknown_loan' });
    expect(await s.snapshot()).toEqual(before);
    const withLoaner = await open(another.deviceId, admin, { loanId: loan!.id });
    expect(withLoaner.links).toMatchObject({ swap: null, loaner: { loanId: loan!.id, returned: false }, pickup: null });
  });

  it('the board: one column per state, each card’s age, filters, and turnaround per state, campus and model', async () => {
    const now = Date.now();
    // History: three closed tickets of a known shape, and one open card, at the main campus.
    const past = async (model: string, entered: Record<string, number>, status: 'closed' | 'in_repair') => {
      const { deviceId } = await aDevice({ model });
      if (status === 'in_repair')
        await db().updateTable('devices').set({ status: 'in_repair' }).where('id', '=', deviceId).execute();
      const id = newId();
      await db()
        .insertInto('repair_tickets')
        .values({
          id,
          device_id: deviceId,
          person_id: null,
          transaction_id: null,
          loan_id: null,
          status,
          symptom: 'battery',
          notes: '',
          cost_cents: null,
          warranty_claim: 0,
          fee_cents: null,
          compartment_id: null,
          reported_at: entered.reported!,
          awaiting_collection_at: entered.awaiting_collection ?? null,
          collected_at: entered.collected ?? null,
          in_repair_at: entered.in_repair ?? null,
          repaired_at: entered.repaired ?? null,
          ready_for_pickup_at: entered.ready_for_pickup ?? null,
          closed_at: entered.closed ?? null,
          retired_at: null,
          technician_id: status === 'in_repair' ? technicianId : null,
        })
        .execute();
      return id;
    };
    const start = now - 40 * day;
    const road = (gapsH: number[]) => {
      const states = ['reported', 'awaiting_collection', 'collected', 'in_repair', 'repaired', 'ready_for_pickup', 'closed'];
      let t = start;
      return Object.fromEntries(states.map((st, i) => [st, i === 0 ? t : (t += gapsH[i - 1]! * h)]));
    };
    await past('Lenovo 100e', road([1, 2, 3, 4, 5, 6]), 'closed'); // 21 h end to end
    await past('Lenovo 100e', road([3, 2, 3, 4, 5, 6]), 'closed'); // 23 h
    await past('Lenovo 100e', road([5, 2, 3, 4, 5, 6]), 'closed'); // 25 h
    const benched = await past(
      'Lenovo 100e',
      { reported: now - 10 * day, collected: now - 9 * day, in_repair: now - 3 * day },
      'in_repair',
    );

    const res = await get('/api/v1/repairs/board?model=Lenovo%20100e', admin);
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json<RepairBoard>();
    expect(board.columns.map((c) => c.status)).toEqual([
      'reported',
      'awaiting_collection',
      'collected',
      'in_repair',
      'repaired',
      'ready_for_pickup',
      'closed',
      'retired',
    ]);
    const card = board.columns.find((c) => c.status === 'in_repair')!.cards.find((c) => c.id === benched)!;
    expect(card).toMatchObject({
      model: 'Lenovo 100e',
      symptom: 'battery',
      siteId: s.siteId,
      technicianId,
      technicianName: 'Terry Tech',
    });
    expect(card.ageMs).toBeGreaterThanOrEqual(3 * day);
    expect(card.ageMs).toBeLessThan(3 * day + 60_000);
    // Closed 40 days ago: off the board, but in the turnaround.
    expect(board.columns.find((c) => c.status === 'closed')!.cards).toEqual([]);
    const overall = board.turnaround.overall;
    expect(overall.endToEnd).toEqual({ count: 3, medianMs: 23 * h, p90Ms: 25 * h });
    expect(overall.states.find((x) => x.status === 'reported')).toMatchObject({ count: 3, medianMs: 3 * h, p90Ms: 5 * h });
    // The benched ticket was opened by hand: its reported state counts nothing; its collected state (6 days) does.
    expect(overall.states.find((x) => x.status === 'collected')).toMatchObject({ count: 4, p90Ms: 6 * day });
    expect(board.turnaround.models).toEqual([expect.objectContaining({ model: 'Lenovo 100e', endToEnd: overall.endToEnd })]);
    expect(board.turnaround.campuses).toEqual([expect.objectContaining({ siteId: s.siteId, endToEnd: overall.endToEnd })]);
    expect(board.technicians.map((t) => t.name)).toEqual(expect.arrayContaining(['Terry Tech', 'Nora North']));
    expect(board.models).toEqual(['Lenovo 100e']);

    // Filters: age, technician, symptom, campus.
    const cardsOf = (b: RepairBoard) => b.columns.flatMap((c) => c.cards.map((x) => x.id));
    expect(cardsOf((await get('/api/v1/repairs/board?model=Lenovo%20100e&minAgeDays=4', admin)).json())).toEqual([]);
    expect(cardsOf((await get('/api/v1/repairs/board?minAgeDays=2', admin)).json())).toContain(benched);
    expect(cardsOf((await get(`/api/v1/repairs/board?technicianId=${technicianId}`, admin)).json())).toEqual([benched]);
    expect(cardsOf((await get('/api/v1/repairs/board?symptom=liquid', admin)).json())).toEqual([]);
    expect(cardsOf((await get(`/api/v1/repairs/board?siteId=${northId}`, admin)).json())).toEqual([]);
    expect((await get('/api/v1/repairs/board?minAgeDays=-1', admin)).statusCode).toBe(400);
    expect((await get('/api/v1/repairs/board?symptom=smoke', admin)).statusCode).toBe(400);

    // Another campus's technician sees none of these cards, nor their turnaround; the main campus's sees them all.
    const north = (await get('/api/v1/repairs/board', otherTechnician)).json<RepairBoard>();
    expect(cardsOf(north)).toEqual([]);
    expect(north.turnaround.overall.endToEnd.count).toBe(0);
    expect(north.technicians.map((t) => t.name)).not.toContain('Terry Tech');
    const main = (await get('/api/v1/repairs/board', technician)).json<RepairBoard>();
    expect(cardsOf(main)).toContain(benched);
    // People's names only with people:read.
    expect(main.columns.flatMap((c) => c.cards).every((c) => c.personName === null)).toBe(true);
  });
});
