/**
 * A large district, generated deterministically (seeded PRNG, ids derived from
 * each row's own time), so SQLite and PostgreSQL get the very same rows and a
 * rerun at the same scale produces the same database. Rows are arrays in the
 * column order of `tables`, handed out in batches so 5 million audit events
 * never sit in memory at once.
 */
import { createHash } from 'node:crypto';
import { permissions } from '@cubby/core';
import { Keys, hashToken } from '@cubby/server';
import { generateAudit } from './dashboard-audit.js';
import { idAt, prng, shuffle, type Random } from './dashboard-random.js';

export type ColumnType = 'text' | 'int' | 'bigint' | 'json';
export type Row = (string | number | null)[];

/** Every column each seeded table gets, in row order. */
export const tables = {
  districts: { id: 'text', name: 'text', settings: 'json', created_at: 'bigint' },
  sites: { id: 'text', district_id: 'text', name: 'text', time_zone: 'text', school_day_end: 'text', created_at: 'bigint' },
  stations: {
    id: 'text',
    site_id: 'text',
    name: 'text',
    token_hash: 'text',
    connected: 'int',
    last_seen_at: 'bigint',
    created_at: 'bigint',
    grid_columns: 'int',
    grid_rows: 'int',
  },
  people: {
    id: 'text',
    district_id: 'text',
    site_id: 'text',
    role: 'text',
    external_id: 'text',
    student_number: 'text',
    given_name: 'text',
    family_name: 'text',
    grade: 'text',
    badge_hash: 'text',
    pin_hash: 'text',
    agreement_accepted_at: 'bigint',
    active: 'int',
    created_at: 'bigint',
  },
  devices: {
    id: 'text',
    district_id: 'text',
    site_id: 'text',
    asset_tag: 'text',
    serial: 'text',
    model: 'text',
    pool: 'text',
    owner_id: 'text',
    status: 'text',
    condition: 'text',
    battery_percent: 'int',
    loan_count: 'int',
    last_loaned_at: 'bigint',
    warranty_end: 'bigint',
    created_at: 'bigint',
    updated_at: 'bigint',
  },
  compartments: {
    id: 'text',
    station_id: 'text',
    number: 'int',
    has_charger: 'int',
    status: 'text',
    device_id: 'text',
    door: 'text',
    presence: 'int',
    charging: 'int',
    updated_at: 'bigint',
  },
  kiosk_transactions: {
    id: 'text',
    station_id: 'text',
    person_id: 'text',
    request_id: 'text',
    kind: 'text',
    status: 'text',
    loan_id: 'text',
    detail: 'json',
    created_at: 'bigint',
    completed_at: 'bigint',
  },
  loans: {
    id: 'text',
    device_id: 'text',
    person_id: 'text',
    station_id: 'text',
    compartment_id: 'text',
    transaction_id: 'text',
    reason: 'text',
    status: 'text',
    created_at: 'bigint',
    started_at: 'bigint',
    due_at: 'bigint',
    ended_at: 'bigint',
    return_station_id: 'text',
  },
  repair_tickets: {
    id: 'text',
    device_id: 'text',
    person_id: 'text',
    status: 'text',
    symptom: 'text',
    notes: 'text',
    warranty_claim: 'int',
    compartment_id: 'text',
    reported_at: 'bigint',
    collected_at: 'bigint',
    repaired_at: 'bigint',
    closed_at: 'bigint',
  },
  alerts: {
    id: 'text',
    kind: 'text',
    station_id: 'text',
    compartment_id: 'text',
    detail: 'json',
    raised_at: 'bigint',
    cleared_at: 'bigint',
  },
  audit_events: {
    id: 'text',
    seq: 'bigint',
    at: 'bigint',
    actor_type: 'text',
    actor_id: 'text',
    action: 'text',
    entity_type: 'text',
    entity_id: 'text',
    station_id: 'text',
    transaction_id: 'text',
    data: 'json',
    prev_hash: 'text',
    hash: 'text',
  },
  api_tokens: { id: 'text', name: 'text', token_hash: 'text', scopes: 'json', created_at: 'bigint' },
} satisfies Record<string, Record<string, ColumnType>>;
export type TableName = keyof typeof tables;

