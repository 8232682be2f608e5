import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@cubby/core';
import {
  findFirstDistrict,
  insertApiToken,
  insertDistrict,
  insertStation,
  insertUser,
  newId,
  setStationTokenHash,
  sitesInScope,
  updatePersonFields,
  updateSite,
  type CubbyDb,
} from '@cubby/db';
import { hashPassword, hashToken, newToken, type Keys } from '@cubby/server';
import { setDemoState } from './after-import.js';
import { writeHistory, type HistoryInput } from './history.js';
import { importDemoFiles } from './import-demo.js';
import { demoLoanerPool, spareDevices } from './loaners.js';
import { writeDemoRepairs } from './repairs.js';
import { writeDemoTasks } from './tasks.js';
import { demoStudents } from './students.js';

/**
 * The demo district: three campuses, five locker stations, 600 students with
 * their Chromebooks and a loaner pool, enough to see every flow work. Its
 * campuses, students and devices come in through the roster and device
 * imports every district uses (import-demo.ts); the rest is set after.
 * Deterministic (seeded random) so screenshots and docs stay comparable.
 */
export interface DemoDistrict {
  stations: { id: string; name: string; siteName: string; token: string; compartments: number }[];
  badges: { badge: string; name: string; studentNumber: string; pin?: string }[];
  /** Technicians' badges (technician mode at the locker), one per campus. */
  technicians?: { badge: string; name: string; campus: string }[];
  /** Single-use tasks waiting for banner students (docs/tasks.md): whose badge opens which door where. */
  tasks?: { kind: 'pick_up' | 'drop_off'; badge: string; name: string; station: string; compartment: number | null }[];
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

const districtName = 'Maple Valley Unified School District';
/** The campuses as the demo's orgs.csv names them (sourcedId), and what a roster does not say of them. */
const campuses = [
  {
    sourcedId: 'org-mvhs',
    name: 'Maple Valley High School',
    tz: 'America/Chicago',
    end: '15:30',
    stations: ['Library', 'Main Office'],
  },
  {
    sourcedId: 'org-crms',
    name: 'Cedar Ridge Middle School',
    tz: 'America/Chicago',
    end: '15:15',
    stations: ['Media Center', 'Gym Lobby'],
  },
  { sourcedId: 'org-bse', name: 'Birch Street Elementary', tz: 'America/Chicago', end: '14:45', stations: ['Front Hall'] },
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
  const out: DemoDistrict = { stations: [], badges: [], apiToken: newToken('cat') };
  // The district and its policy first: an import finds it and fills it (the policy is no roster's).
  await insertDistrict(cubby.db, {
    id: newId(),
    name: districtName,
    settings: {
      loanPolicy: { maxActiveLoans: 1, minChargePercent: 50, requireAgreement: true },
      agreement: demoAgreement,
    },
    now,
  });
  const students = demoStudents({ campuses, count: studentsCount, random, now });
  out.badges = students.badges;
  const technicians = demoTechnicians(campuses);
  out.technicians = technicians.map(({ badge, name, campus }) => ({ badge, name, campus }));
  // Spare assigned devices up to 900, and the loaner pool in the stations.
  const stationCount = campuses.reduce((n, c) => n + c.stations.length, 0);
  const loanerCount = stationCount * loanersPerStation;
  const campusNames = campuses.map((c) => c.name);
  const spares = spareDevices({ campusNames, from: studentsCount, to: 900 - loanerCount });
  const pool = demoLoanerPool({ stations: stationCount, perStation: loanersPerStation, compartmentsPerStation, random });
  const imported = await importDemoFiles(cubby, keys, {
    districtSourcedId: 'org-district',
    districtName,
    campuses,
    users: [...students.users, ...technicians.map((t) => t.user)],
    devices: [...students.devices, ...spares, ...pool.devices],
    timeZone: 'America/Chicago',
  });
  const sites = await seedStations(cubby, imported.siteIds, now, out);
  const stationIds = out.stations.map((s) => s.id);
  await setDemoState(
    cubby,
    imported,
    {
      pins: students.pins,
      batteries: students.batteries,
      inRepair: spares.map((d) => d.asset_tag!),
      loaners: pool.states,
      stationIds,
    },
    now,
  );
  await insertApiToken(cubby.db, {
    id: newId(),
    name: 'demo',
    token_hash: hashToken(out.apiToken),
    scopes: ['fleet:read', 'people:read', 'audit:read'],
    created_at: now,
  });
  out.accounts = await seedDemoAccounts(cubby);
  const id = (map: Map<string, string>, key: string) => map.get(key)!;
  const homes = students.users.map((u, i) => ({
    id: id(imported.personIds, u.identifier!),
    siteId: id(imported.siteIds, u.orgSourcedIds!),
    ownDeviceId: id(imported.deviceIds, students.devices[i]!.asset_tag!),
  }));
  const loaners = pool.states.map((l) => ({ id: id(imported.deviceIds, l.assetTag), stationId: stationIds[l.station]! }));
  await writeHistory(cubby, { sites, students: homes, loaners, random, now });
  // The roster knows them as staff; Cubby makes them technicians (an import keeps that role).
  const technicianIds = technicians.map((t) => id(imported.staffIds, t.user.sourcedId!));
  for (const personId of technicianIds) await updatePersonFields(cubby.db, personId, { role: 'technician' });
  await writeDemoRepairs(cubby, {
    campuses: sites.map((site, c) => ({
      stationId: site.stations[0]!.id,
      // Past the banner's students, so their menus stay the simple ones.
      students: homes.filter((h) => h.siteId === site.id).slice(8),
      technicianId: technicianIds[c]!,
    })),
    now,
  });
  out.tasks = await seedDemoTasks(cubby, { homes, sites, technicianIds, badges: students.badges, stations: out.stations, now });
  return out;
}

/** A ready pick-up and a drop-off for the banner's last two students, at their campus's first station. */
async function seedDemoTasks(
  cubby: CubbyDb,
  input: {
    homes: { id: string; siteId: string; ownDeviceId: string }[];
    sites: HistoryInput['sites'];
    technicianIds: string[];
    badges: DemoDistrict['badges'];
    stations: DemoDistrict['stations'];
    now: number;
  },
): Promise<NonNullable<DemoDistrict['tasks']>> {
  const pickUp = input.homes[input.badges.length - 2]!;
  const dropOff = input.homes[input.badges.length - 1]!;
  const firstStation = (siteId: string) => input.sites.find((site) => site.id === siteId)!.stations[0]!.id;
  const c = input.sites.findIndex((site) => site.id === pickUp.siteId);
  const stationId = firstStation(pickUp.siteId);
  const dropOffStationId = firstStation(dropOff.siteId);
  const admin = await cubby.db.selectFrom('users').select('id').where('role', '=', 'district_admin').executeTakeFirstOrThrow();
  const { pickUpDoor } = await writeDemoTasks(cubby, {
    stationId,
    technicianId: input.technicianIds[c]!,
    createdBy: admin.id,
    pickUp: { personId: pickUp.id, oldDeviceId: pickUp.ownDeviceId, siteId: pickUp.siteId },
    dropOff: { personId: dropOff.id, deviceId: dropOff.ownDeviceId, stationId: dropOffStationId },
    now: input.now,
  });
  const where = (id: string) => {
    const station = input.stations.find((s) => s.id === id)!;
    return `${station.siteName} — ${station.name}`;
  };
  const [p, d] = [input.badges[input.badges.length - 2]!, input.badges[input.badges.length - 1]!];
  return [
    { kind: 'pick_up', badge: p.badge, name: p.name, station: where(stationId), compartment: pickUpDoor },
    { kind: 'drop_off', badge: d.badge, name: d.name, station: where(dropOffStationId), compartment: null },
  ];
}

/** A technician per campus, as the roster's users.csv lists staff (a badge in userIds). */
function demoTechnicians(list: typeof campuses) {
  const names = ['Sam Okoro', 'Jordan Reyes', 'Alex Chen'];
  return list.map((campus, i) => {
    const badge = String(4_900_001 + i);
    const [givenName, familyName] = names[i % names.length]!.split(' ') as [string, string];
    const user = {
      sourcedId: `staff-tech-${i + 1}`,
      status: 'active',
      enabledUser: 'true',
      orgSourcedIds: campus.sourcedId,
      role: 'administrator',
      userIds: `{badge:${badge}}`,
      givenName,
      familyName,
      identifier: '',
      grades: '',
    };
    return { badge, name: `${givenName} ${familyName}`, campus: campus.name, user };
  });
}

/**
 * Each imported campus's end of school day (an import gives new campuses one),
 * and its stations, enrolled, with empty compartments; what the history needs of them.
 */
async function seedStations(
  cubby: CubbyDb,
  siteIds: Map<string, string>,
  now: number,
  out: DemoDistrict,
): Promise<HistoryInput['sites']> {
  const sites: HistoryInput['sites'] = [];
  for (const campus of campuses) {
    const siteId = siteIds.get(campus.sourcedId);
    if (!siteId) throw new Error(`the demo campus ${campus.name} was not imported`);
    await updateSite(cubby.db, siteId, { time_zone: campus.tz, school_day_end: campus.end });
    const site: HistoryInput['sites'][number] = { id: siteId, timeZone: campus.tz, endOfDay: campus.end, stations: [] };
    sites.push(site);
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
      site.stations.push({ id: stationId, compartmentIds: compartments.map((c) => c.id) });
      out.stations.push({ id: stationId, name: stationName, siteName: campus.name, token, compartments: compartmentsPerStation });
    }
  }
  return sites;
}

/**
 * One dashboard account per role, with random passwords printed at start.
 * The site admin and technician look after the first campus.
 */
export async function seedDemoAccounts(cubby: CubbyDb): Promise<DemoAccount[]> {
  const district = await findFirstDistrict(cubby.db);
  // The campus last by name: Maple Valley High School in the demo district.
  const campus = (await sitesInScope(cubby.db, null)).filter((s) => s.districtId === district?.id).at(-1);
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
