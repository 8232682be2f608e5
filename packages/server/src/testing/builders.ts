import argon2 from 'argon2';
import {
  insertApiToken,
  insertDistrict,
  insertKioskTransaction,
  insertSite,
  insertStation,
  newId,
  setStationTokenHash,
  type CubbyDb,
  type RepairTicketTable,
} from '@cubby/db';
import type { LoanPolicy, RepairSymptom } from '@cubby/core';
import { hashToken, newToken, type Keys } from '../secrets.js';

/** Small builders for test and demo data. Each returns the ids it made. */

export async function aDistrict(
  cubby: CubbyDb,
  options: {
    name?: string;
    timeZone?: string;
    schoolDayEnd?: string;
    policy?: Partial<LoanPolicy>;
    agreement?: { en: string[]; es: string[] };
  } = {},
) {
  const now = Date.now();
  const districtId = newId();
  const siteId = newId();
  const settings = { loanPolicy: options.policy ?? {}, ...(options.agreement ? { agreement: options.agreement } : {}) };
  await insertDistrict(cubby.db, { id: districtId, name: options.name ?? 'Maple Valley USD', settings, now });
  await aSite(cubby, districtId, { id: siteId, timeZone: options.timeZone, schoolDayEnd: options.schoolDayEnd });
  return { districtId, siteId };
}

export async function aSite(
  cubby: CubbyDb,
  districtId: string,
  options: { id?: string; name?: string; timeZone?: string | undefined; schoolDayEnd?: string | undefined } = {},
) {
  const id = options.id ?? newId();
  await insertSite(cubby.db, {
    id,
    district_id: districtId,
    name: options.name ?? 'Maple Valley High',
    time_zone: options.timeZone ?? 'America/Chicago',
    school_day_end: options.schoolDayEnd ?? '15:30',
    created_at: Date.now(),
  });
  return id;
}

export async function aStation(
  cubby: CubbyDb,
  siteId: string,
  options: { name?: string; compartments?: number; chargers?: boolean } = {},
) {
  const now = Date.now();
  const stationId = newId();
  const token = newToken('cst');
  const count = options.compartments ?? 8;
  const compartments = Array.from({ length: count }, (_, i) => ({ id: newId(), number: i + 1 }));
  await insertStation(
    cubby.db,
    { id: stationId, site_id: siteId, name: options.name ?? 'Library', grid_columns: null, grid_rows: null, created_at: now },
    compartments.map((c) => ({ ...c, has_charger: options.chargers === false ? (0 as const) : (1 as const) })),
  );
  await setStationTokenHash(cubby.db, stationId, hashToken(token));
  return { stationId, token, compartments };
}

/**
 * An earlier visit of a person at a station (a borrow that lent nothing: the
 * loaner was left in its locker): what makes a station's offline snapshot list them.
 */
export async function aPastVisit(cubby: CubbyDb, stationId: string, personId: string, at = Date.now() - 86_400_000) {
  await insertKioskTransaction(cubby.db, {
    id: newId(),
    station_id: stationId,
    person_id: personId,
    request_id: `visit:${newId()}`,
    kind: 'borrow',
    status: 'failed',
    error_code: 'loaner_not_taken',
    loan_id: null,
    repair_ticket_id: null,
    charge_session_id: null,
    detail: '{}',
    created_at: at,
    completed_at: at,
  });
}

let studentCounter = 0;