export const benchApiToken = 'cat_bench-dashboard-all-permissions-0000';
export const stationToken = (index: number) => `cst_bench-dashboard-station-${index}`;

const day = 86_400_000;
const firstNames = [
  'Ava',
  'Liam',
  'Mia',
  'Noah',
  'Zoe',
  'Ethan',
  'Lily',
  'Mason',
  'Emma',
  'Lucas',
  'Aria',
  'Owen',
  'Chloe',
  'Elijah',
  'Nora',
  'Mateo',
  'Layla',
  'Kai',
  'Ruby',
  'Leo',
  'Sofia',
  'Ezra',
  'Maya',
  'Jayden',
  'Isla',
  'Omar',
  'Priya',
  'Diego',
  'Hana',
  'Samuel',
];
const familyNames = [
  'Garcia',
  'Smith',
  'Nguyen',
  'Johnson',
  'Patel',
  'Brown',
  'Martinez',
  'Kim',
  'Davis',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Hernandez',
  'Moore',
  'Jackson',
  'Lee',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Hill',
  'Green',
  'Adams',
  'Baker',
  'Nelson',
  'Carter',
  'Mitchell',
  'Perez',
  'Roberts',
  'Turner',
  'Phillips',
  'Campbell',
  'Parker',
  'Evans',
  'Edwards',
  'Collins',
];
const models = [
  'Lenovo 300e Gen 4',
  'Dell Chromebook 3110',
  'HP Chromebook x360 11 G4',
  'Acer Chromebook Spin 512',
  'ASUS Chromebook CR1100',
];
const symptoms = ['screen', 'keyboard', 'battery', 'charging_port', 'wont_turn_on', 'liquid', 'other'];
const reasons = ['forgotten', 'forgotten', 'dead_battery', 'broken', 'other'];

export interface DistrictShape {
  scale: number;
  campuses: number;
  stations: number;
  compartmentsPerStation: number;
  students: number;
  devices: number;
  loaners: number;
  loans: number;
  repairTickets: number;
  alerts: number;
  auditEvents: number;
}

export function districtShape(scale: number): DistrictShape {
  const stations = Math.max(2, Math.round(100 * scale));
  const students = Math.max(100, Math.round(100_000 * scale));
  return {
    scale,
    campuses: Math.max(1, Math.round(stations / 5)),
    stations,
    compartmentsPerStation: 50,
    students,
    devices: Math.max(students + 60, Math.round(150_000 * scale)),
    loaners: Math.max(40, Math.round(4_000 * scale)),
    loans: Math.max(200, Math.round(300_000 * scale)),
    repairTickets: Math.max(50, Math.round(10_000 * scale)),
    alerts: Math.max(20, Math.round(3_000 * scale)),
    auditEvents: Math.max(1_000, Math.round(5_000_000 * scale)),
  };
}

/** What the benchmark needs to know about the seeded district. */
export interface DistrictManifest {
  shape: DistrictShape;
  now: number;
  siteIds: string[];
  stationIds: string[];
  /** Per station, its empty compartments' numbers (for live events that change nothing lasting). */
  emptyNumbers: number[][];
  assetTags: string[];
  familyNames: string[];
  lastAudit: { seq: number; hash: string };
}

export type Emit = (table: TableName, rows: Row[]) => Promise<void>;

