import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  holdFreeCompartment,
  holdFreeCompartmentQuery,
  moveCompartment,
  moveCompartmentQuery,
  reserveCompartment,
  reserveCompartmentQuery,
} from './compartments.js';
import type { CubbyDb } from './connect.js';
import { moveChargeSession, moveChargeSessionQuery } from './charging.js';
import { moveDevice, moveDeviceQuery } from './devices.js';
import { finishKioskTransaction, finishKioskTransactionQuery } from './kiosk-transactions.js';
import { moveLoan, moveLoanQuery, repointPendingLoan } from './loans.js';
import { moveRepairTicket, moveRepairTicketQuery } from './repairs.js';
import { compilerOnly, expectSql } from './sql-testing.js';
import { createTestDb, testDialects } from './testing.js';

/**
 * Every status change is a conditional update from the exact state core's
 * machine moved from: the SQL each dialect runs (Kysely's testSql style),
 * then the same move on a real database, where a stale `from` is a conflict
 * that changes nothing.
 */

const q = { sqlite: compilerOnly('sqlite'), postgres: compilerOnly('postgres') };

describe.each(testDialects)('the SQL of each state change on %s', (dialect) => {
  const db = q[dialect];
  it('a device move updates its status only from the state it was read in', () => {
    expectSql(
      dialect,
      moveDeviceQuery(db, { id: 'd1', from: 'available', event: { type: 'lend' }, now: 5 }).compile(),
      'update "devices" set "status" = ?, "updated_at" = ? where "id" = ? and "status" = ?',
      ['on_loan', 5, 'd1', 'available'],
    );
    expectSql(
      dialect,
      moveDeviceQuery(db, { id: 'd1', from: 'available', event: { type: 'lent_offline' }, now: 5, loanedAt: 4 }).compile(),
      'update "devices" set "status" = ?, "updated_at" = ?, "loan_count" = "loan_count" + ?, "last_loaned_at" = ? where "id" = ? and "status" = ?',
      ['on_loan', 5, 1, 4, 'd1', 'available'],
    );
  });

  it('a loan, charge session and repair ticket move the same way', () => {
    expectSql(
      dialect,
      moveLoanQuery(db, { id: 'l1', from: 'pending', event: { type: 'taken' }, set: { started_at: 7 } }).compile(),
      'update "loans" set "status" = ?, "started_at" = ? where "id" = ? and "status" = ?',
      ['active', 7, 'l1', 'pending'],
    );
    expectSql(
      dialect,
      moveChargeSessionQuery(db, { id: 'c1', from: 'charging', event: { type: 'collect' } }).compile(),
      'update "charge_sessions" set "status" = ? where "id" = ? and "status" = ?',
      ['collecting', 'c1', 'charging'],
    );
    expectSql(
      dialect,
      moveRepairTicketQuery(db, {
        id: 'r1',
        from: 'ready_for_pickup',
        event: { type: 'picked_up' },
        now: 9,
        set: { compartment_id: null },
      }).compile(),
      'update "repair_tickets" set "status" = ?, "closed_at" = ?, "compartment_id" = ? where "id" = ? and "status" = ?',
      ['closed', 9, null, 'r1', 'ready_for_pickup'],
    );
  });

  it('a compartment moves with its readings, and a step releasing it clears the hold', () => {
    expectSql(
      dialect,
      moveCompartmentQuery(db, {
        id: 'k1',
        from: 'open',
        event: { type: 'door_closed', presence: false },
        now: 3,
        set: { door: 'closed', presence: 0 },
        release: true,
      }).compile(),
      'update "compartments" set "status" = ?, "door" = ?, "presence" = ?, "transaction_id" = ?, "purpose" = ?, "command_id" = ?, "updated_at" = ? where "id" = ? and "status" = ?',
      ['empty', 'closed', 0, null, null, null, 3, 'k1', 'open'],
    );
    expectSql(
      dialect,
      reserveCompartmentQuery(db, 'k1', 'loaded', {
        transactionId: 't1',
        purpose: 'take_loaner',
        commandId: null,
        now: 3,
      }).compile(),
      'update "compartments" set "status" = ?, "transaction_id" = ?, "purpose" = ?, "command_id" = ?, "updated_at" = ? where "id" = ? and "status" = ? and "transaction_id" is null',
      ['reserved', 't1', 'take_loaner', null, 3, 'k1', 'loaded'],
    );
  });

  it('holding a free door is one statement that re-checks the door is still free', () => {
    expectSql(
      dialect,
      holdFreeCompartmentQuery(db, 's1', true, {
        transactionId: 't1',
        purpose: 'deposit_for_charge',
        commandId: 'c',
        now: 3,
      }).compile(),
      'update "compartments" set "status" = ?, "transaction_id" = ?, "purpose" = ?, "command_id" = ?, "updated_at" = ? where "id" = (select "f"."id" from (select "id" from "compartments" where "station_id" = ? and "status" = ? and "device_id" is null and "transaction_id" is null and "has_charger" = ? order by "has_charger" desc, "number" limit ?) as "f") and "status" = ? and "transaction_id" is null returning "id", "number", "has_charger"',
      ['reserved', 't1', 'deposit_for_charge', 'c', 3, 's1', 'empty', 1, 1, 'empty'],
    );
  });

  it('a kiosk transaction ends only while in progress', () => {
    expectSql(
      dialect,
      finishKioskTransactionQuery(db, 't1', 'completed', null, 8).compile(),
      'update "kiosk_transactions" set "status" = ?, "error_code" = ?, "completed_at" = ? where "id" = ? and "status" = ?',
      ['completed', null, 8, 't1', 'in_progress'],
    );
  });
});

