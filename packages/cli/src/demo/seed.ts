import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { StaffRole } from '@cubby/core';
import {
  findFirstDistrict,
  insertApiToken,
  insertDevices,
  insertDistrict,
  insertPeople,
  insertSite,
  insertStation,
  insertUser,
  newId,
  setStationTokenHash,
  sitesInScope,
  stockCompartment,
  type CubbyDb,
} from '@cubby/db';
import { hashPassword, hashToken, newToken, type Keys } from '@cubby/server';
import { writeHistory, type HistoryInput } from './history.js';

/**
 * The demo district: three campuses, five locker stations, 600 students with
 * their Chromebooks and a loaner pool, enough to see every flow work.
 * Deterministic (seeded random) so screenshots and docs stay comparable.
 */
export interface DemoDistrict {
  stations: { id: string; name: string; siteName: string; token: string; compartments: number }[];
  badges: { badge: string; name: string; studentNumber: string; pin?: string }[];
  apiToken: string;
  /** Dashboard sign-ins, one per role (demo only: a real district runs first-run setup). */
  accounts?: DemoAccount[];
}

export interface DemoAccount {
  role: StaffRole;
  email: string;
  password: string;
  campus: string | null;
}

const campuses = [
  { name: 'Maple Valley High School', tz: 'America/Chicago', end: '15:30', stations: ['Library', 'Main Office'] },
  { name: 'Cedar Ridge Middle School', tz: 'America/Chicago', end: '15:15', stations: ['Media Center', 'Gym Lobby'] },
  { name: 'Birch Street Elementary', tz: 'America/Chicago', end: '14:45', stations: ['Front Hall'] },
];
const compartmentsPerStation = 12;
/** Set per district; shown once to each first-time borrower. */
const demoAgreement = {
  en: [
    'This Chromebook belongs to Maple Valley USD. I will treat it with care and keep it with me.',
    'I will return it to any Cubby locker by the end of the school day shown on the screen.',
    'If it is damaged or lost, I will tell the library right away.',
  ],
  es: [
    'Esta Chromebook es de Maple Valley USD. La cuidaré y la mantendré conmigo.',
    'La devolveré en cualquier casillero Cubby antes del final del día escolar que indica la pantalla.',
    'Si se daña o se pierde, avisaré a la biblioteca de inmediato.',
  ],
};
const studentsCount = 600;
const loanersPerStation = 13; // 65 loaners in all
const givenNames = [
  'Ava',
  'Liam',
  'Sofia',
  'Noah',
  'Mia',
  'Mateo',
  'Zoe',
  'Elijah',
  'Isabella',
  'Lucas',
  'Amara',
  'Ethan',
  'Camila',
  'Kai',
  'Harper',
  'Diego',
  'Nora',
  'Jayden',
  'Lily',
  'Omar',
];
const familyNames = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Johnson',
  'Martinez',
  'Lee',
  'Brown',
  'Hernandez',
  'Patel',
  'Davis',
  'Lopez',
  'Wilson',
  'Kim',
  'Clark',
  'Lewis',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedDemoDistrict(cubby: CubbyDb, keys: Keys): Promise<DemoDistrict> {
  const random = rng(42);
  const now = Date.now();
  const districtId = newId();
  const out: DemoDistrict = { stations: [], badges: [], apiToken: newToken('cat') };
  await insertDistrict(cubby.db, {
    id: districtId,
    name: 'Maple Valley Unified School District',
    settings: JSON.stringify({
      loanPolicy: { maxActiveLoans: 1, minChargePercent: 50, requireAgreement: true },
      agreement: demoAgreement,
    }),
    created_at: now,
  });
  const siteIds: string[] = [];
  const historySites: HistoryInput['sites'] = [];
  for (const campus of campuses) {
    const siteId = newId();
    siteIds.push(siteId);
    const historySite: HistoryInput['sites'][number] = { id: siteId, timeZone: campus.tz, endOfDay: campus.end, stations: [] };
    historySites.push(historySite);
    await insertSite(cubby.db, {
      id: siteId,
      district_id: districtId,
      name: campus.name,
      time_zone: campus.tz,
      school_day_end: campus.end,
      created_at: now,
    });
    for (const stationName of campus.stations) {
      const stationId = newId();
      const token = newToken('cst');
      const compartments = Array.from({ length: compartmentsPerStation }, (_, i) => ({
        id: newId(),
        number: i + 1,
        has_charger: 1 as const,
      }));
      const station = { id: stationId, site_id: siteId, name: stationName, grid_columns: null, grid_rows: null, created_at: now };
      await insertStation(cubby.db, station, compartments);
      // Demo stations come enrolled: their tokens go to demo.json for the simulated agents.
      await setStationTokenHash(cubby.db, stationId, hashToken(token));
      historySite.stations.push({ id: stationId, compartmentIds: compartments.map((c) => c.id) });
      out.stations.push({ id: stationId, name: stationName, siteName: campus.name, token, compartments: compartmentsPerStation });
    }
  }

  // Students with their own Chromebooks; the first few get a PIN for the PIN-pad path.
  const people = [];
  const ownDeviceIds: string[] = [];
  const devices = [];
  for (let i = 0; i < studentsCount; i++) {
    const id = newId();
    const badge = String(4_100_000 + i * 7);
    const studentNumber = String(20_000 + i);
    const givenName = givenNames[Math.floor(random() * givenNames.length)]!;
    const familyName = familyNames[Math.floor(random() * familyNames.length)]!;
    const pin = i < 10 ? '1234' : undefined;
    people.push({
      id,
      district_id: districtId,
      site_id: siteIds[i % siteIds.length]!,
      role: 'student' as const,
      external_id: `sis-${studentNumber}`,
      student_number: studentNumber,
      given_name: givenName,
      family_name: familyName,
      grade: String(6 + (i % 7)),
      badge_hash: keys.badgeHash(badge),
      offline_badge_hash: keys.offlineBadgeHash(badge),
      pin_hash: pin ? await argon2.hash(pin, { type: argon2.argon2id }) : null,
      agreement_accepted_at: null,
      active: 1 as const,
      created_at: now,
    });
    const ownDeviceId = newId();
    ownDeviceIds.push(ownDeviceId);
    devices.push({
      id: ownDeviceId,
      district_id: districtId,
      site_id: siteIds[i % siteIds.length]!,
      asset_tag: `CB-${String(10_000 + i)}`,
      serial: `5CD${Math.floor(random() * 1e7)}`,
      model: i % 3 === 0 ? 'Lenovo 300e Gen 4' : 'Dell Chromebook 3110',
      pool: 'assigned' as const,
      owner_id: id,
      status: 'in_service' as const,
      condition: 'good',
      battery_percent: Math.floor(20 + random() * 80),
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: now + 400 * 86_400_000,
      created_at: now,
      updated_at: now,
    });
    if (i < 8) out.badges.push({ badge, name: `${givenName} ${familyName}`, studentNumber, ...(pin ? { pin } : {}) });
  }
  for (let i = 0; i < people.length; i += 200) await insertPeople(cubby.db, people.slice(i, i + 200));

  // Spare assigned devices up to 900, and the loaner pool in the stations.
  for (let i = studentsCount; i < 900 - out.stations.length * loanersPerStation; i++) {
    devices.push({
      id: newId(),
      district_id: districtId,
      site_id: siteIds[i % siteIds.length]!,
      asset_tag: `CB-${String(10_000 + i)}`,
      serial: null,
      model: 'Dell Chromebook 3110',
      pool: 'assigned' as const,
      owner_id: null,
      status: 'in_repair' as const,
      condition: 'needs repair',
      battery_percent: 50,
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: null,
      created_at: now,
      updated_at: now,
    });
  }
  const placements: { deviceId: string; stationId: string; number: number }[] = [];
  const loanerHomes: { id: string; stationId: string }[] = [];
  let loanerNumber = 0;
  for (const station of out.stations) {
    for (let n = 0; n < loanersPerStation; n++) {
      loanerNumber += 1;
      const id = newId();
      devices.push({
        id,
        district_id: districtId,
        site_id: null,
        asset_tag: `LN-${String(loanerNumber).padStart(4, '0')}`,
        serial: null,
        model: 'Dell Chromebook 3110',
        pool: 'loaner' as const,
        owner_id: null,
        status: (n < compartmentsPerStation - 3 ? 'available' : 'in_repair') as 'available' | 'in_repair',
        condition: 'good',
        battery_percent: Math.floor(35 + random() * 65),
        loan_count: Math.floor(random() * 30),
        last_loaned_at: null,
        warranty_end: null,
        created_at: now,
        updated_at: now,
      });
      // Three doors per station stay empty for returns, swaps and charging.
      if (n < compartmentsPerStation - 3) placements.push({ deviceId: id, stationId: station.id, number: n + 1 });
      loanerHomes.push({ id, stationId: station.id });
    }
  }
  for (let i = 0; i < devices.length; i += 200) await insertDevices(cubby.db, devices.slice(i, i + 200));
  for (const p of placements) await stockCompartment(cubby.db, p.stationId, p.number, p.deviceId);
  await insertApiToken(cubby.db, {
    id: newId(),
    name: 'demo',
    token_hash: hashToken(out.apiToken),
    scopes: ['fleet:read', 'people:read', 'audit:read'],
    created_at: now,
  });
  out.accounts = await seedDemoAccounts(cubby);
  const students = people.map((p, i) => ({ id: p.id, siteId: p.site_id, ownDeviceId: ownDeviceIds[i]! }));
  await writeHistory(cubby, { sites: historySites, students, loaners: loanerHomes, random, now });
  return out;
}

