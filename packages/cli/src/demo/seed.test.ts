import argon2 from 'argon2';
import { localDate, repairStatuses } from '@cubby/core';
import { verifyAuditChain, type CubbyDb } from '@cubby/db';
import { createTestDb, testDialects } from '@cubby/db/testing';
import { Keys } from '@cubby/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDistrict, type DemoDistrict } from './seed.js';

const count = async (cubby: CubbyDb, table: 'sites' | 'stations' | 'compartments' | 'people' | 'devices') =>
  Number(
    (
      await cubby.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(testDialects)('the demo district on %s', (dialect) => {
  // One seed per database, read by every test below (seeding takes seconds).
  let cubby: CubbyDb;
  let demo: DemoDistrict;
  const keys = new Keys('k'.repeat(40));
  beforeAll(async () => {
    cubby = await createTestDb(dialect);
    demo = await seedDemoDistrict(cubby, keys);
  }, 120_000);
  afterAll(async () => cubby?.close());

  it('has the size a district evaluating Cubby expects', async () => {
    expect(await count(cubby, 'sites')).toBeGreaterThanOrEqual(3);
    expect(await count(cubby, 'stations')).toBeGreaterThanOrEqual(5);
    expect(await count(cubby, 'compartments')).toBeGreaterThanOrEqual(60);
    expect(await count(cubby, 'people')).toBeGreaterThanOrEqual(600);
    expect(await count(cubby, 'devices')).toBeGreaterThanOrEqual(900);
    const loaners = await cubby.db.selectFrom('devices').select('id').where('pool', '=', 'loaner').execute();
    expect(loaners.length).toBeGreaterThanOrEqual(60);
    expect(demo.stations).toHaveLength(5);
    expect(demo.badges.length).toBeGreaterThan(0);
  });

  it('comes in through the roster and device imports, then gets the PINs and stock an import does not carry', async () => {
    const runs = await cubby.db.selectFrom('import_runs').select(['kind', 'status']).orderBy('created_at').execute();
    expect(runs).toEqual([
      { kind: 'oneroster', status: 'applied' },
      { kind: 'devices', status: 'applied' },
    ]);
    const first = demo.badges[0]!;
    const student = await cubby.db
      .selectFrom('people')
      .select(['id', 'external_id', 'pin_hash', 'site_id'])
      .where('badge_hash', '=', keys.badgeHash(first.badge))
      .executeTakeFirstOrThrow();
    expect(student.external_id).toBe(`sis-${first.studentNumber}`);
    expect(await argon2.verify(student.pin_hash!, first.pin!)).toBe(true);
    const own = await cubby.db.selectFrom('devices').select(['site_id', 'status']).where('owner_id', '=', student.id).execute();
    expect(own).toEqual([{ site_id: student.site_id, status: 'in_service' }]);
    const sites = await cubby.db.selectFrom('sites').select(['external_id', 'school_day_end']).orderBy('name').execute();
    expect(sites.map((s) => s.school_day_end)).toEqual(['14:45', '15:15', '15:30']);
    expect(sites.every((s) => s.external_id?.startsWith('org-'))).toBe(true);
    const stocked = await cubby.db
      .selectFrom('compartments')
      .innerJoin('devices', 'devices.id', 'compartments.device_id')
      .select(['devices.status', 'devices.pool'])
      .execute();
    const loaners = stocked.filter((d) => d.pool === 'loaner');
    expect(loaners.length).toBe(5 * 9);
    expect(loaners.every((d) => d.status === 'available')).toBe(true);
    // Besides the loaners, students' own devices wait behind doors: broken ones for a technician, a repaired one for its
    // owner, and a new one for a pick-up task's student.
    expect(
      stocked
        .filter((d) => d.pool === 'assigned')
        .map((d) => d.status)
        .sort(),
    ).toEqual(['awaiting_collection', 'awaiting_collection', 'awaiting_collection', 'ready_for_pickup', 'ready_for_pickup']);
  });

  it('has a loaded pick-up task and a drop-off task for banner students, printed in the banner', async () => {
    expect(demo.tasks?.map((t) => t.kind)).toEqual(['pick_up', 'drop_off']);
    const badges = demo.badges.map((b) => b.badge);
    expect(demo.tasks!.every((t) => badges.includes(t.badge))).toBe(true);
    const tasks = await cubby.db
      .selectFrom('tasks')
      .leftJoin('compartments', 'compartments.id', 'tasks.compartment_id')
      .innerJoin('devices', 'devices.id', 'tasks.device_id')
      .select(['tasks.kind', 'tasks.state', 'compartments.number', 'compartments.device_id', 'tasks.device_id', 'devices.status'])
      .orderBy('tasks.created_at')
      .execute();
    expect(tasks.map((t) => [t.kind, t.state, t.status])).toEqual([
      ['pick_up', 'ready', 'ready_for_pickup'],
      ['drop_off', 'ready', 'in_service'],
    ]);
    expect(tasks[0]).toMatchObject({ number: demo.tasks![0]!.compartment, device_id: tasks[0]!.device_id });
  });

  it('has a technician with a badge per campus and open repair tickets in every state', async () => {
    expect(demo.technicians).toHaveLength(3);
    for (const t of demo.technicians!) {
      const person = await cubby.db
        .selectFrom('people')
        .innerJoin('sites', 'sites.id', 'people.site_id')
        .select(['people.role', 'sites.name'])
        .where('people.badge_hash', '=', keys.badgeHash(t.badge))
        .executeTakeFirstOrThrow();
      expect(person).toEqual({ role: 'technician', name: t.campus });
    }
    const tickets = await cubby.db
      .selectFrom('repair_tickets')
      .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
      .leftJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
      .select(['repair_tickets.status', 'devices.status as deviceStatus', 'compartments.device_id as behindDoor', 'devices.id'])
      .execute();
    expect(new Set(tickets.map((t) => t.status))).toEqual(new Set(repairStatuses));
    // The device is where its ticket says: behind a door while it waits for a technician or its owner.
    const deviceStatus: Record<string, string> = {
      reported: 'in_service',
      awaiting_collection: 'awaiting_collection',
      collected: 'in_repair',
      in_repair: 'in_repair',
      repaired: 'in_repair',
      ready_for_pickup: 'ready_for_pickup',
      retired: 'retired',
    };
    for (const t of tickets.filter((t) => t.status !== 'closed')) {
      expect(t.deviceStatus).toBe(deviceStatus[t.status]);
      expect(t.behindDoor).toBe(t.status === 'awaiting_collection' || t.status === 'ready_for_pickup' ? t.id : null);
    }
    expect(tickets.filter((t) => t.status === 'awaiting_collection')).toHaveLength(3);
    expect((await verifyAuditChain(cubby)).ok).toBe(true);
  });

  it('has six weeks of history with a morning peak, repairs, and an intact audit chain', async () => {
    const loans = await cubby.db.selectFrom('loans').select(['created_at', 'status', 'reason']).execute();
    const times = loans.map((l) => Number(l.created_at));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5 * 7 * 86_400_000);
    expect(loans.every((l) => l.status === 'returned')).toBe(true);
    // Demo sites are in America/Chicago: most borrows happen before first period.
    const hourOf = (t: number) =>
      Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' }).format(t));
    const morning = times.filter((t) => hourOf(t) === 7 || hourOf(t) === 8).length;
    expect(morning / times.length).toBeGreaterThan(0.4);
    expect(times.every((t) => localDate(t, 'America/Chicago').isoWeekday <= 5)).toBe(true);
    const tickets = await cubby.db.selectFrom('repair_tickets').selectAll().where('status', '=', 'closed').execute();
    expect(tickets.length).toBeGreaterThan(10);
    for (const t of tickets) {
      expect(Number(t.collected_at)).toBeGreaterThanOrEqual(Number(t.reported_at));
      expect(Number(t.closed_at)).toBeGreaterThan(Number(t.repaired_at));
    }
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, unsealed: 0 });
  });
});