describe.each(testDialects)('state changes on a real %s database', (dialect) => {
  let cubby: CubbyDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    await seed(cubby);
  });
  afterEach(async () => cubby?.close());

  const conflict = { code: 'conflict' };
  const status = async (
    table: 'devices' | 'loans' | 'compartments' | 'charge_sessions' | 'repair_tickets' | 'kiosk_transactions',
    id: string,
  ) => (await cubby.db.selectFrom(table).select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('a device moves from the state it was in, and a second mover from the same state gets a conflict', async () => {
    expect(await moveDevice(cubby.db, { id: 'd1', from: 'available', event: { type: 'lend' }, now: 2 })).toBe('on_loan');
    await expect(moveDevice(cubby.db, { id: 'd1', from: 'available', event: { type: 'lend' }, now: 3 })).rejects.toMatchObject(
      conflict,
    );
    await moveDevice(cubby.db, { id: 'd1', from: 'on_loan', event: { type: 'lend_cancelled' }, now: 4, loanedAt: 4 });
    expect(
      await cubby.db
        .selectFrom('devices')
        .select(['status', 'loan_count', 'last_loaned_at'])
        .where('id', '=', 'd1')
        .executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'available',
      loan_count: 1,
      last_loaned_at: 4,
    });
  });

  it('an event core refuses changes nothing and says invalid_transition', async () => {
    await expect(
      moveDevice(cubby.db, { id: 'd1', from: 'available', event: { type: 'picked_up' }, now: 2 }),
    ).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    expect(await status('devices', 'd1')).toBe('available');
  });

  it('a loan, charge session and repair ticket refuse a stale from-state', async () => {
    expect(await moveLoan(cubby.db, { id: 'l1', from: 'pending', event: { type: 'taken' }, set: { started_at: 2 } })).toBe(
      'active',
    );
    await expect(moveLoan(cubby.db, { id: 'l1', from: 'pending', event: { type: 'not_taken' } })).rejects.toMatchObject(conflict);
    await expect(repointPendingLoan(cubby.db, 'l1', { deviceId: 'd1', compartmentId: 'k1' })).rejects.toMatchObject(conflict);
    expect(
      await moveChargeSession(cubby.db, { id: 'c1', from: 'depositing', event: { type: 'deposited' }, set: { deposited_at: 2 } }),
    ).toBe('charging');
    await expect(
      moveChargeSession(cubby.db, { id: 'c1', from: 'depositing', event: { type: 'deposit_failed' } }),
    ).rejects.toMatchObject(conflict);
    expect(await moveRepairTicket(cubby.db, { id: 'r1', from: 'ready_for_pickup', event: { type: 'picked_up' }, now: 6 })).toBe(
      'closed',
    );
    await expect(
      moveRepairTicket(cubby.db, { id: 'r1', from: 'ready_for_pickup', event: { type: 'picked_up' }, now: 7 }),
    ).rejects.toMatchObject(conflict);
    expect(await cubby.db.selectFrom('repair_tickets').select(['status', 'closed_at']).executeTakeFirstOrThrow()).toEqual({
      status: 'closed',
      closed_at: 6,
    });
  });

  it('a held door is taken once; a free door is held in one statement until none is left', async () => {
    const hold = { transactionId: 't1', purpose: 'return_loaner' as const, commandId: null, now: 2 };
    await reserveCompartment(cubby.db, 'k1', 'loaded', { ...hold, purpose: 'take_loaner' });
    await expect(reserveCompartment(cubby.db, 'k1', 'loaded', hold)).rejects.toMatchObject(conflict);
    expect(await holdFreeCompartment(cubby.db, 's1', false, hold)).toMatchObject({ id: 'k2', number: 2 });
    expect(await holdFreeCompartment(cubby.db, 's1', false, hold)).toBeUndefined();
    expect(
      await moveCompartment(cubby.db, {
        id: 'k2',
        from: 'reserved',
        event: { type: 'release', presence: false },
        now: 3,
        release: true,
      }),
    ).toBe('empty');
    expect(
      await cubby.db
        .selectFrom('compartments')
        .select(['status', 'transaction_id'])
        .where('id', '=', 'k2')
        .executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'empty',
      transaction_id: null,
    });
    await expect(
      moveCompartment(cubby.db, { id: 'k2', from: 'reserved', event: { type: 'door_opened' }, now: 4 }),
    ).rejects.toMatchObject(conflict);
  });

  it('a kiosk transaction ends once', async () => {
    await finishKioskTransaction(cubby.db, 't1', 'completed', null, 5);
    await expect(finishKioskTransaction(cubby.db, 't1', 'failed', 'x', 6)).rejects.toMatchObject(conflict);
    expect(await status('kiosk_transactions', 't1')).toBe('completed');
  });
});