/**
 * One dashboard account per role, with random passwords printed at start.
 * The site admin and technician look after the first campus.
 */
export async function seedDemoAccounts(cubby: CubbyDb): Promise<DemoAccount[]> {
  const district = await findFirstDistrict(cubby.db);
  // The campus last by name: Maple Valley High School in the demo district.
  const campus = (await sitesInScope(cubby.db, null)).filter((s) => s.district_id === district?.id).at(-1);
  if (!district || !campus) throw new Error('the demo district has no campus yet');
  const people: { role: StaffRole; local: string; name: string; scoped: boolean }[] = [
    { role: 'district_admin', local: 'it.director', name: 'Dana Okafor (IT director)', scoped: false },
    { role: 'site_admin', local: 'maple.admin', name: 'Luis Romero (Maple Valley HS)', scoped: true },
    { role: 'technician', local: 'maple.tech', name: 'Priya Shah (technician)', scoped: true },
    { role: 'auditor', local: 'auditor', name: 'Grace Bell (auditor)', scoped: false },
  ];
  const accounts: DemoAccount[] = [];
  for (const p of people) {
    const password = randomBytes(12).toString('base64url');
    const email = `${p.local}@maplevalley.example`;
    await insertUser(cubby.db, {
      id: newId(),
      districtId: district.id,
      email,
      name: p.name,
      role: p.role,
      siteIds: p.scoped ? [campus.id] : null,
      passwordHash: await hashPassword(password),
      now: Date.now(),
    });
    accounts.push({ role: p.role, email, password, campus: p.scoped ? campus.name : null });
  }
  return accounts;
}