export async function aStudent(
  cubby: CubbyDb,
  keys: Keys,
  districtId: string,
  options: {
    badge?: string;
    studentNumber?: string;
    pin?: string;
    givenName?: string;
    familyName?: string;
    externalId?: string;
    siteId?: string;
    active?: boolean;
    createdAt?: number;
    role?: 'student' | 'staff' | 'technician' | 'admin';
  } = {},
) {
  studentCounter += 1;
  const id = newId();
  const badge = options.badge ?? String(100000 + studentCounter);
  const studentNumber = options.studentNumber ?? `S${String(studentCounter).padStart(6, '0')}`;
  await cubby.db
    .insertInto('people')
    .values({
      id,
      district_id: districtId,
      site_id: options.siteId ?? null,
      role: options.role ?? 'student',
      external_id: options.externalId ?? null,
      student_number: studentNumber,
      given_name: options.givenName ?? `Student${studentCounter}`,
      family_name: options.familyName ?? 'Test',
      grade: '9',
      badge_hash: keys.badgeHash(badge),
      offline_badge_hash: keys.offlineBadgeHash(badge),
      pin_hash: options.pin ? await argon2.hash(options.pin, { type: argon2.argon2id }) : null,
      agreement_accepted_at: null,
      active: options.active === false ? 0 : 1,
      created_at: options.createdAt ?? Date.now(),
    })
    .execute();
  return { personId: id, badge, studentNumber };
}

let assetCounter = 0;

export interface LoanerCharge {
  charge?: number;
  /** When the charge was measured (default now); null: never (core estimates it). */
  measuredAt?: number | null;
  /** Since when it has been on the door's charger (default: not on one). */
  chargingSince?: number | null;
}