/** One station with a loaded door (k1, loaner d1) and an empty one (k2), and one of each record. */
async function seed(cubby: CubbyDb) {
  const db = cubby.db;
  await db.insertInto('districts').values({ id: 'x1', name: 'D', settings: '{}', created_at: 0 }).execute();
  await db
    .insertInto('sites')
    .values({ id: 'y1', district_id: 'x1', name: 'S', time_zone: 'UTC', school_day_end: '15:00', created_at: 0 })
    .execute();
  await db
    .insertInto('stations')
    .values({ id: 's1', site_id: 'y1', name: 'Lib', token_hash: null, connected: 0, last_seen_at: null, created_at: 0 })
    .execute();
  const device = (id: string, tag: string) => ({
    id,
    district_id: 'x1',
    site_id: 'y1',
    asset_tag: tag,
    serial: null,
    model: 'C',
    pool: 'loaner' as const,
    owner_id: null,
    status: 'available' as const,
    condition: 'good',
    battery_percent: 90,
    loan_count: 0,
    last_loaned_at: null,
    warranty_end: null,
    created_at: 0,
    updated_at: 0,
  });
  await db
    .insertInto('devices')
    .values([device('d1', 'L1'), { ...device('d2', 'A2'), pool: 'assigned', status: 'ready_for_pickup' }])
    .execute();
  const door = (id: string, number: number, deviceId: string | null) => ({
    id,
    station_id: 's1',
    number,
    has_charger: 1 as const,
    status: deviceId ? ('loaded' as const) : ('empty' as const),
    device_id: deviceId,
    door: 'closed' as const,
    presence: deviceId ? (1 as const) : (0 as const),
    charging: 0 as const,
    transaction_id: null,
    purpose: null,
    command_id: null,
    updated_at: 0,
  });
  await db
    .insertInto('compartments')
    .values([door('k1', 1, 'd1'), door('k2', 2, null)])
    .execute();
  await db
    .insertInto('people')
    .values({
      id: 'p1',
      district_id: 'x1',
      site_id: null,
      role: 'student',
      external_id: null,
      student_number: null,
      given_name: 'A',
      family_name: 'B',
      grade: null,
      badge_hash: null,
      pin_hash: null,
      agreement_accepted_at: null,
      active: 1,
      created_at: 0,
    })
    .execute();
  await db
    .insertInto('kiosk_transactions')
    .values({
      id: 't1',
      station_id: 's1',
      person_id: 'p1',
      request_id: 'q1',
      kind: 'borrow',
      status: 'in_progress',
      error_code: null,
      loan_id: null,
      repair_ticket_id: null,
      charge_session_id: null,
      detail: '{}',
      created_at: 0,
      completed_at: null,
    })
    .execute();
  await db
    .insertInto('loans')
    .values({
      id: 'l1',
      device_id: 'd1',
      person_id: 'p1',
      station_id: 's1',
      compartment_id: 'k1',
      transaction_id: 't1',
      reason: 'forgotten',
      status: 'pending',
      created_at: 0,
      started_at: null,
      due_at: 10,
      ended_at: null,
      return_station_id: null,
    })
    .execute();
  await db
    .insertInto('charge_sessions')
    .values({
      id: 'c1',
      person_id: 'p1',
      device_id: null,
      station_id: 's1',
      compartment_id: 'k2',
      transaction_id: 't1',
      status: 'depositing',
      created_at: 0,
      deposited_at: null,
      collected_at: null,
    })
    .execute();
  await db
    .insertInto('repair_tickets')
    .values({
      id: 'r1',
      device_id: 'd2',
      person_id: 'p1',
      transaction_id: 't1',
      loan_id: null,
      status: 'ready_for_pickup',
      symptom: 'screen',
      notes: '',
      cost_cents: null,
      warranty_claim: 0,
      fee_cents: null,
      compartment_id: 'k1',
      reported_at: 0,
      awaiting_collection_at: 0,
      collected_at: 0,
      in_repair_at: 0,
      repaired_at: 0,
      ready_for_pickup_at: 0,
      closed_at: null,
      retired_at: null,
    })
    .execute();
}