/** Generates the district and hands its rows to `emit`, tables in foreign-key order. */
export async function generateDistrict(
  shape: DistrictShape,
  now: number,
  secret: string,
  emit: Emit,
  batch = 5000,
): Promise<DistrictManifest> {
  const random = prng(20261123);
  const keys = new Keys(secret);
  const yearAgo = now - 365 * day;
  const districtId = idAt(random, yearAgo - 30 * day);
  await emit('districts', [
    [districtId, 'Maple Valley Unified', JSON.stringify({ loanPolicy: { maxActiveLoans: 1 } }), yearAgo - 30 * day],
  ]);

  const siteIds = Array.from({ length: shape.campuses }, (_, i) => idAt(random, yearAgo - 29 * day + i));
  await emit(
    'sites',
    siteIds.map((id, i) => [
      id,
      districtId,
      `${familyNames[i % familyNames.length]} ${i < 4 ? 'High' : i < 9 ? 'Middle' : 'Elementary'} School`,
      'America/Chicago',
      '15:30',
      yearAgo - 29 * day,
    ]),
  );

  const stationIds = Array.from({ length: shape.stations }, (_, i) => idAt(random, yearAgo - 28 * day + i));
  const stationSite = stationIds.map((_, i) => siteIds[i % siteIds.length]!);
  await emit(
    'stations',
    stationIds.map((id, i) => [
      id,
      stationSite[i]!,
      `Library ${Math.floor(i / siteIds.length) + 1}`,
      hashToken(stationToken(i)),
      0,
      now - 60_000,
      yearAgo - 28 * day,
      10,
      shape.compartmentsPerStation / 10,
    ]),
  );

  // People: students, then a few staff. Every student has a badge.
  const people: string[] = [];
  const personSite: string[] = [];
  const staff = Math.max(5, Math.round(shape.students / 50));
  for (let start = 0; start < shape.students + staff; start += batch) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(shape.students + staff, start + batch); i++) {
      const created = yearAgo - 20 * day + Math.floor((i / (shape.students + staff)) * 20 * day);
      const id = idAt(random, created);
      const site = siteIds[random.int(siteIds.length)]!;
      people.push(id);
      personSite.push(site);
      const student = i < shape.students;
      rows.push([
        id,
        districtId,
        site,
        student ? 'student' : 'staff',
        `sis-${i}`,
        student ? `S${1_000_000 + i}` : null,
        random.pick(firstNames),
        random.pick(familyNames),
        student ? String(6 + (i % 7)) : null,
        keys.badgeHash(String(40_000_000 + i)),
        null,
        random.next() < 0.9 ? created + day : null,
        random.next() < 0.98 ? 1 : 0,
        created,
      ]);
    }
    await emit('people', rows);
  }

  // Devices: one assigned to each student, the loaners, then spares and staff machines.
  const compartmentCount = shape.stations * shape.compartmentsPerStation;
  const deviceIds: string[] = [];
  const deviceStatus: string[] = [];
  const assetTags: string[] = [];
  const loanerIndex: number[] = [];
  const plan = deviceStatusPlan(shape, compartmentCount, random);
  for (let start = 0; start < shape.devices; start += batch) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(shape.devices, start + batch); i++) {
      const created = yearAgo - 15 * day + Math.floor((i / shape.devices) * 10 * day);
      const id = idAt(random, created);
      const loaner = i >= shape.students && i < shape.students + shape.loaners;
      const status = plan(i);
      const assetTag = `CB-${String(100_000 + i)}`;
      deviceIds.push(id);
      deviceStatus.push(status);
      assetTags.push(assetTag);
      if (loaner) loanerIndex.push(i);
      const site = i < shape.students ? personSite[i]! : siteIds[i % siteIds.length]!;
      rows.push([
        id,
        districtId,
        site,
        assetTag,
        `5CD${random.hex(7).toUpperCase()}`,
        random.pick(models),
        loaner ? 'loaner' : 'assigned',
        i < shape.students ? people[i]! : null,
        status,
        random.next() < 0.9 ? 'good' : 'fair',
        20 + random.int(81),
        loaner ? random.int(60) : 0,
        loaner ? now - random.int(60) * day : null,
        created + 3 * 365 * day,
        created,
        now - random.int(90) * day,
      ]);
    }
    await emit('devices', rows);
  }

  // Compartments: loaners ready to lend, owners' devices charging or waiting for a technician, some out of service.
  const inCompartment = deviceIds
    .map((_, i) => i)
    .filter((i) => ['available', 'charging', 'awaiting_collection', 'ready_for_pickup'].includes(deviceStatus[i]!));
  const slots = shuffle(
    Array.from({ length: compartmentCount }, (_, i) => i),
    random,
  );
  const deviceAt = new Map<number, number>();
  inCompartment.forEach((d, n) => deviceAt.set(slots[n]!, d));
  const outOfService = new Set(slots.slice(inCompartment.length, inCompartment.length + Math.round(compartmentCount / 100)));
  const compartmentIds: string[] = [];
  const compartmentOfDevice = new Map<number, string>();
  const emptyNumbers: number[][] = stationIds.map(() => []);
  const compartmentRows: Row[] = [];
  for (let c = 0; c < compartmentCount; c++) {
    const s = Math.floor(c / shape.compartmentsPerStation);
    const number = (c % shape.compartmentsPerStation) + 1;
    const id = idAt(random, yearAgo - 28 * day + c);
    compartmentIds.push(id);
    const d = deviceAt.get(c);
    if (d !== undefined) compartmentOfDevice.set(d, id);
    const status = d !== undefined ? 'loaded' : outOfService.has(c) ? 'out_of_service' : 'empty';
    if (status === 'empty') emptyNumbers[s]!.push(number);
    const charging = d !== undefined && random.next() < 0.3 ? 1 : 0;
    compartmentRows.push([
      id,
      stationIds[s]!,
      number,
      1,
      status,
      d === undefined ? null : deviceIds[d]!,
      'closed',
      d === undefined ? 0 : 1,
      charging,
      now - random.int(30) * day,
    ]);
  }
  for (let i = 0; i < compartmentRows.length; i += batch) await emit('compartments', compartmentRows.slice(i, i + batch));

  // Loans, oldest first: history (returned, a few cancelled or lost), then the open ones (on_loan loaners).
  const onLoan = loanerIndex.filter((i) => deviceStatus[i] === 'on_loan');
  const historyCount = Math.max(0, shape.loans - onLoan.length);
  const borrowers = shuffle(
    Array.from({ length: shape.students }, (_, i) => i),
    random,
  );
  for (let start = 0; start < shape.loans; start += batch) {
    const loans: Row[] = [];
    const transactions: Row[] = [];
    for (let n = start; n < Math.min(shape.loans, start + batch); n++) {
      const open = n >= historyCount;
      const created = open
        ? now - random.int(open && random.next() < 0.25 ? 10 * day : day / 2)
        : now - 180 * day + Math.floor((n / Math.max(1, historyCount)) * 179 * day);
      const device = open ? onLoan[n - historyCount]! : loanerIndex[random.int(loanerIndex.length)]!;
      const person = open ? borrowers[(n - historyCount) % borrowers.length]! : random.int(shape.students);
      const s = random.int(stationIds.length);
      const compartment = compartmentIds[s * shape.compartmentsPerStation + random.int(shape.compartmentsPerStation)]!;
      const txId = idAt(random, created);
      const loanId = idAt(random, created + 1);
      const due = created + (open ? 1 : 1 + random.int(2)) * day - (created % day) + 22 * 3_600_000;
      const status = open
        ? due < now
          ? 'overdue'
          : 'active'
        : random.next() < 0.03
          ? 'cancelled'
          : random.next() < 0.01
            ? 'lost'
            : 'returned';
      const ended =
        status === 'returned' || status === 'cancelled' || status === 'lost'
          ? created + (status === 'cancelled' ? 30_000 : random.int(2 * day))
          : null;
      transactions.push([
        txId,
        stationIds[s]!,
        people[person]!,
        txId,
        'borrow',
        status === 'cancelled' ? 'failed' : 'completed',
        loanId,
        '{}',
        created,
        created + 20_000,
      ]);
      loans.push([
        loanId,
        deviceIds[device]!,
        people[person]!,
        stationIds[s]!,
        compartment,
        txId,
        random.pick(reasons),
        status,
        created,
        status === 'cancelled' ? null : created + 15_000,
        due,
        ended,
        status === 'returned' ? stationIds[random.int(stationIds.length)]! : null,
      ]);
    }
    await emit('kiosk_transactions', transactions);
    await emit('loans', loans);
  }

  // Repair tickets: one open ticket for each device being repaired, then closed history.
  const openRepairs = deviceIds
    .map((_, i) => i)
    .filter((i) => ['awaiting_collection', 'in_repair', 'ready_for_pickup'].includes(deviceStatus[i]!));
  const tickets: Row[] = [];
  for (let n = 0; n < Math.max(shape.repairTickets, openRepairs.length); n++) {
    const open = n < openRepairs.length;
    const device = open ? openRepairs[n]! : random.int(shape.students);
    const reported = open ? now - random.int(20 * day) : now - 200 * day + random.int(180 * day);
    const status = open
      ? (({ awaiting_collection: 'awaiting_collection', ready_for_pickup: 'ready_for_pickup' } as Record<string, string>)[
          deviceStatus[device]!
        ] ?? random.pick(['collected', 'in_repair', 'repaired']))
      : 'closed';
    tickets.push([
      idAt(random, reported),
      deviceIds[device]!,
      device < shape.students ? people[device]! : null,
      status,
      random.pick(symptoms),
      '',
      random.next() < 0.2 ? 1 : 0,
      compartmentOfDevice.get(device) ?? null,
      reported,
      status === 'awaiting_collection' ? null : reported + day,
      status === 'closed' || status === 'ready_for_pickup' ? reported + 5 * day : null,
      status === 'closed' ? reported + 6 * day : null,
    ]);
  }
  tickets.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  for (let i = 0; i < tickets.length; i += batch) await emit('repair_tickets', tickets.slice(i, i + batch));

  const alerts: Row[] = [];
  for (let n = 0; n < shape.alerts; n++) {
    const raised = now - 90 * day + Math.floor((n / shape.alerts) * 90 * day);
    const s = random.int(stationIds.length);
    const kind = random.pick(['door_left_open', 'door_left_open', 'lock_fault', 'charge_expired']);
    const open = n >= shape.alerts * 0.95;
    alerts.push([
      idAt(random, raised),
      kind,
      stationIds[s]!,
      compartmentIds[s * shape.compartmentsPerStation + random.int(shape.compartmentsPerStation)]!,
      JSON.stringify(kind === 'door_left_open' ? { openForMs: 120_000 } : {}),
      raised,
      open ? null : raised + 600_000,
    ]);
  }
  await emit('alerts', alerts);

  const lastAudit = await generateAudit(shape, now, random, { stationIds, compartmentIds, people, deviceIds }, emit, batch);
  await emit('api_tokens', [
    [idAt(random, now), 'dashboard bench', hashToken(benchApiToken), JSON.stringify([...permissions]), now],
  ]);

  const sample = prng(7);
  return {
    shape,
    now,
    siteIds,
    stationIds,
    emptyNumbers,
    assetTags: Array.from({ length: 50 }, () => assetTags[sample.int(assetTags.length)]!),
    familyNames: familyNames.slice(0, 20),
    lastAudit,
  };
}

/** Each device's status, by its index: students' devices first, then loaners, then spares. */
function deviceStatusPlan(shape: DistrictShape, compartments: number, random: Random) {
  const loanersIn = Math.min(Math.round(shape.loaners * 0.65), Math.round(compartments * 0.55));
  const loanersOut = Math.round(shape.loaners * 0.22);
  const charging = Math.round(compartments * 0.03);
  const awaiting = Math.round(compartments * 0.02);
  const pickup = Math.round(compartments * 0.01);
  return (i: number): string => {
    if (i < shape.students) {
      if (i < charging) return 'charging';
      if (i < charging + awaiting) return 'awaiting_collection';
      if (i < charging + awaiting + pickup) return 'ready_for_pickup';
      const r = random.next();
      return r < 0.015 ? 'in_repair' : r < 0.018 ? 'lost' : 'in_service';
    }
    const l = i - shape.students;
    if (l < shape.loaners)
      return l < loanersIn ? 'available' : l < loanersIn + loanersOut ? 'on_loan' : l % 2 ? 'in_repair' : 'lost';
    return random.next() < 0.07 ? 'retired' : 'in_service';
  };
}

/** Changes whenever what the seeder would write changes: the generator, the writer and the migrations. */
export function seedVersion(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}