/** A loaner sitting in a compartment, ready to hand out. */
export async function aLoaner(
  cubby: CubbyDb,
  districtId: string,
  compartmentId: string,
  options: LoanerCharge & { loanCount?: number } = {},
) {
  assetCounter += 1;
  const now = Date.now();
  const id = newId();
  const assetTag = `LN-${String(assetCounter).padStart(5, '0')}`;
  await cubby.db
    .insertInto('devices')
    .values({
      id,
      district_id: districtId,
      site_id: null,
      asset_tag: assetTag,
      serial: null,
      model: 'Chromebook 11',
      pool: 'loaner',
      owner_id: null,
      status: 'available',
      condition: 'good',
      battery_percent: options.charge ?? 95,
      battery_measured_at: options.measuredAt === undefined ? now : options.measuredAt,
      loan_count: options.loanCount ?? 0,
      last_loaned_at: null,
      warranty_end: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await cubby.db
    .updateTable('compartments')
    .set({ status: 'loaded', device_id: id, presence: 1, charging_since: options.chargingSince ?? null, updated_at: now })
    .where('id', '=', compartmentId)
    .execute();
  return { deviceId: id, assetTag };
}

/** A student's own (assigned) Chromebook, with them. */
export async function anAssignedDevice(cubby: CubbyDb, districtId: string, ownerId: string) {
  assetCounter += 1;
  const now = Date.now();
  const id = newId();
  await cubby.db
    .insertInto('devices')
    .values({
      id,
      district_id: districtId,
      site_id: null,
      asset_tag: `CB-${String(assetCounter).padStart(5, '0')}`,
      serial: null,
      model: 'Chromebook 11',
      pool: 'assigned',
      owner_id: ownerId,
      status: 'in_service',
      condition: 'good',
      battery_percent: 40,
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { deviceId: id };
}

/** An integration's API token; by default the legacy read-everything scope. */
export async function anApiToken(cubby: CubbyDb, name = 'test', options: { scopes?: string[]; siteIds?: string[] | null } = {}) {
  const token = newToken('cat');
  await insertApiToken(cubby.db, {
    id: newId(),
    name,
    token_hash: hashToken(token),
    scopes: options.scopes ?? ['read'],
    created_at: Date.now(),
    siteIds: options.siteIds ?? null,
  });
  return token;
}

const day = 86_400_000;

/** A repair ticket row of a student's device: only what differs from a fresh, unfiled ticket is given. */
export function aTicketRow(
  fields: Pick<RepairTicketTable, 'id' | 'device_id' | 'person_id' | 'status'> & Partial<RepairTicketTable>,
) {
  return {
    transaction_id: null,
    loan_id: null,
    symptom: 'screen' as const,
    notes: '',
    cost_cents: null,
    warranty_claim: 0 as const,
    fee_cents: null,
    compartment_id: null,
    reported_at: Date.now(),
    awaiting_collection_at: null,
    collected_at: null,
    in_repair_at: null,
    repaired_at: null,
    ready_for_pickup_at: null,
    closed_at: null,
    retired_at: null,
    ...fields,
  } satisfies RepairTicketTable;
}

/** A repaired device placed in a compartment for its owner, its ticket ready for pickup. */
export async function aRepairReadyForPickup(cubby: CubbyDb, districtId: string, ownerId: string, compartmentId: string) {
  const { deviceId } = await anAssignedDevice(cubby, districtId, ownerId);
  const now = Date.now();
  const ticketId = newId();
  await cubby.db.updateTable('devices').set({ status: 'ready_for_pickup' }).where('id', '=', deviceId).execute();
  await cubby.db
    .updateTable('compartments')
    .set({ status: 'loaded', device_id: deviceId, presence: 1, updated_at: now })
    .where('id', '=', compartmentId)
    .execute();
  await cubby.db
    .insertInto('repair_tickets')
    .values(
      aTicketRow({
        id: ticketId,
        device_id: deviceId,
        person_id: ownerId,
        status: 'ready_for_pickup',
        cost_cents: 4500,
        compartment_id: compartmentId,
        reported_at: now - 3 * day,
        awaiting_collection_at: now - 3 * day,
        collected_at: now - 2 * day,
        in_repair_at: now - 2 * day,
        repaired_at: now - day,
        ready_for_pickup_at: now - 3_600_000,
      }),
    )
    .execute();
  return { deviceId, ticketId };
}

/** A student's device back from repair on the technician's bench: its ticket `repaired`, in no compartment. */
export async function aRepairedDevice(cubby: CubbyDb, districtId: string, ownerId: string) {
  const { deviceId } = await anAssignedDevice(cubby, districtId, ownerId);
  const now = Date.now();
  const ticketId = newId();
  await cubby.db.updateTable('devices').set({ status: 'in_repair' }).where('id', '=', deviceId).execute();
  await cubby.db
    .insertInto('repair_tickets')
    .values(
      aTicketRow({
        id: ticketId,
        device_id: deviceId,
        person_id: ownerId,
        status: 'repaired',
        cost_cents: 4500,
        reported_at: now - 3 * day,
        awaiting_collection_at: now - 3 * day,
        collected_at: now - 2 * day,
        in_repair_at: now - 2 * day,
        repaired_at: now - 3_600_000,
      }),
    )
    .execute();
  const { asset_tag: assetTag } = await cubby.db
    .selectFrom('devices')
    .select('asset_tag')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return { deviceId, ticketId, assetTag };
}

/**
 * A student's broken device left behind a door, its ticket awaiting
 * collection; with `presence: 0` the door's sensor reads empty (someone took
 * it without the kiosk), and a technician's collection flags that door.
 */
export async function aFlaggedDevice(
  cubby: CubbyDb,
  keys: Keys,
  districtId: string,
  compartmentId: string,
  options: { presence?: 0 | 1; symptom?: RepairSymptom } = {},
) {
  const db = cubby.db;
  const owner = await aStudent(cubby, keys, districtId);
  const { deviceId } = await anAssignedDevice(cubby, districtId, owner.personId);
  const now = Date.now();
  await db.updateTable('devices').set({ status: 'awaiting_collection' }).where('id', '=', deviceId).execute();
  await db
    .updateTable('compartments')
    .set({ status: 'loaded', device_id: deviceId, presence: options.presence ?? 1, updated_at: now })
    .where('id', '=', compartmentId)
    .execute();
  const ticketId = newId();
  await db
    .insertInto('repair_tickets')
    .values(
      aTicketRow({
        id: ticketId,
        device_id: deviceId,
        person_id: owner.personId,
        status: 'awaiting_collection',
        symptom: options.symptom ?? 'screen',
        compartment_id: compartmentId,
        reported_at: now,
        awaiting_collection_at: now,
      }),
    )
    .execute();
  return { deviceId, ticketId, ownerId: owner.personId };
}
